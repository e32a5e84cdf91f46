"""Password hashing with Argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from xinyong.accounts.rules import normalise_password, password_key

#: Published and common passwords refused for new accounts (one a line, ``#`` comments).
REFUSED_FILE = Path(__file__).parent / "data" / "common_passwords.txt"

#: argon2-cffi's defaults: RFC 9106's low-memory profile (3 passes over 64 MiB, 4 lanes), about
#: 0.1 s a hash here. What the platform always uses; ``tests/unit/accounts`` holds it to these.
PRODUCTION_HASHER = PasswordHasher()
_hasher = PRODUCTION_HASHER


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with ``hasher`` from now on (a hash made earlier still verifies: its
    parameters travel in it). Only the test suite calls this, to hash its thousands of test
    passwords with Argon2id's cheapest parameters; no setting or command of the platform does."""
    global _hasher
    _hasher = hasher
    _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return _hasher.hash(normalise_password(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, normalise_password(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password: spends the time of a real check")


def spend_verification_time(password: str) -> None:
    """Verify against a throw-away hash, so an unknown username takes as long to refuse as a
    wrong password and response times do not reveal which usernames exist."""
    verify_password(_dummy_hash(), password)


@cache
def refused_passwords() -> frozenset[str]:
    """The shipped list of refused passwords, as :func:`~xinyong.accounts.rules.password_key`
    forms (read once per process)."""
    lines = REFUSED_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(password_key(x) for x in lines if x.strip() and not x.startswith("#"))
