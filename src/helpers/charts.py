"""Charts of the report: pure functions that draw on a given `ax` and return it."""

import math
import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes

from helpers.i18n import check_language, format_date, label

LABEL_WIDTH = 42  # characters per line of an event label, so the label column stays narrow


def plot_event_timeline(ax: Axes, events: pd.DataFrame, lang: str) -> Axes:
    """One row per event, oldest at the top: a dot at its date and its title in `lang` on the left.

    `events` has the columns of `helpers.data.load_events` (date, date_precision, title_<lang>).
    Titles sit in the label column rather than beside the dots, so they cannot overlap.
    """
    check_language(lang)
    rows = range(len(events))
    ax.scatter(events["date"], rows, s=28, zorder=3, color="C0")
    for row, event in zip(rows, events.itertuples(index=False), strict=True):
        when = format_date(event.date.date(), lang, str(event.date_precision))
        ax.annotate(
            when, (event.date, row), xytext=(6, 0), textcoords="offset points",
            va="center", fontsize=7.5, color="#333333",
        )  # fmt: skip
    titles = [textwrap.fill(title, LABEL_WIDTH) for title in events[f"title_{lang}"]]
    ax.set_yticks(list(rows), titles)
    ax.set_ylim(len(events) - 0.5, -0.5)  # oldest first, read top to bottom
    if len(events):
        start = events["date"].min() - pd.DateOffset(months=6)
        end = events["date"].max() + pd.DateOffset(months=30)  # room for the last date label
        ax.set_xlim(start, end)
        span_years = end.year - start.year + 1
        ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(span_years / 7))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(label("timeline_xlabel", lang))
    ax.set_title(label("timeline_title", lang))
    return ax
