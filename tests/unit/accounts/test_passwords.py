"""The platform hashes passwords at RFC 9106's low-memory Argon2id cost (PLT-1), whatever the
test suite does to hash its own test passwords cheaply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from xinyong.accounts import passwords


@pytest.fixture
def production() -> Iterator[None]:
    cheap = passwords._hasher
    passwords.use_hasher(passwords.PRODUCTION_HASHER)
    yield
    passwords.use_hasher(cheap)


def test_the_platform_hashes_with_rfc_9106_low_memory_argon2id() -> None:
    hasher = passwords.PRODUCTION_HASHER
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )
    assert hasher.memory_cost >= 64 * 1024  # KiB


@pytest.mark.usefixtures("production")
def test_a_password_is_stored_at_the_platform_cost_and_checked() -> None:
    stored = passwords.hash_password("Guizhou-2026-xinyong")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "Guizhou-2026-xinyong")
    assert not passwords.verify_password(stored, "Guizhou-2026-xinyonG")
    assert not passwords.needs_rehash(stored)


@pytest.mark.usefixtures("production")
def test_a_hash_made_at_a_lower_cost_still_checks_and_asks_to_be_rehashed() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("Guizhou-2026-xinyong")
    assert passwords.verify_password(weak, "Guizhou-2026-xinyong")
    assert passwords.needs_rehash(weak)
