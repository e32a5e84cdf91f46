"""Sealing TOTP secrets at rest: a copy of the database alone logs no one in.

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key derived with HKDF from
``XINYONG_SECRET_KEY``; the derivation's ``info`` label keeps this key apart from every other
use of the secret key (CSRF tokens, login tickets). Changing the secret key makes the sealed
secrets unreadable: enrolled accounts then need ``xinyong user totp-reset`` (docs/operations).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"xinyong totp secret sealing v1"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, *, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def unseal(sealed: str, *, secret_key: str) -> str | None:
    """The secret, or ``None`` when it was sealed under another key (or wiped)."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
