"""Ed25519 signed checkpoints (PLT-2). The key lives in a file, outside the database, so that
someone who can rewrite the tables cannot forge the tree heads signed before."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xinyong.audit.canonical import iso_utc

ORIGIN = "xinyong"


def checkpoint_body(size: int, root: bytes, at: datetime) -> bytes:
    """What is signed: origin, size, base64 root, ISO UTC time — one per line, each ending in
    a newline (the shape of a transparency-log checkpoint note)."""
    return f"{ORIGIN}\n{size}\n{base64.b64encode(root).decode()}\n{iso_utc(at)}\n".encode()


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 of the raw public key."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def _load(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey | None:
    return _load(path) if path.exists() else None


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path``; generated on first use (PEM, PKCS8, mode 0600)."""
    if path.exists():
        return _load(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: two processes starting at once must not overwrite each other's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load(path)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def sign(key: Ed25519PrivateKey, body: bytes) -> bytes:
    return key.sign(body)


def verify(key: Ed25519PublicKey, body: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, body)
    except InvalidSignature:
        return False
    return True
