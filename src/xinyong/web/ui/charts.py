"""Geometry of the server-rendered SVG charts (no JavaScript): columns over time, a line,
horizontal bars for categories. Pure: numbers in, positions out; ``partials/charts.html``
draws them with a ``<title>`` and ``<desc>``, and every chart sits next to its table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Series = tuple[str, Sequence[int]]


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    #: Index of the category and of the series; the template names them in the page language.
    category: int
    series: int
    value: int


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    horizontal: bool
    #: Plot area: left, top, right, bottom.
    box: tuple[float, float, float, float]
    bars: list[Bar] = field(default_factory=list)
    #: Grid lines with their value (y for columns and lines, x for horizontal bars).
    grid: list[Label] = field(default_factory=list)
    #: Where each category's name goes (``text`` is the category's index).
    categories: list[Label] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    #: A line chart's polyline ``points`` and its dots.
    line: str = ""
    dots: list[Bar] = field(default_factory=list)


def nice_ceiling(value: int) -> int:
    """A round top of the scale at or above ``value``, divisible by 4 so that the four grid
    steps are whole numbers: 4, 8, 12, 16, 20, 40, 60, 80, 120, 160, 200, 400, …"""
    top, step = max(value, 4), 1
    while True:
        for m in (4, 8, 12, 16, 20, 40, 60, 80):
            if m * step >= top:
                return m * step
        step *= 10


def _grid_values(top: int) -> list[int]:
    return [round(top * i / 4) for i in range(5)]


def columns(
    categories: Sequence[str], series: Sequence[Series], *, width: int = 640, height: int = 260
) -> Chart:
    """Grouped vertical bars, one group per category (months)."""
    left, top, right, bottom = 44.0, 12.0, width - 8.0, height - 28.0
    peak = nice_ceiling(max((v for _, values in series for v in values), default=0))
    slot = (right - left) / max(len(categories), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    chart = Chart(width, height, False, (left, top, right, bottom), series=[n for n, _ in series])
    for value in _grid_values(peak):
        y = bottom - (bottom - top) * value / peak
        chart.grid.append(Label(left, y, str(value)))
    step = max(1, len(categories) // 12)
    for i in range(len(categories)):
        x0 = left + slot * i + slot * 0.1
        if i % step == 0:
            chart.categories.append(Label(left + slot * (i + 0.5), bottom + 16, str(i)))
        for s, (_name, values) in enumerate(series):
            h = (bottom - top) * values[i] / peak
            chart.bars.append(Bar(x0 + bar_w * s, bottom - h, bar_w, h, i, s, values[i]))
    return chart


def line(
    categories: Sequence[str], name: str, values: Sequence[int], *, width: int = 640,
    height: int = 260,
) -> Chart:  # fmt: skip
    """One series over time as a line with a dot per category."""
    chart = columns(categories, [(name, values)], width=width, height=height)
    dots = [Bar(b.x + b.width / 2, b.y, 0, 0, b.category, 0, b.value) for b in chart.bars]
    points = " ".join(f"{d.x:.1f},{d.y:.1f}" for d in dots)
    return Chart(
        chart.width, chart.height, False, chart.box, [], chart.grid, chart.categories,
        chart.series, points, dots,
    )  # fmt: skip


def rows(
    categories: Sequence[str], series: Sequence[Series], *, width: int = 640, row: int = 28
) -> Chart:
    """Grouped horizontal bars, one row per category (purposes, providers, list states)."""
    height = int(row * max(len(categories), 1) + 36)
    left, top, right, bottom = 150.0, 8.0, width - 12.0, height - 24.0
    peak = nice_ceiling(max((v for _, values in series for v in values), default=0))
    bar_h = row * 0.75 / max(len(series), 1)
    chart = Chart(width, height, True, (left, top, right, bottom), series=[n for n, _ in series])
    for value in _grid_values(peak):
        chart.grid.append(Label(left + (right - left) * value / peak, bottom + 16, str(value)))
    for i in range(len(categories)):
        y0 = top + row * i + row * 0.125
        chart.categories.append(Label(left - 6, y0 + row * 0.45, str(i)))
        for s, (_name, values) in enumerate(series):
            w = (right - left) * values[i] / peak
            chart.bars.append(Bar(left, y0 + bar_h * s, w, bar_h, i, s, values[i]))
    return chart
