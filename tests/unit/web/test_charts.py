"""Geometry of the dashboard's SVG charts (pure)."""

from __future__ import annotations

import pytest

from xinyong.web.ui import charts


@pytest.mark.parametrize(
    ("value", "top"), [(0, 4), (3, 4), (5, 8), (9, 12), (21, 40), (99, 120), (1234, 1600)]
)
def test_scale_tops_are_round_and_split_in_four(value: int, top: int) -> None:
    assert charts.nice_ceiling(value) == top
    assert top % 4 == 0


def test_columns_scale_to_the_tallest_bar() -> None:
    chart = charts.columns(["2026-08", "2026-09"], [("a", [2, 4]), ("b", [0, 1])])
    left, top, right, bottom = chart.box
    tallest = max(chart.bars, key=lambda b: b.height)
    assert (tallest.category, tallest.series, tallest.value) == (1, 0, 4)
    assert tallest.y == pytest.approx(top)
    assert all(b.y + b.height == pytest.approx(bottom) for b in chart.bars)
    assert [g.text for g in chart.grid] == ["0", "1", "2", "3", "4"]
    assert all(left <= b.x and b.x + b.width <= right for b in chart.bars)


def test_line_has_a_point_per_month_and_rows_grow_with_categories() -> None:
    line = charts.line(["a", "b", "c"], "records", [0, 3, 1])
    assert len(line.line.split()) == 3
    assert [d.value for d in line.dots] == [0, 3, 1]
    assert (
        charts.rows(["x"] * 10, [("n", [1] * 10)]).height > charts.rows(["x"], [("n", [1])]).height
    )
