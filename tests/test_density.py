"""A row too crowded for a mark per fact is drawn as monthly counts that a reader can trust."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from strips import strip_counts

from helpers.density import DENSITY_PAST, crowded, draw_strip, month_counts


def test_month_counts_cover_every_month_between_the_first_and_last_date():
    dates = pd.Series(pd.to_datetime(["2024-01-31", "2024-01-01", "2024-04-15", "2024-04-30"]))
    counts = month_counts(dates)
    assert list(counts.index) == list(pd.date_range("2024-01-01", "2024-04-01", freq="MS"))
    assert list(counts) == [2, 0, 0, 2]  # a month without a fact is there, at zero
    assert month_counts(pd.Series([], dtype="datetime64[ns]")).empty


def test_a_row_is_crowded_only_past_the_limit():
    rows = pd.Series(["a"] * DENSITY_PAST + ["b"] * (DENSITY_PAST + 1) + ["c"])
    assert crowded(rows) == ["b"]


@pytest.mark.parametrize(("lang", "peak"), [("en", "1,500 a month"), ("fr", "1\u00a0500 par mois")])
def test_a_strip_counts_the_facts_of_its_span_and_numbers_its_tallest_month(lang, peak):
    dates = pd.Series(
        [pd.Timestamp("2024-03-10")] * 1500
        + [pd.Timestamp("2024-05-02")] * 700
        + [pd.Timestamp("2025-01-20")] * 3  # after the span drawn: not counted
    )
    figure, ax = plt.subplots()
    ax.set_xlim(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    ax.set_ylim(1, -1)
    note = draw_strip(ax, dates, 0, 0.6, "#000000", lang, right=pd.Timestamp("2024-12-31"))
    assert note.get_text() == peak
    assert strip_counts(ax) == [2200]
    assert draw_strip(ax, dates, 0, 0.6, "#000000", lang, left=pd.Timestamp("2026-01-01")) is None
    plt.close(figure)
