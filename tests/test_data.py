import datetime as dt

import pandas as pd
import pytest

from helpers.data import DataError, load_events, load_sources, parse_partial_date


def test_partial_dates_start_their_period():
    assert parse_partial_date("2015", "year") == dt.date(2015, 1, 1)
    assert parse_partial_date("2018-02", "month") == dt.date(2018, 2, 1)
    assert parse_partial_date("2024-12-24", "day") == dt.date(2024, 12, 24)
    with pytest.raises(ValueError, match="not a date of precision 'day'"):
        parse_partial_date("2024", "day")


def test_events_are_typed_and_sorted(data_dir):
    events = load_events(None, data_dir)
    assert list(events["event_id"]) == ["a", "b", "c"]
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert isinstance(events["date_precision"].dtype, pd.CategoricalDtype)


def test_events_after_as_of_are_left_out(data_dir):
    assert list(load_events(dt.date(2018, 12, 31), data_dir)["event_id"]) == ["a", "b"]
    # an event known to the month counts from the first day of that month
    assert list(load_events(dt.date(2018, 1, 31), data_dir)["event_id"]) == ["a"]


def test_a_bad_date_names_file_row_and_field(data_dir):
    path = data_dir / "events.csv"
    path.write_text(path.read_text().replace("2018-02,month", "2018-02,day"), encoding="utf-8")
    with pytest.raises(DataError, match=r"events\.csv, row 3, field date: '2018-02' is not a date"):
        load_events(None, data_dir)


def test_a_row_with_missing_fields_is_named(data_dir):
    path = data_dir / "events.csv"
    path.write_text(path.read_text() + "d,2020,year\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"events\.csv, row 5: expected 12 fields"):
        load_events(None, data_dir)


def test_an_empty_or_non_utf8_file_is_named(data_dir):
    path = data_dir / "events.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match=r"events\.csv: the file is empty"):
        load_events(None, data_dir)
    path.write_bytes("event_id\ncafé\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"events\.csv: not UTF-8"):
        load_events(None, data_dir)


def test_sources_are_indexed_by_id(data_dir):
    assert load_sources(data_dir).loc["s", "publisher"] == "Pub <b>"


def test_the_real_chronology_loads():
    events = load_events(None)
    assert len(events) >= 4
    assert events["date"].is_monotonic_increasing
