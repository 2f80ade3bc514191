"""`ai-war audit`: counts of how the facts are sourced, each naming the rows it counts."""

import subprocess
import sys

import pandas as pd
import pytest
from datafiles import replace_in

from helpers.audit import audit, states_date, states_figure


def amount(low: float, quote: str, note: str = "", qualifier: str = "exact") -> pd.Series:
    return pd.Series({"low_usd": low, "qualifier": qualifier, "quote": quote, "note": note})


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        (amount(6.6e9, "raised $6.6 billion"), True),
        (amount(6.6e9, "a levé 6,6 milliards de dollars"), True),
        (amount(44e6, "gave $44 million"), True),
        (amount(1e9, "agreed to invest $1 billion"), True),
        (amount(1.25e12, "valued at $1.25 trillion"), True),
        (amount(97.4e9, "a bid of $97 billion"), False),  # the figure is not the row's
        (amount(10e9, "a multiyear deal", "Bloomberg reported $10 billion"), True),  # the note
        (amount(2e9, "plusieurs milliards", qualifier="several"), True),  # nothing to find
        (amount(6.6e9, "raised $16.6 billion"), False),
    ],
)
def test_a_figure_is_found_in_the_quote_or_the_note(row, shown):
    assert states_figure(row) is shown


def dated(date: str, precision: str, quote: str, note: str = "") -> pd.Series:
    return pd.Series(
        {"date": pd.Timestamp(date), "date_precision": precision, "quote": quote, "note": note}
    )


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        (dated("2015-12-11", "day", "On Dec. 11, 2015, OpenAI launched"), True),
        (dated("2024-08-05", "day", "The revived complaint, filed Aug. 5 in the court"), True),
        (dated("2024-02-29", "day", "County of San Francisco 02/29/2024"), True),
        (dated("2024-06-11", "day", "on Tuesday (June 11)"), True),
        (dated("2026-05-18", "day", "Le 18 mai 2026, le jury a rejeté"), True),
        (dated("2018-02-01", "month", "in February 2018"), True),
        (dated("2019-03-11", "day", "We've created OpenAI LP"), False),
        (dated("2024-06-12", "day", "on June 11"), False),  # another day
        (dated("2015-01-01", "year", "launched in 2015"), True),
    ],
)
def test_a_date_is_found_in_the_quote_or_the_note(row, shown):
    assert states_date(row) is shown


def test_every_line_names_the_rows_it_counts():
    lines = audit()
    titles = [line.title for line in lines]
    assert "facts confirmed" in titles and "sources without a date" in titles
    assert any(title.startswith("conflicts assessed") for title in titles)
    for line in lines:
        assert str(line).startswith(f"{line.title}: {len(line.rows)}")
        assert all(":" in row for row in line.rows)  # table:id


def test_a_source_without_date_is_named_and_strict_fails(data_dir):
    replace_in(data_dir / "sources.csv", ",en,2019-07-22,", ",en,,")
    undated = next(line for line in audit(data_dir) if line.title == "sources without a date")
    assert "sources:fortune-microsoft-2019" in undated.rows
    run = subprocess.run(
        [sys.executable, "-m", "helpers", "audit", str(data_dir), "--strict"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    assert "TO FIX sources without a date:" in run.stdout
    assert "sources:fortune-microsoft-2019" in run.stdout
