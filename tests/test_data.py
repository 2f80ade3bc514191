"""The loader: typed DataFrames from the fact base, filtered to as_of."""

import datetime as dt
import shutil

import pandas as pd
import pytest
from datafiles import replace_in, row_of

from helpers.data import (
    DataError,
    load_fact_base,
    load_table,
    newest_fact_date,
    partial_dates,
)
from helpers.paths import DATA_DIR, PROVEN_FILES


def test_partial_dates_start_their_period():
    dates = partial_dates(pd.Series(["2015", "2018-02", "2024-12-24", ""]))
    assert list(dates[:3]) == [
        pd.Timestamp(2015, 1, 1),
        pd.Timestamp(2018, 2, 1),
        pd.Timestamp(2024, 12, 24),
    ]
    assert pd.isna(dates[3])
    with pytest.raises(ValueError, match="'2024-1' is not a date"):
        partial_dates(pd.Series(["2024-1"]))


def test_tables_are_typed_by_their_schema():
    facts = load_fact_base()
    amounts, events, positions = facts["amounts"], facts["events"], facts["positions"]
    assert pd.api.types.is_float_dtype(amounts["low_usd"])
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert isinstance(events["kind"].dtype, pd.CategoricalDtype)
    assert "funding round" in events["kind"].cat.categories
    assert str(positions["stance"].dtype) == "Int64"
    assert all(isinstance(actors, tuple) for actors in events["actors"])
    assert ("openai", "musk", "altman") in set(events["actors"])
    # a partial date without a precision column gets one
    assert set(facts["sources"]["published_precision"].dropna()) <= {
        "day",
        "month",
        "year",
        "unknown",
    }


def test_known_facts_come_back_with_their_values():
    amounts = load_table("amounts").set_index("amount_id")
    assert amounts.loc["microsoft-2019", "low_usd"] == 1e9
    assert amounts.loc["microsoft-2019", "date"] == pd.Timestamp("2019-07-22")
    assert pd.isna(amounts.loc["article-ai-cost", "high_usd"])  # open-ended: more than $100 bn
    assert amounts.loc["article-ai-cost", "qualifier"] == "more than"


def test_rows_after_as_of_are_left_out_and_undated_rows_kept():
    as_of = dt.date(2024, 12, 31)
    events = load_table("events", as_of)
    assert events["date"].max() <= pd.Timestamp(as_of)
    assert "spacex-acquires-xai" not in set(events["event_id"])  # 2026
    assert "article-meta-sues" in set(events["event_id"])  # undated statement of the article
    legal = load_table("legal_actions", dt.date(2024, 6, 30))
    assert list(legal["action_id"]) == ["musk-state-complaint", "musk-state-withdrawal"]
    # a fact known only to the month counts from the first day of that month
    assert "xai-series-b" in set(load_table("amounts", dt.date(2024, 5, 1))["amount_id"])


def test_newest_fact_date_spans_every_table():
    assert newest_fact_date() == dt.date(2026, 6, 15)  # the last legal step in the data


def test_an_unreadable_table_names_file_and_row(data_dir):
    path = data_dir / "events.csv"
    row = row_of(path, "openai-lp")
    replace_in(path, "openai-lp,2019-03-11,day,", "openai-lp,2019-03-11,")
    with pytest.raises(
        DataError, match=rf"events\.csv, row {row}: 16 fields where the header has 17"
    ):
        load_table("events", data_dir=data_dir)
    with pytest.raises(DataError, match="no table 'nope'"):
        load_table("nope", data_dir=data_dir)


def test_the_schema_is_read_from_the_data_package():
    from helpers.schema import date_fields, primary_keys, read_descriptor

    descriptor = read_descriptor()
    declared = {r["name"]: r["schema"]["primaryKey"][0] for r in descriptor["resources"]}
    assert primary_keys() == declared
    # the date an as_of edition filters each sourced table on: relations by when the tie began
    assert date_fields() == {
        "events": "date",
        "legal_actions": "date",
        "amounts": "date",
        "positions": "date",
        "relations": "since",
    }


# --- tables the build has just proven plain: the kernel does not prove them again ---------------


def _proven(data_dir, monkeypatch) -> None:
    """Name every table file of `data_dir`, as it is now, in the kernel's environment, as a build
    does after its checks (helpers.paths.PROVEN_FILES)."""
    import json

    from helpers.build import _table_stats

    monkeypatch.setattr("helpers.build.RACY_NS", 0)  # files copied a moment ago count too
    monkeypatch.setenv(PROVEN_FILES, json.dumps(_table_stats(data_dir)))


def test_a_table_the_build_proved_is_read_as_it_is_without_proving_it_again(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    expected = load_fact_base(None, data)
    _proven(data, monkeypatch)

    def proving(*args, **kwargs):
        raise AssertionError("a file the build proved was proven again")

    monkeypatch.setattr("helpers.data.read_plain", proving)
    loaded = load_fact_base(None, data)
    assert loaded.keys() == expected.keys()
    for name, table in expected.items():
        pd.testing.assert_frame_equal(loaded[name], table)


def test_a_table_changed_after_the_build_proved_it_is_proven_again(tmp_path, monkeypatch):
    """A blank line (which pandas would skip without a word) added after the build's proof:
    the file is no longer the one proven, so the kernel proves it, and refuses it by name."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    _proven(data, monkeypatch)
    with (data / "events.csv").open("a", encoding="utf-8") as events:
        events.write("\n")
    with pytest.raises(DataError, match=r"events\.csv"):
        load_table("events", None, data)


def test_a_table_changed_a_moment_ago_is_not_named_as_proven(tmp_path):
    """Two changes within one clock tick could leave stat(2) the same: a file changed less than
    RACY_NS ago is left for the kernel to prove."""
    from helpers.build import _table_stats

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert _table_stats(data) == {}


def test_a_bad_value_in_a_column_of_repeated_values_is_named_at_its_own_row(tmp_path):
    """Codes, numbers and dates are converted once per distinct value; a value that cannot be
    converted is still reported where it stands in its column, not where it stands among the
    distinct values."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "positions.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    row = len(lines) - 3  # a late row (the last element is '' after the final line feed)
    cells = lines[row].split(",")
    cells[header.index("stance")] = "x"
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match=f"'x' at position {row - 1}"):
        load_table("positions", None, data)


# --- tables the kernel zygote read while the build checked them -------------------------------


def test_a_table_the_zygote_read_is_taken_when_the_build_proved_that_file(tmp_path, monkeypatch):
    """A kernel forked from the zygote takes the tables the zygote read and typed, the same
    tables it would read itself, once each (a second load reads the file)."""
    import helpers.data

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    expected = load_fact_base(None, data)
    monkeypatch.setattr(helpers.data, "_WARM", {})
    helpers.data.warm_fact_base(data)
    assert len(helpers.data._WARM) == len(expected)
    _proven(data, monkeypatch)
    monkeypatch.setattr("helpers.data._read_csv", lambda *a: pytest.fail("a warm table was read"))
    loaded = load_fact_base(None, data)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(loaded[name], table)
    assert helpers.data._WARM == {}


def test_a_table_the_zygote_read_is_left_when_its_file_changed_or_was_not_proven(
    tmp_path, monkeypatch
):
    """The zygote reads the data while the build checks it: a file changed since it was read,
    or one the checks did not prove as it was, is read again, with what it now says."""
    import helpers.data

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setattr(helpers.data, "_WARM", {})
    helpers.data.warm_fact_base(data)
    actors = data / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace("Sam Altman", "Samuel Altman", 1), encoding="utf-8")
    _proven(data, monkeypatch)  # the build proved the changed file
    assert "Samuel Altman" in set(load_table("actors", None, data)["name"])
    monkeypatch.delenv(PROVEN_FILES)  # papermill alone: nothing is named proven
    helpers.data.warm_fact_base(data)
    warm_events = helpers.data._WARM[str((data / "events.csv").resolve())][1]
    assert load_table("events", None, data) is not warm_events


def test_the_method_section_takes_the_builds_hash_of_a_file_unchanged_since(tmp_path, monkeypatch):
    """The method section lists each data file's sha256. The build has just computed them (its
    input hashes): a kernel takes those of files still as they were, and hashes any other."""
    import hashlib
    import json

    from helpers.build import HashCache
    from helpers.paths import KNOWN_SHA256
    from helpers.report.sections.method import data_files

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setattr("helpers.build.RACY_NS", 0)  # files copied a moment ago count too
    cache = HashCache()
    for path in data.rglob("*"):
        if path.is_file():
            cache.sha256(path)
    known = cache.known()
    actors = str((data / "actors.csv").resolve())
    known[actors] = [*known[actors][:4], "0" * 64]  # what the build said, to tell it apart
    monkeypatch.setenv(KNOWN_SHA256, json.dumps(known))
    listed = dict(data_files(data))
    assert listed["data/actors.csv"] == "0" * 64
    events = (data / "events.csv").read_bytes()
    assert listed["data/events.csv"] == hashlib.sha256(events).hexdigest()
    (data / "actors.csv").write_bytes((data / "actors.csv").read_bytes() + b"\n")  # changed
    actual = hashlib.sha256((data / "actors.csv").read_bytes()).hexdigest()
    assert dict(data_files(data))["data/actors.csv"] == actual
