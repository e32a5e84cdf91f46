"""The digest that makes a credit report verifiable (RGT-1; Art. 31): the content's canonical
JSON, in which dates, instants and amounts have one spelling."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from xinyong.reports import rules


def test_rgt1_dates_instants_and_amounts_are_printed_in_one_spelling() -> None:
    content = {
        "decided_on": date(2026, 9, 30),
        "issued_at": datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        "amount": Decimal("5000.00"),
    }
    printed = rules.canonical_json(content).decode()
    assert printed.startswith('{"amount":"5000.00","decided_on":"2026-09-30",')
    assert printed.endswith('"issued_at":"2026-09-30T02:00:00+00:00"}')


def test_rgt1_an_amount_keeps_its_written_precision_in_the_digest() -> None:
    # 5000 and 5000.00 are different text on the printed report: different digests.
    assert rules.content_digest({"amount": Decimal("5000")}) != rules.content_digest(
        {"amount": Decimal("5000.00")}
    )
    assert rules.content_digest({"amount": Decimal("5000.00")}) == rules.content_digest(
        {"amount": Decimal("5000.00")}
    )


def test_rgt1_content_that_has_no_json_spelling_is_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serialisable: set"):
        rules.content_digest({"domains": {"tax"}})
