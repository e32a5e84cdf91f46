"""TOTP rules (PLT-1, RFC 6238): the drift window, replay refusal, codes as people type them."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from tests.conftest import FROZEN
from xinyong.accounts import sealing, totp
from xinyong.core.actor import Role

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code(seconds: float) -> str:
    return pyotp.TOTP(SECRET).at(FROZEN + timedelta(seconds=seconds))


@pytest.mark.parametrize("offset", [-30, 0, 30])
def test_one_step_of_drift_either_way_is_accepted(offset: int) -> None:
    step = totp.matching_step(SECRET, code(offset), FROZEN, last_used_step=None)
    assert step == totp.time_step(FROZEN) + offset // 30


@pytest.mark.parametrize("offset", [-60, 60, 3600])
def test_codes_further_away_are_refused(offset: int) -> None:
    assert totp.matching_step(SECRET, code(offset), FROZEN, last_used_step=None) is None


def test_a_used_step_and_earlier_ones_are_refused() -> None:
    now = totp.time_step(FROZEN)
    assert totp.matching_step(SECRET, code(0), FROZEN, last_used_step=now) is None
    assert totp.matching_step(SECRET, code(-30), FROZEN, last_used_step=now) is None
    # The next step's code is still good.
    assert totp.matching_step(SECRET, code(30), FROZEN, last_used_step=now) == now + 1


def test_full_width_digits_and_spaces_are_the_same_code() -> None:
    plain = code(0)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in plain)
    spaced = f"{plain[:3]} {plain[3:]}"
    for typed in (full_width, spaced):
        assert totp.matching_step(SECRET, typed, FROZEN, last_used_step=None) is not None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "１２３"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert totp.matching_step(SECRET, typed, FROZEN, last_used_step=None) is None


def test_the_uri_names_the_issuer_and_account() -> None:
    uri = totp.provisioning_uri(SECRET, "sys")
    assert uri.startswith("otpauth://totp/")
    assert f"secret={SECRET}" in uri
    assert "sys" in uri


def test_new_secrets_are_160_bits_of_base32() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32
    assert secret != totp.new_secret()


def test_recovery_codes_are_distinct_and_recognised() -> None:
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(totp.looks_like_recovery_code(c) for c in codes)
    assert totp.recovery_digest(codes[0].lower()) == totp.recovery_digest(codes[0])
    assert not totp.looks_like_recovery_code(code(0))


def test_who_may_and_who_must_enrol() -> None:
    assert totp.may_enrol(Role.AUDITOR)
    assert totp.may_enrol(Role.CREDIT_OFFICE)
    assert not totp.may_enrol(Role.PROVIDER)
    assert totp.must_enrol(Role.SYSADMIN, policy_requires=True)
    assert not totp.must_enrol(Role.SYSADMIN, policy_requires=False)
    assert not totp.must_enrol(Role.AUDITOR, policy_requires=True)


def test_a_sealed_secret_opens_only_with_its_key() -> None:
    sealed = sealing.seal(SECRET, secret_key="one")
    assert SECRET not in sealed
    assert sealing.unseal(sealed, secret_key="one") == SECRET
    assert sealing.unseal(sealed, secret_key="two") is None
    assert sealing.unseal("", secret_key="one") is None
