"""Who is served which record, and which of its fields (Art. 16–18, 32, 35, 36; DIS-1…5).

One pure policy for every channel, so that publicity, government sharing, authorized inquiry,
the subject's own view and the audit cannot drift apart:

- ``publicity`` (Art. 16, 17): anyone; only items whose publicity attribute is ``public``,
  only inside their window and only for a class the rule set publishes; only ``public`` fields.
- ``government`` (Art. 16, 19): state organs within their authority (items; purposes are
  checked by the inquiry use case); ``public`` and ``shared`` items inside their window; every
  field — privacy and trade secrets may reach the government channel, never beyond it
  (Art. 18; DIS-3).
- ``authorized`` (Art. 16, 38): a party holding the subject's live consent; ``public`` and
  ``authorized`` items the consent names, inside their window; ``public`` fields, plus privacy
  and trade-secret fields only when the consent covers them; never government-only fields.
- ``self`` (Art. 31) and ``audit``: everything, withdrawn, expired and repaired records too.

Withdrawn records (Art. 18, 33, 34), records past their window (Art. 35) and repaired records
(Art. 36) are served to no channel but ``self`` and ``audit``. A list entry's record is
governed by the entry's own period instead of the generic window: from the decision date to
the period's end, or to the day the entry ended early (Art. 25, 35, 36; LST-4). A record a
non-public provider delivered under an agreement is non-public information: never published,
whatever its item says (Art. 14, 16). Every served record carries its
``under_objection`` mark (Art. 32; DIS-5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xinyong.disclosure.windows import Window
from xinyong.marks.rules import EntryPeriod


class Channel(StrEnum):
    PUBLICITY = "publicity"
    GOVERNMENT = "government"
    AUTHORIZED = "authorized"
    SELF = "self"
    AUDIT = "audit"


#: Channels that see a record whatever its state (Art. 31: the subject; the audit).
UNRESTRICTED = frozenset({Channel.SELF, Channel.AUDIT})

#: Item publicity attributes each restricted channel may serve (CAT-2; DIS-1).
ITEM_PUBLICITY: dict[Channel, frozenset[str]] = {
    Channel.PUBLICITY: frozenset({"public"}),
    Channel.GOVERNMENT: frozenset({"public", "shared"}),
    Channel.AUTHORIZED: frozenset({"public", "authorized"}),
}

PRIVATE_CLASSES = frozenset({"privacy", "trade_secret"})
#: A field the item's schema does not declare is treated as government-only: unknown data is
#: never published by default.
UNDECLARED_CLASS = "government"


@dataclass(frozen=True, slots=True)
class Scope:
    """What an account or a consent reaches. ``items``: catalogue item codes (``None``: all
    published items, e.g. an inquirer without item restrictions). ``private_fields``: the
    consent expressly covers privacy and trade-secret fields (authorized channel only)."""

    items: frozenset[str] | None = None
    private_fields: bool = False


@dataclass(frozen=True, slots=True)
class RecordView:
    """What the policy needs to know about one record at its head version."""

    item_code: str
    publicity: str
    #: Field code → disclosure class (public / government / privacy / trade_secret).
    field_classes: Mapping[str, str]
    active: bool
    window: Window
    #: End of the window after extension by running disciplinary periods (DIS-4).
    extended_until: date | None = None
    under_objection: bool = False
    repaired: bool = False
    #: The record is a list entry: the entry's period governs it (LST-4).
    entry: EntryPeriod | None = None
    #: Delivered by a non-public provider under an agreement (Art. 14).
    under_agreement: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    served: bool
    #: Codes of the fields served (empty when not served).
    fields: frozenset[str]
    reason: str
    under_objection: bool = False


def window_open(view: RecordView, *, on: date) -> bool:
    """Inside the disclosure window on ``on`` (Art. 35; DIS-4): no negative window, or ``on``
    not after the (extended) last day. A list entry's record: inside the entry's own period
    (Art. 25, 35; LST-4) — it leaves every restricted channel the day the entry ends."""
    if view.entry is not None:
        return view.entry.in_force(on)
    end = view.extended_until or view.window.ends_on
    return end is None or on <= end


def served_fields(
    channel: Channel, field_classes: Mapping[str, str], present: frozenset[str], scope: Scope
) -> frozenset[str]:
    """The fields of a record a channel may see (Art. 18; DIS-3)."""
    if channel in UNRESTRICTED or channel is Channel.GOVERNMENT:
        return present
    allowed = {"public"}
    if channel is Channel.AUTHORIZED and scope.private_fields:
        allowed |= PRIVATE_CLASSES
    return frozenset(f for f in present if field_classes.get(f, UNDECLARED_CLASS) in allowed)


def _refuse(reason: str) -> Decision:
    return Decision(False, frozenset(), reason)


def decide(
    channel: Channel,
    view: RecordView,
    *,
    on: date,
    present: frozenset[str],
    scope: Scope | None = None,
) -> Decision:
    """Whether ``channel`` is served the record on ``on``, and which of its ``present`` fields.

    ``scope`` is the account's authority (government) or the consent (authorized); ignored
    by the other channels. An authorized channel without a consent naming items sees nothing.
    """
    scope = scope or Scope()
    mark = view.under_objection
    if channel in UNRESTRICTED:
        return Decision(True, present, "own or audit view", mark)
    if not view.active:
        return _refuse("withdrawn")
    if view.repaired:
        return _refuse("repaired")
    if not window_open(view, on=on):
        return _refuse("outside its disclosure window")
    if view.publicity not in ITEM_PUBLICITY[channel]:
        return _refuse(f"item publicity {view.publicity} not served on {channel.value}")
    if channel is Channel.PUBLICITY and not view.window.publishable:
        return _refuse("class not published")
    if channel is Channel.PUBLICITY and view.under_agreement:
        return _refuse("delivered under an agreement: non-public information")
    if channel is Channel.AUTHORIZED and not scope.items:
        return _refuse("no consent")
    if scope.items is not None and view.item_code not in scope.items:
        return _refuse("item outside the authority or consent")
    fields = served_fields(channel, view.field_classes, present, scope)
    return Decision(True, fields, "served", mark)
