"""The channel policy (DIS-1…5; Art. 16–18, 32, 35, 36)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from xinyong.disclosure.rules import Channel, RecordView, Scope, decide
from xinyong.disclosure.windows import Window
from xinyong.marks.rules import EntryPeriod

ON = date(2026, 9, 30)
FIELDS = {
    "XDR_MC": "public",
    "XDR_ZJLX": "government",
    "XDR_ZJHM": "privacy",
    "HT_JE": "trade_secret",
}
PRESENT = frozenset(FIELDS) | {"UNDECLARED"}
OPEN = Window(date(2027, 1, 1), True, "order36", "test")


def view(**kw: object) -> RecordView:
    base = RecordView(
        item_code="admin_penalty", publicity="public", field_classes=FIELDS, active=True,
        window=OPEN,
    )  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


ALL = list(Channel)
CONSENT = Scope(items=frozenset({"admin_penalty"}))


def served(channel: Channel, v: RecordView, scope: Scope | None = None) -> bool:
    scope = scope or (CONSENT if channel is Channel.AUTHORIZED else None)
    return decide(channel, v, on=ON, present=PRESENT, scope=scope).served


@pytest.mark.parametrize(
    "state",
    [
        {"active": False},
        {"repaired": True},
        {"window": Window(date(2026, 9, 29), True, "order36", "ended yesterday")},
    ],
)
def test_withdrawn_expired_and_repaired_reach_only_self_and_audit(state: dict[str, object]) -> None:
    v = view(**state)
    assert {c for c in ALL if served(c, v)} == {Channel.SELF, Channel.AUDIT}


def test_last_day_of_the_window_is_served() -> None:
    v = view(window=Window(ON, True, "order36", "ends today"))
    assert served(Channel.PUBLICITY, v)


def test_extension_keeps_serving() -> None:
    v = view(window=Window(date(2026, 1, 1), True, None, "x"), extended_until=date(2027, 1, 1))
    assert served(Channel.PUBLICITY, v)


@pytest.mark.parametrize(
    ("publicity", "channels"),
    [
        ("public", set(ALL)),
        ("shared", {Channel.GOVERNMENT, Channel.SELF, Channel.AUDIT}),
        ("authorized", {Channel.AUTHORIZED, Channel.SELF, Channel.AUDIT}),
    ],
)
def test_item_publicity_decides_the_channels(publicity: str, channels: set[Channel]) -> None:
    assert {c for c in ALL if served(c, view(publicity=publicity))} == channels


def test_unpublished_class_stays_off_the_publicity_site() -> None:
    v = view(window=Window(date(2027, 1, 1), False, "order36", "minor"))
    assert not served(Channel.PUBLICITY, v)
    assert served(Channel.GOVERNMENT, v)


def test_fields_per_channel() -> None:
    def fields(channel: Channel, scope: Scope | None = None) -> set[str]:
        return set(decide(channel, view(), on=ON, present=PRESENT, scope=scope).fields)

    assert fields(Channel.PUBLICITY) == {"XDR_MC"}
    assert fields(Channel.GOVERNMENT) == set(PRESENT)
    assert fields(Channel.AUTHORIZED, CONSENT) == {"XDR_MC"}
    covers = Scope(items=CONSENT.items, private_fields=True)
    assert fields(Channel.AUTHORIZED, covers) == {"XDR_MC", "XDR_ZJHM", "HT_JE"}
    assert fields(Channel.SELF) == set(PRESENT) == fields(Channel.AUDIT)


def test_authority_and_consent_limit_items() -> None:
    assert not served(Channel.AUTHORIZED, view(), Scope())
    assert not served(Channel.GOVERNMENT, view(), Scope(items=frozenset({"tax_arrears"})))
    assert served(Channel.GOVERNMENT, view(), Scope(items=None))


def test_under_objection_mark_travels_with_every_served_record() -> None:
    v = view(under_objection=True)
    for channel in ALL:
        d = decide(channel, v, on=ON, present=PRESENT, scope=CONSENT)
        assert d.served
        assert d.under_objection


# --- list entries and agreements (issue: legal fidelity) -----------------------------------


def test_a_list_entry_record_leaves_every_restricted_channel_the_day_after_its_period() -> None:
    """LST-4, Art. 35: the entry's own period governs its record, even when the generic
    window of its class (3 years for serious) would still serve it."""
    entry = EntryPeriod(starts_on=date(2025, 9, 30), ends_on=ON - timedelta(days=1))
    v = view(item_code="serious_dishonesty", entry=entry, window=OPEN)
    assert {c for c in ALL if served(c, v)} == {Channel.SELF, Channel.AUDIT}
    last_day = view(item_code="serious_dishonesty", entry=replace(entry, ends_on=ON))
    assert served(Channel.PUBLICITY, last_day)
    assert served(Channel.GOVERNMENT, last_day)


def test_a_list_entry_ended_early_is_not_served_from_the_day_it_ended() -> None:
    entry = EntryPeriod(starts_on=date(2025, 9, 30), ends_on=date(2028, 9, 30), ended_on=ON)
    v = view(item_code="serious_dishonesty", entry=entry)
    assert not served(Channel.PUBLICITY, v)
    assert not served(Channel.GOVERNMENT, v)
    assert served(Channel.SELF, v)
    still = replace(entry, ended_on=ON + timedelta(days=1))
    assert served(Channel.PUBLICITY, view(item_code="serious_dishonesty", entry=still))


def test_a_list_entry_governs_even_past_the_generic_window() -> None:
    entry = EntryPeriod(starts_on=date(2025, 9, 30), ends_on=date(2028, 9, 30))
    closed = Window(date(2026, 1, 1), True, "order36", "generic window ended")
    assert served(Channel.PUBLICITY, view(entry=entry, window=closed))


def test_a_record_delivered_under_an_agreement_is_never_published() -> None:
    """Art. 14, 16: an agreement covers non-public information only — enforced in the
    policy, whatever the item's publicity attribute says."""
    v = view(publicity="public", under_agreement=True)
    assert not served(Channel.PUBLICITY, v)
    assert served(Channel.GOVERNMENT, v)
    assert served(Channel.AUTHORIZED, v)
    assert served(Channel.SELF, v)
