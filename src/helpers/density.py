"""A row of a chart too crowded to tell its marks apart, drawn as a graphics desk would: a strip
of bars, one per calendar month, each as tall as the number of facts dated in that month, the
tallest one numbered (the strip's scale).

A mark is about 5 points wide; on a chart 6.7 inches wide (2.95 on a phone) a row of more than
`DENSITY_PAST` marks is ink on ink, costs an artist (and SVG) per mark, and tells the reader less
than a count would. The timeline's tracks and the legal chart's lanes use this; the decision is
the same for the desk and the phone layout, so that one caption describes both.
"""

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.text import Annotation

from helpers.i18n import format_number, label

DENSITY_PAST = 100  # marks on one row past which the row is drawn as a strip of monthly counts
STRIP_SIZE = 7  # points: the strip's number, the smallest text of the report


def crowded(groups: pd.Series) -> list:
    """The rows (values of `groups`, one per fact) holding more than `DENSITY_PAST` facts, in the
    order they first appear."""
    counts = groups.value_counts(sort=False)
    return [row for row in pd.unique(groups) if counts[row] > DENSITY_PAST]


def month_counts(dates: pd.Series) -> pd.Series:
    """How many of `dates` fall in each calendar month, from the first month to the last (a month
    without a date counts 0), indexed by the month's first day."""
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return pd.Series(dtype="int64", index=pd.DatetimeIndex([]))
    months = dates.dt.to_period("M")
    every = pd.period_range(months.min(), months.max(), freq="M")
    counts = months.value_counts().reindex(every, fill_value=0).astype("int64")
    counts.index = every.to_timestamp()
    return counts


def draw_strip(
    ax: Axes, dates: pd.Series, y: float, height: float, colour: str, lang: str,
    left: pd.Timestamp | None = None, right: pd.Timestamp | None = None,
) -> Annotation | None:  # fmt: skip
    """The monthly counts of `dates` (those from `left` to `right` when given) as one filled step
    outline standing on `y + height / 2` and at most `height` tall (data units of an inverted y
    axis, as the report's charts use), the tallest month numbered above its bar ('412 a month').
    Returns that number's text, or None when no date falls in the span."""
    dates = pd.to_datetime(dates).dropna()
    if left is not None:
        dates = dates[dates >= left]
    if right is not None:
        dates = dates[dates <= right]
    counts = month_counts(dates)
    if counts.empty:
        return None
    peak = int(counts.max())
    edges = [*counts.index, counts.index[-1] + pd.offsets.MonthBegin(1)]
    if left is not None:
        edges[0] = max(edges[0], left)
    if right is not None:
        edges[-1] = min(edges[-1], right)
    base = y + height / 2
    tops = base - height * counts.to_numpy() / peak
    ax.stairs(
        tops,
        mdates.date2num(edges),
        baseline=base,
        fill=True,
        color=colour,
        alpha=0.85,
        linewidth=0,
        zorder=3,
        gid="density-strip",
        clip_on=False,  # inside the span drawn: no clip path to write
    ).set_in_layout(False)
    top = int(np.argmax(counts.to_numpy()))  # the first of the tallest months
    middle = edges[top] + (edges[top + 1] - edges[top]) / 2
    share = (middle - edges[0]) / max(edges[-1] - edges[0], pd.Timedelta(days=1))
    note = ax.annotate(
        label("density.peak", lang, count=format_number(peak, lang)),
        (middle, base - height),
        xytext=(0, 1),
        textcoords="offset points",
        ha="left" if share < 0.2 else "right" if share > 0.8 else "center",
        va="bottom",
        fontsize=STRIP_SIZE,
        color="#333333",
        annotation_clip=False,
        gid="density-peak",
        zorder=6,  # over a leader line that crosses it, on a white ground that hides the line
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
              "alpha": 0.85},
    )  # fmt: skip
    note.set_in_layout(False)
    return note
