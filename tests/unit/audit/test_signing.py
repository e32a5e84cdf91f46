"""Checkpoint keys and signatures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from xinyong.audit import signing

AT = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


def test_key_is_created_once_private_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "sub" / "audit.pem"
    assert signing.load_private_key(path) is None
    key = signing.load_or_create_private_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS8 PEM
    again = signing.load_or_create_private_key(path)
    assert signing.public_bytes(again.public_key()) == signing.public_bytes(key.public_key())
    assert len(signing.key_id(key.public_key())) == 16


def test_a_checkpoint_body_is_signed_and_any_change_breaks_it(tmp_path: Path) -> None:
    key = signing.load_or_create_private_key(tmp_path / "k.pem")
    body = signing.checkpoint_body(7, b"\x01" * 32, AT)
    assert body == (
        b"xinyong\n7\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n2026-09-30T02:00:00.000000Z\n"
    )
    sig = signing.sign(key, body)
    assert signing.verify(key.public_key(), body, sig)
    assert not signing.verify(key.public_key(), signing.checkpoint_body(8, b"\x01" * 32, AT), sig)
    other = signing.load_or_create_private_key(tmp_path / "other.pem")
    assert not signing.verify(other.public_key(), body, sig)


def test_a_non_ed25519_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ValueError):
        signing.load_or_create_private_key(path)
