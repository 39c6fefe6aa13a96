"""The chart of delays month by month, drawn as SVG bars: the median and the 90th percentile of
each month of start. The page always puts the table of the same figures beside it."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 260
LEFT = 48
BOTTOM = 40
TOP = 16
RIGHT = 8
MEDIAN_FILL = "#000091"
P90_FILL = "#cacafb"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[dict]
    ticks: list[dict]
    labels: list[dict]
    axis_y: int
    left: int
    right: int
    empty: bool


def _nice_top(value: float) -> int:
    for step in (10, 20, 30, 60, 90, 120, 180, 240, 365, 730):
        if value <= step:
            return step
    return int(-(-value // 365) * 365)


def month_chart(months, *, label) -> Chart:
    """Two bars a month (median, 90th percentile) from ``months`` (stats.Month); ``label``
    names a month on the axis."""
    values = [v for m in months for v in (m.cell.median, m.cell.p90) if v is not None]
    top = _nice_top(max(values, default=0) or 1)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    bar = slot * 0.36
    bars, labels = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot + slot * 0.12
        for offset, value, fill, name in (
            (0, month.cell.median, MEDIAN_FILL, "délai médian"),
            (bar, month.cell.p90, P90_FILL, "90e centile"),
        ):
            if value is None:
                continue
            height = plot_height * value / top
            bars.append(
                {
                    "x": round(x + offset, 1),
                    "y": round(TOP + plot_height - height, 1),
                    "width": round(bar, 1),
                    "height": round(height, 1),
                    "fill": fill,
                    "title": f"{label(month.month)} : {name} {value:.0f} jours",
                }
            )
        labels.append(
            {"x": round(LEFT + index * slot + slot / 2, 1), "text": label(month.month, short=True)}
        )
    ticks = [
        {"y": round(TOP + plot_height - plot_height * n / 4, 1), "text": f"{top * n // 4}"}
        for n in range(5)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        labels=labels,
        axis_y=TOP + plot_height,
        left=LEFT,
        right=WIDTH - RIGHT,
        empty=not values,
    )
