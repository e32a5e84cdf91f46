"""The tabs of a subject page (DESIGN §6: registration, licences, penalties, lists,
commitments, honours), as Credit China groups a subject's information."""

from __future__ import annotations

TABS = ("registration", "licences", "penalties", "lists", "commitments", "honours", "other")

_BY_ITEM = {
    "admin_licensing": "licences",
    "admin_penalty": "penalties",
    "judgment_default": "lists",
}
_BY_CATEGORY = {
    "registration_basic": "registration",
    "qualification": "licences",
    "abnormal_operation": "lists",
    "serious_dishonesty_list": "lists",
    "credit_commitment": "commitments",
    "honours": "honours",
}


def tab_of(item_code: str, category: str, polarity: str) -> str:
    """The tab a record of this item is shown under; other negative information goes with
    the penalties, anything else under "other"."""
    if item_code in _BY_ITEM:
        return _BY_ITEM[item_code]
    if category in _BY_CATEGORY:
        return _BY_CATEGORY[category]
    return "penalties" if polarity == "negative" else "other"
