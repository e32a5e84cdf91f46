"""Pure rules of the TOTP second factor (PLT-1, RFC 6238): no I/O, no session, no wall clock.

Decisions recorded here:

- Codes are RFC 6238 defaults (HMAC-SHA1, 6 digits, 30-second steps): what every authenticator
  app (Google Authenticator, Microsoft Authenticator, 阿里云/腾讯身份验证器 …) reads from an
  ``otpauth://`` URI. HOTP itself comes from ``pyotp``, a well-kept implementation, rather than
  being written again here.
- A code is accepted one step either side of the current one (±30 s of clock drift between the
  server and the phone) — RFC 6238 §5.2's recommended window.
- Replay (RFC 6238 §5.2): once a step's code has been accepted, that step and every earlier one
  are refused for the account, so a code seen over a shoulder or in a proxy log is worthless.
- Recovery codes are random, high-entropy and one-time; only their SHA-256 is kept (a slow hash
  is not needed for 50 random bits, and a login checks ten of them).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import datetime

import pyotp

from xinyong.core.actor import Role

STEP_SECONDS = 30
DIGITS = 6
#: Steps accepted either side of the current one (clock drift).
DRIFT_STEPS = 1
ISSUER = "Xinyong 信用"

#: Roles that may enrol a second factor.
TOTP_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.CREDIT_OFFICE, Role.AUDITOR})
#: Roles the security policy can oblige to enrol ("administrators").
ADMIN_TOTP_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN})

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper
_RECOVERY_LENGTH = 10


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226 §4 recommends at least 160)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app scans from the QR code."""
    uri: str = pyotp.TOTP(secret, issuer=ISSUER).provisioning_uri(name=username)
    return uri


def time_step(at: datetime) -> int:
    """The RFC 6238 time counter of instant ``at``."""
    return int(at.timestamp()) // STEP_SECONDS


def normalise_code(code: str) -> str:
    """Full-width digits from a Chinese input method become ASCII; spaces and dashes go."""
    text = unicodedata.normalize("NFKC", code)
    return "".join(ch for ch in text if ch not in " -\u3000\t")


def looks_like_code(code: str) -> bool:
    text = normalise_code(code)
    return len(text) == DIGITS and text.isascii() and text.isdigit()


def matching_step(
    secret: str, code: str, at: datetime, *, last_used_step: int | None
) -> int | None:
    """The time step whose code ``code`` is, within ±:data:`DRIFT_STEPS` of ``at``; ``None`` when
    it matches none, or only a step at or before ``last_used_step`` (a replay)."""
    if not looks_like_code(code):
        return None
    given = normalise_code(code)
    otp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = time_step(at)
    found: int | None = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compare every candidate (no early exit) in constant time.
        if hmac.compare_digest(otp.generate_otp(step), given) and found is None:
            found = step
    if found is None or (last_used_step is not None and found <= last_used_step):
        return None
    return found


def must_enrol(role: Role, *, policy_requires: bool) -> bool:
    """Whether the security policy obliges an account of ``role`` to have a second factor."""
    return policy_requires and role in ADMIN_TOTP_ROLES


def may_enrol(role: Role) -> bool:
    return role in TOTP_ROLES


# --- recovery codes --------------------------------------------------------------------------


def new_recovery_codes() -> list[str]:
    """Ten one-time codes shown once, formatted ``XXXXX-XXXXX`` (50 random bits each)."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return normalise_code(code).upper()


def recovery_digest(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    text = normalise_recovery_code(code)
    return len(text) == _RECOVERY_LENGTH and all(ch in _RECOVERY_ALPHABET for ch in text)
