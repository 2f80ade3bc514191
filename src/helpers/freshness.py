"""How current the fact base is: the newest fact, how far the public record was checked, and
whether a scheduled build should warn that the report is going stale."""

import csv
import datetime as dt
import io
from pathlib import Path

from helpers.paths import DATA_DIR
from helpers.schema import MAX_FILE_BYTES, read_descriptor, tables

DEFAULT_STALE_AFTER_DAYS = 120  # reports.toml: stale_after_days


def newest_fact(data_dir: Path = DATA_DIR, frames: dict | None = None) -> dt.date | None:
    """The latest date of any dated row, read straight from the CSV date columns (fast); None
    when a table is not one the validation would read (the build then stops on it anyway).
    `frames`: the tables as the validation read them (`helpers.validate.validated`), whose date
    columns are taken instead of reading the files again."""
    newest = ""
    try:
        for name, table in tables(data_dir).items():
            path = data_dir / table.path
            if not table.date_field:
                continue
            if frames is not None and name in frames:
                newest = max(newest, *frames[name][table.date_field], "")
                continue
            # never read what the validation refuses unread: a link out of data/, a huge file
            if not path.resolve().is_relative_to(data_dir.resolve()) or not path.is_file():
                return None
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            from helpers.csvscan import plain_column  # pandas: not for every command line

            raw = path.read_bytes()
            dates = plain_column(raw, list(table.fields), table.date_field)
            if dates is None:  # not plain: the csv module reads it
                text = io.StringIO(raw.decode("utf-8"), newline="")
                dates = [row[table.date_field] or "" for row in csv.DictReader(text)]
            newest = max(newest, *dates, "")  # ISO text: a shorter prefix sorts first
        start_of_period = {4: "-01-01", 7: "-01"}.get(len(newest), "")  # as the loader places it
        return dt.date.fromisoformat(newest + start_of_period) if newest else None
    except (OSError, ValueError, KeyError, TypeError, csv.Error):  # the validation names it
        return None


def record_checked(data_dir: Path = DATA_DIR) -> dt.date | None:
    """How far the published record was searched (`recordCheckedThrough` in datapackage.json)."""
    try:
        text = read_descriptor(data_dir).get("recordCheckedThrough")
        return dt.date.fromisoformat(text) if isinstance(text, str) and text else None
    except (OSError, ValueError, AttributeError):  # the validation names what is wrong
        return None


def freshness(
    data_dir: Path = DATA_DIR,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    today: dt.date | None = None,
    frames: dict | None = None,
) -> dict:
    """The data's dates and age, as the manifest and the index record them (`frames`: see
    `newest_fact`)."""
    newest, checked = newest_fact(data_dir, frames), record_checked(data_dir)
    return aged(
        newest.isoformat() if newest else None,
        checked.isoformat() if checked else None,
        stale_after_days,
        today,
    )


def aged(
    newest: str | None, checked: str | None, stale_after_days: int, today: dt.date | None = None
) -> dict:
    """`freshness` from the data's dates (ISO text, or None) already read: their age `today`."""
    today = today or dt.datetime.now(dt.UTC).date()
    age = (today - dt.date.fromisoformat(newest)).days if newest else None
    return {
        "newest_fact": newest,
        "record_checked": checked,
        "age_days": age,
        "stale_after_days": stale_after_days,
        "stale": age is not None and age > stale_after_days,
    }


def stale_warning(fresh: dict) -> str | None:
    """The log line of a stale fact base, or None."""
    if not fresh["stale"]:
        return None
    checked = fresh["record_checked"]
    return (
        f"WARNING stale data: the newest fact is dated {fresh['newest_fact']}, "
        f"{fresh['age_days']} days ago (stale_after_days = {fresh['stale_after_days']})"
        + (f"; the public record was last checked through {checked}" if checked else "")
        + ". Add the newer facts to data/ and set recordCheckedThrough in data/datapackage.json."
    )
