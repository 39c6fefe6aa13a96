"""Horizontal bar charts drawn as SVG (components/bars.html): one bar a row, its length the value
against ``maximum``. A page always puts the table of the same figures beside the chart."""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 640
ROW = 24
BAR = 16


@dataclass(frozen=True)
class Bars:
    bars: list[dict]
    width: int
    height: int
    left: int


def horizontal_bars(
    rows: Iterable[tuple[str, float, str]], *, maximum: float, left: int = 64, length: int = 440
) -> Bars:
    """``rows``: (label before the bar, value, text after it)."""
    bars = []
    for index, (label, value, text) in enumerate(rows):
        size = round(length * value / maximum) if maximum else 0
        bars.append(
            {
                "label": label,
                "text": text,
                "y": index * ROW + (ROW - BAR) // 2,
                "middle": index * ROW + ROW // 2,
                "width": size,
                "text_x": left + size + 6,
            }
        )
    return Bars(bars=bars, width=WIDTH, height=max(len(bars), 1) * ROW, left=left)
