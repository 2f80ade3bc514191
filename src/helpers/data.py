"""Load the fact tables of data/ as typed DataFrames, with errors that name file, row and field."""

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from helpers.paths import DATA_DIR

DATE_PATTERNS = {
    "year": re.compile(r"^\d{4}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}


class DataError(ValueError):
    """A fact table that cannot be read as described; the message names file, row and field."""


def parse_partial_date(text: str, precision: str) -> dt.date:
    """The first day of the period `text` names ('2015', '2018-02' or '2024-12-24').

    `precision` says which of the three forms is expected; a mismatch is an error.
    """
    pattern = DATE_PATTERNS.get(precision)
    if pattern is None:
        raise ValueError(f"unknown date precision {precision!r}: use day, month or year")
    if not pattern.match(text):
        raise ValueError(f"{text!r} is not a date of precision {precision!r}")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def read_table(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    """Rows of data/<name>.csv as dicts of strings; row numbers in errors count the header as 1."""
    path = data_dir / f"{name}.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty")
    reader = csv.DictReader(text.splitlines(), strict=True)
    rows = []
    for row in reader:
        if None in row or None in row.values():
            raise DataError(
                f"{path}, row {reader.line_num}: expected {len(reader.fieldnames or [])} fields"
            )
        rows.append(row)
    return rows


def load_sources(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The sources (sources.csv), indexed by source_id."""
    return pd.DataFrame.from_records(read_table("sources", data_dir)).set_index("source_id")


def load_events(as_of: dt.date | None, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The chronology (events.csv) up to `as_of` (None: all of it), oldest first, `date` a datetime.

    An event known only to the year or month is placed on the first day of that period and
    kept when that day is on or before `as_of`.
    """
    records = []
    for row_number, row in enumerate(read_table("events", data_dir), start=2):
        try:
            date = parse_partial_date(row["date"], row["date_precision"])
        except ValueError as err:
            raise DataError(
                f"{data_dir / 'events.csv'}, row {row_number}, field date: {err}"
            ) from None
        records.append({**row, "date": date})
    events = pd.DataFrame.from_records(records)
    events["date"] = pd.to_datetime(events["date"])
    for column in ("date_precision", "kind", "assertion"):
        events[column] = events[column].astype("category")
    kept = events if as_of is None else events[events["date"] <= pd.Timestamp(as_of)]
    return kept.sort_values("date", kind="stable").reset_index(drop=True)
