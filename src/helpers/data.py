"""Load the fact tables of data/ as typed DataFrames, described by data/datapackage.json.

Types follow the Table Schemas: codes become categoricals, amounts floats, stances integers,
dates datetimes (a date known to the month or year is placed on the first day of that period),
and lists of actor ids tuples. `as_of` keeps the rows dated on or before it; undated rows (the
article's statements that it does not date) are always kept.
"""

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.csvscan import file_key, proven_files, read_plain, read_proven
from helpers.paths import DATA_DIR
from helpers.schema import PARTIAL_DATE, date_fields, read_descriptor, tables
from helpers.validate import LIST_SEPARATOR, read_table

ID_LIST = re.compile(r"\(;")  # list fields are the ones whose pattern allows ';'-separated ids
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


class DataError(ValueError):
    """A fact table that cannot be read; the message names file, row and field."""


# Typed tables a build's kernel zygote loaded before forking its kernels (`warm_fact_base`), by
# absolute path, with what stat(2) said of the file they were read from.
_WARM: dict[str, tuple[list[int], pd.DataFrame]] = {}


def partial_dates(texts: pd.Series) -> pd.Series:
    """'2015', '2018-02', '2024-12-24' or '' as datetimes; a period starts on its first day."""
    return _by_distinct(texts, _parsed_dates)


def _by_distinct(texts: pd.Series, convert: Callable[[pd.Series], object]) -> pd.Series:
    """`convert` (a Series of text to an array-like of values) of `texts`, worked out once for
    each distinct text when a column repeats its values, as most columns of codes, numbers and
    dates do. Errors are `convert`'s on the whole column, so that they name its rows."""
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    if len(distinct) < len(texts):
        try:
            converted = pd.Series(convert(pd.Series(distinct, dtype=texts.dtype)))
        except (ValueError, TypeError):
            pass  # converted again below, whole, to raise what the column's own rows say
        else:
            return pd.Series(converted.array.take(codes), index=texts.index)
    return pd.Series(convert(texts), index=texts.index)


def _parsed_dates(texts: pd.Series) -> pd.Series:
    lengths = texts.str.len()
    unknown = ~lengths.isin([0, *PRECISION_BY_LENGTH])
    if unknown.any():
        raise ValueError(f"{texts[unknown].iloc[0]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    padded = texts.where(lengths != 4, texts + "-01-01").where(lengths != 7, texts + "-01")
    return pd.to_datetime(padded.replace("", None), format="%Y-%m-%d", errors="raise").astype(
        "datetime64[ns]"
    )


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    columns = {}
    for field in schema["fields"]:
        name, values = field["name"], frame[field["name"]]
        constraints = field.get("constraints", {})
        pattern = constraints.get("pattern", "")
        if "enum" in constraints:
            codes = constraints["enum"]
            columns[name] = _by_distinct(
                values, lambda v, codes=codes: pd.Categorical(v.replace("", None), categories=codes)
            )
        elif field["type"] == "number":
            columns[name] = _by_distinct(
                values, lambda v: pd.to_numeric(v.replace("", None), errors="raise").astype(float)
            )
        elif field["type"] == "integer":
            columns[name] = _by_distinct(
                values, lambda v: pd.to_numeric(v.replace("", None)).astype("Int64")
            )
        elif pattern == PARTIAL_DATE:
            columns[name] = partial_dates(values)
            if name != "date" or "date_precision" not in frame:  # how much of it is known
                lengths = values.str.len().to_numpy()
                columns[f"{name}_precision"] = pd.Categorical(
                    pd.Series(lengths).map(PRECISION_BY_LENGTH).fillna("unknown"),
                    categories=["day", "month", "year", "unknown"],
                )
        elif ID_LIST.search(pattern):
            lists = {
                text: tuple(filter(None, text.split(LIST_SEPARATOR))) for text in values.unique()
            }
            columns[name] = [lists[text] for text in values.tolist()]
        else:
            columns[name] = values
    return pd.DataFrame(columns, index=frame.index)


def _read_whole(path: Path) -> tuple[bytes, list[int] | None]:
    """The file's bytes, and what stat(2) said of it as they were read (`file_key`); None for a
    file that changed while it was read."""
    with path.open("rb") as file:
        before = os.fstat(file.fileno())
        raw = file.read()
        unchanged = file_key(before) == file_key(os.fstat(file.fileno()))
    return raw, file_key(before) if unchanged else None


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each row indexed by its line in the file (the header is line 1)."""
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


def _read_csv(data_dir: Path, resource: dict, fields: list[str]) -> pd.DataFrame:
    """The table as strings, with pandas' fast reader; when that fails or the header is not the
    schema's, the strict reader of `helpers.validate` says what is wrong, with file and row."""
    path = data_dir / resource["path"]
    frame = None
    try:
        raw, key = _read_whole(path)
        # as the build proved it moments ago (see PROVEN_FILES), or proven plain here: either
        # way split as the strict reader would
        proven = key is not None and proven_files().get(str(path.resolve())) == key
        plain = read_proven(raw, fields, dtype=str) if proven else None
        if plain is None:
            plain = read_plain(raw, fields, dtype=str)
        if plain is not None:
            return plain
        text = raw.decode("utf-8")
        # pandas pads a short row with empty cells: count the fields of every row first
        widths = {len(row) for row in csv.reader(io.StringIO(text), strict=True)}
        if widths == {len(fields)}:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, OSError, csv.Error):  # pandas' ParserError and UnicodeDecodeError too
        frame = None
    if frame is None or list(frame.columns) != fields:
        _, problems = read_table(data_dir, resource)
        detail = (
            "; ".join(str(problem) for problem in problems) or f"{resource['path']}: cannot be read"
        )
        raise DataError(detail)
    return frame


def warm_fact_base(data_dir: Path = DATA_DIR) -> None:
    """Read and type every table of the fact base now, for a kernel forked from this process to
    take instead of reading it (the build's kernel zygote does this while the build checks the
    data). A table is taken only if the build then proved plain the file as it was read here
    (PROVEN_FILES); a table that cannot be read so is left to the kernel."""
    for resource in read_descriptor(data_dir)["resources"]:
        path = data_dir / resource["path"]
        fields = [field["name"] for field in resource["schema"]["fields"]]
        try:
            raw, key = _read_whole(path)
            frame = read_proven(raw, fields, dtype=str) if key is not None else None
            if frame is not None:
                _WARM[str(path.resolve())] = (key, _typed(_numbered(frame), resource["schema"]))
        except (ValueError, KeyError, TypeError, OSError):
            continue  # the kernel reads it, and says what is wrong with it


def _warm_table(path: Path) -> pd.DataFrame | None:
    """The table `warm_fact_base` loaded from `path`, when the build proved the file plain as it
    was then and it has not changed since; once (a second load reads the file)."""
    key, frame = _WARM.pop(str(path.resolve()), (None, None))
    if key is None or proven_files().get(str(path.resolve())) != key:
        return None
    try:
        return frame if file_key(path.stat()) == key else None
    except OSError:
        return None


def load_table(name: str, as_of: dt.date | None = None, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Table `name` of the fact base, typed by its schema, up to `as_of` (None: all of it).

    Raises DataError naming file, row and field when the file cannot be read as CSV; the full
    set of checks is `helpers.validate.validate`, which the build runs first.
    """
    resources = {resource["name"]: resource for resource in read_descriptor(data_dir)["resources"]}
    if name not in resources:
        raise DataError(f"no table {name!r} in {data_dir / 'datapackage.json'}")
    resource = resources[name]
    typed = _warm_table(data_dir / resource["path"])
    if typed is None:
        fields = [field["name"] for field in resource["schema"]["fields"]]
        frame = _numbered(_read_csv(data_dir, resource, fields))
        try:
            typed = _typed(frame, resource["schema"])
        except (ValueError, KeyError) as err:
            raise DataError(
                f"{resource['path']}: {err} (run `make validate` for details)"
            ) from None
    date_field = tables(data_dir)[name].date_field
    if as_of is not None and date_field:
        dates = typed[date_field]
        typed = typed[dates.isna() | (dates <= pd.Timestamp(as_of))]
    return typed


def load_fact_base(
    as_of: dt.date | None = None, data_dir: Path = DATA_DIR
) -> dict[str, pd.DataFrame]:
    """Every table of the fact base, by name, up to `as_of`."""
    names = [resource["name"] for resource in read_descriptor(data_dir)["resources"]]
    return {name: load_table(name, as_of, data_dir) for name in names}


def newest_date(facts: dict[str, pd.DataFrame], data_dir: Path = DATA_DIR) -> dt.date:
    """The latest date of any dated row or source of `facts`: the default 'data as of', so that
    the default edition holds everything and nothing in it is dated after its date."""
    dates = [facts[name][field].max() for name, field in date_fields(data_dir).items()]
    dates.append(facts["sources"]["published"].max())
    return max(date for date in dates if pd.notna(date)).date()


def newest_fact_date(data_dir: Path = DATA_DIR) -> dt.date:
    """The latest date of any dated row in the fact base in `data_dir`."""
    names = [*date_fields(data_dir), "sources"]
    return newest_date({name: load_table(name, None, data_dir) for name in names}, data_dir)


def actor_ids(data_dir: Path = DATA_DIR) -> set[str]:
    """Every actor id of actors.csv, to check a `focus` parameter against."""
    return set(load_table("actors", None, data_dir)["actor_id"])
