"""
Stacked bar charts drawn server-side as SVG geometry (no JavaScript chart library is shipped).

Pure: takes the values per day and series, returns rectangles, grid lines and labels in the
chart's own coordinates; the template writes them out as ``<rect>``/``<line>``/``<text>``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 520  # about the size it is drawn at, so the 11-unit labels read as 11 px
HEIGHT = 190
LEFT = 44  # room for the value labels
RIGHT = 18  # room for half of the last day's label
BOTTOM = 22  # room for the day labels
TOP = 12  # room for half of the top value label
GRID_STEPS = 4


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str
    values: list[Decimal]  # one per day


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    grid: list[Tick]  # horizontal lines with their value
    days: list[Tick]  # labels under some of the bars
    left: int
    plot_right: int


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (a round top for the value axis)."""
    if value <= 0:
        return Decimal(1)
    exponent = math.floor(math.log10(float(value)))
    for step in (1, 2, 5, 10):
        top = Decimal(step) * Decimal(10) ** exponent
        if top >= value:
            return top
    return Decimal(10) ** (exponent + 1)  # pragma: no cover - the loop always returns


def _amount(value: Decimal) -> str:
    if value >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value.normalize():f}".replace(".", ",")  # Polish decimal comma


def stacked_bars(days: list[date], series: list[Series], *, unit: str = "") -> BarChart:
    totals = [sum((s.values[i] for s in series), Decimal(0)) for i in range(len(days))]
    top = nice_ceiling(max(totals, default=Decimal(0)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(days), 1)
    bar_width = slot * 0.7
    bars: list[Bar] = []
    for i, day in enumerate(days):
        base = float(HEIGHT - BOTTOM)
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            height = float(value / top) * plot_height
            base -= height
            bars.append(
                Bar(
                    x=round(LEFT + i * slot + (slot - bar_width) / 2, 1),
                    y=round(base, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    color=s.color,
                    title=f"{day:%d.%m} · {s.label}: {_amount(value)}{unit}",
                )
            )
    grid = [
        Tick(
            x=LEFT - 6,
            y=round(HEIGHT - BOTTOM - plot_height * step / GRID_STEPS, 1),
            label=_amount(top * step / GRID_STEPS),
        )
        for step in range(GRID_STEPS + 1)
    ]
    labels = [
        Tick(x=round(LEFT + i * slot + slot / 2, 1), y=HEIGHT - 6, label=f"{day:%d.%m}")
        for i, day in enumerate(days)
        if (len(days) - 1 - i) % 5 == 0  # every fifth day, ending with today
    ]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        grid=grid,
        days=labels,
        left=LEFT,
        plot_right=WIDTH - RIGHT,
    )
