"""Feed rules (COL-4): cursors, visibility, retry schedule; and payload signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.feed import rules, signing


@given(st.integers(min_value=0, max_value=2**62), st.integers(min_value=0, max_value=2**62))
def test_cursor_round_trips(seq: int, cid: int) -> None:
    assert rules.decode_cursor(rules.encode_cursor(seq, cid)) == (seq, cid)


@given(st.text(max_size=40))
def test_any_other_text_is_refused_or_canonical(text: str) -> None:
    try:
        seq, cid = rules.decode_cursor(text)
    except rules.InvalidCursor:
        return
    assert rules.encode_cursor(seq, cid) == text


def test_visibility() -> None:
    def see(role: str, **kw: object) -> bool:
        args: dict[str, object] = {
            "org_id": 1, "authority_items": None, "change_org_id": 1, "change_item": "a",
        }  # fmt: skip
        args.update(kw)
        return rules.may_see(role=role, **args)  # type: ignore[arg-type]

    assert see("credit_office", change_org_id=9)
    assert see("provider")
    assert not see("provider", change_org_id=2)
    assert not see("provider", org_id=None, change_org_id=None)
    assert see("inquirer", change_org_id=9)
    assert see("inquirer", authority_items={"a"})
    assert not see("inquirer", authority_items={"b"})
    assert not see("institution")
    assert not see("public")


def test_backoff_doubles_then_gives_up() -> None:
    delays = [rules.retry_delay(n) for n in range(1, rules.MAX_ATTEMPTS + 1)]
    assert delays[:-1] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64)]
    assert delays[-1] is None


def test_limit() -> None:
    assert rules.check_limit(1) == 1
    assert rules.check_limit(1000) == 1000
    with pytest.raises(rules.InvalidInput):
        rules.check_limit(0)


def test_signature_binds_body_timestamp_and_delivery() -> None:
    body = b'{"change":1}'
    headers = signing.signed_headers("k" * 20, timestamp=1_790_000_000, delivery_id=7, body=body)
    header = headers[signing.SIGNATURE_HEADER]
    assert header.startswith("t=1790000000,v1=")
    assert signing.verify("k" * 20, header=header, delivery_id="7", body=body)
    assert not signing.verify("k" * 20, header=header, delivery_id="8", body=body)
    assert not signing.verify("k" * 20, header=header, delivery_id="7", body=body + b" ")
    assert not signing.verify("other-secret", header=header, delivery_id="7", body=body)
    forged = header.replace("t=1790000000", "t=1790000001")
    assert not signing.verify("k" * 20, header=forged, delivery_id="7", body=body)
    assert not signing.verify("k" * 20, header="garbage", delivery_id="7", body=body)
    assert signing.verify("k" * 20, header=header, delivery_id="7", body=body, now=1_790_000_100)
    assert not signing.verify(
        "k" * 20, header=header, delivery_id="7", body=body, now=1_790_001_000
    )
