"""Validate the fact base in data/: its Table Schemas and the project's rules.

Every problem is reported at once, each naming the file, the row (the header is row 1), the field
and what is wrong. `python -m helpers.validate` (or `make validate`) exits non-zero on any problem.
"""

import csv
import datetime as dt
import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import DATA_DIR
from helpers.schema import MAX_FILE_BYTES, PACKAGE_FILE, PARTIAL_DATE, read_descriptor

DATE_SHAPES = {
    "day": r"\d{4}-\d{2}-\d{2}",
    "month": r"\d{4}-\d{2}",
    "year": r"\d{4}",
    "unknown": "",
}
LIST_SEPARATOR = ";"
# Fields that hold actor ids separated by ';' (single-valued keys are the schema's foreign keys).
ACTOR_LIST_FIELDS = {"events": ("actors",), "legal_actions": ("filed_by", "against")}
REFERABLE_TABLES = ("events", "legal_actions")  # what refers_to may point at
ANALYSED = "analysed document"  # sources.kind of the article the report analyses
# C0 and C1 controls but tab and line breaks, and the bidirectional overrides and isolates that
# can make a text read differently from what it holds (CVE-2021-42574, "Trojan Source")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the fact base, located as precisely as it can be."""

    file: str
    row: int = 0  # 0: the file as a whole
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


@dataclass
class Table:
    """A table read as text: its rows as dicts, each with its row number in the file."""

    name: str
    file: str
    rows: list[tuple[int, dict[str, str]]]
    key: str = ""  # the primary key the descriptor declares
    free_dates: tuple[str, ...] = ()  # partial-date fields with no date_precision beside them


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space, so quotes match across line breaks."""
    return " ".join(text.split())


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def read_table(data_dir: Path, resource: dict) -> tuple[Table | None, list[Problem]]:
    """Read one CSV strictly; return it, or None with the problems that stop it being read."""
    name, file = resource["name"], resource["path"]
    path = data_dir / file
    fields = [field["name"] for field in resource["schema"]["fields"]]
    if not path.exists():
        return None, [Problem(file, message="the file is missing")]
    if not _inside(path, data_dir) or not path.is_file():
        return None, [Problem(file, message="not a regular file inside data/ (a link out of it?)")]
    if path.stat().st_size > MAX_FILE_BYTES:
        return None, [Problem(file, message=f"larger than {MAX_FILE_BYTES:,} bytes")]
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(file, 1, message="starts with a byte-order mark: save as UTF-8 without BOM")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        row = raw[: err.start].count(b"\n") + 1
        return None, [Problem(file, row, message=f"not UTF-8 (byte {raw[err.start]:#04x})")]
    if not text.strip():
        return None, [Problem(file, message="the file is empty")]
    has_control = CONTROL_CHARACTERS.search(text) is not None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader)
        if header != fields:
            missing = [f for f in fields if f not in header]
            unknown = [h for h in header if h not in fields]
            detail = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(unknown)}" if unknown else "",
                    "columns out of order" if not missing and not unknown else "",
                )
                if part
            )
            return None, [Problem(file, 1, message=f"header does not match the schema: {detail}")]
        start = reader.line_num
        for cells in reader:
            row = start + 1
            start = reader.line_num
            if not cells:
                problems.append(Problem(file, row, message="blank line"))
                continue
            if len(cells) != len(fields):
                problems.append(
                    Problem(
                        file, row, message=f"{len(cells)} fields where the header has {len(fields)}"
                    )
                )
                continue
            record = dict(zip(fields, cells, strict=True))
            if has_control:  # looked for cell by cell only when the file holds one somewhere
                for field, value in record.items():
                    if control := CONTROL_CHARACTERS.search(value):
                        code = f"U+{ord(control.group()):04X}"
                        message = f"contains a control character ({code})"
                        problems.append(Problem(file, row, field, message))
            rows.append((row, record))
    except csv.Error as err:
        problems.append(Problem(file, reader.line_num, message=f"broken CSV: {err}"))
    if problems:
        return None, problems
    schema = resource["schema"]
    key = schema.get("primaryKey") or [""]
    dates = [
        field["name"]
        for field in schema["fields"]
        if field.get("constraints", {}).get("pattern") == PARTIAL_DATE
    ]
    # a `date` beside its `date_precision` is checked with it; every other partial date alone
    free = tuple(field for field in dates if field != "date" or "date_precision" not in fields)
    return Table(name, file, rows, key[0] if isinstance(key, list) else key, free), []


NON_FINITE = {"nan", "inf", "infinity"}  # pandas and frictionless would read these as numbers
SHOWN_CHARACTERS = 60  # a longer cell is quoted by its start and its length


def _shown(cell: object) -> str:
    """A cell as a message quotes it: whole when short, else its start and how long it is."""
    text = str(cell)
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[: SHOWN_CHARACTERS - 20]!r}... ({len(text):,} characters)"


def _pattern(constraints: dict) -> re.Pattern | None:
    return re.compile(constraints["pattern"]) if "pattern" in constraints else None


def schema_problems(table: Table, resource: dict, tables: dict[str, Table]) -> list[Problem]:
    """The Table Schema constraints of `resource`, checked column by column with pandas.

    Types, required fields, enums, bounds, lengths, patterns, unique keys and foreign keys, as
    frictionless checks them (a test runs frictionless on the real package), but fast at any size.
    """
    import pandas as pd

    schema = resource["schema"]
    names = [field["name"] for field in schema["fields"]]
    frame = pd.DataFrame([record for _, record in table.rows], columns=names, dtype=object)
    rows = pd.Series([row for row, _ in table.rows], index=frame.index)
    problems = column_problems(frame, rows, table.file, schema)
    problems += foreign_key_problems(table, resource, tables)
    return problems


def column_problems(frame, rows, file: str, schema: dict) -> list[Problem]:
    """The constraints of `schema` on the cells of `frame` (strings), each problem named by
    file, row (`rows`, by the frame's index) and field."""
    import pandas as pd

    problems: list[Problem] = []

    def report(mask: pd.Series, field: str, message: Callable[[str], str]) -> None:
        for index in mask[mask].index:
            problems.append(Problem(file, int(rows[index]), field, message(frame.at[index, field])))

    for field in schema["fields"]:
        name, constraints = field["name"], field.get("constraints", {})
        values = frame[name]
        filled = values != ""
        if constraints.get("required"):
            report(~filled, name, lambda _: "required but empty")
        if field["type"] in ("number", "integer"):
            kind = field["type"]
            infinite = filled & values.str.strip().str.lower().str.lstrip("+-").isin(NON_FINITE)
            report(infinite, name, lambda cell: f"{_shown(cell)} is not a finite number")
            values = values.where(~infinite, "")  # said once: not again as a bound or a type
            filled = filled & ~infinite
            parsed = pd.to_numeric(values.where(filled), errors="coerce")
            bad = filled & parsed.isna()
            if kind == "integer":
                bad |= filled & parsed.notna() & ~values.str.fullmatch(r"[+-]?\d+")
            report(bad, name, lambda cell, kind=kind: f"{_shown(cell)} is not a valid {kind}")
            if "minimum" in constraints:
                low = constraints["minimum"]
                report(
                    parsed < low,
                    name,
                    lambda cell, low=low: f"{_shown(cell)} is below the minimum {low}",
                )
            if "maximum" in constraints:
                high = constraints["maximum"]
                report(
                    parsed > high,
                    name,
                    lambda cell, high=high: f"{_shown(cell)} is above the maximum {high}",
                )
        if "enum" in constraints:
            choices = constraints["enum"]
            report(
                filled & ~values.isin(choices),
                name,
                lambda cell, choices=choices: f"{_shown(cell)} is not one of: {', '.join(choices)}",
            )
        if "maxLength" in constraints:
            longest = constraints["maxLength"]
            report(
                values.str.len() > longest,
                name,
                lambda cell, n=longest: f"{_shown(cell)} is longer than the {n} characters allowed",
            )
        if (pattern := _pattern(constraints)) is not None:
            bad = filled & ~values.str.match(pattern.pattern).astype(bool)
            report(
                bad,
                name,
                lambda cell, p=pattern.pattern: (
                    f"{_shown(cell)} does not have the expected form ({p})"
                ),
            )
    unique = [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for key in dict.fromkeys([*schema.get("primaryKey", []), *unique]):
        duplicated = frame[key].duplicated() & (frame[key] != "")
        report(
            duplicated,
            key,
            lambda cell: f"{_shown(cell)} is not unique: it stands in an earlier row",
        )
    return problems


def foreign_key_problems(table: Table, resource: dict, tables: dict[str, Table]) -> list[Problem]:
    """Single-field foreign keys of `resource` whose value is missing from the target table."""
    problems = []
    for key in resource["schema"].get("foreignKeys", []):
        target = key["reference"]["resource"]
        if target not in tables:  # a table that cannot be read is reported by itself
            continue
        (field,) = key["fields"]
        (target_field,) = key["reference"]["fields"]
        known = {record[target_field] for _, record in tables[target].rows}
        for row, record in table.rows:
            value = record[field]
            if value and value not in known:
                problems.append(
                    Problem(table.file, row, field, f"{_shown(value)} not found in {target}.csv")
                )
    return problems


def _shape(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@functools.lru_cache(maxsize=65536)  # the same dates recur across rows and tables
def _check_partial_date(text: str) -> str | None:
    """None if `text` is a real YYYY, YYYY-MM or YYYY-MM-DD date that has begun, else what is
    wrong with it: a fact cannot be dated in the future."""
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts]
        day = dt.date(
            numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1
        )
    except (ValueError, IndexError):
        return f"{_shown(text)} is not a real date"
    today = dt.datetime.now(dt.UTC).date()
    if day > today:
        return f"{_shown(text)} is in the future (today is {today.isoformat()})"
    return None


def date_problems(table: Table) -> Iterable[Problem]:
    """Dates are real and agree with their date_precision."""
    if table.rows and "date_precision" in table.rows[0][1]:
        for row, record in table.rows:
            date, precision = record["date"], record["date_precision"]
            shape = DATE_SHAPES.get(precision)
            if shape is None:
                continue  # an unknown precision is an enum error, reported by the schema check
            if not _shape(shape).fullmatch(date):
                expected = "empty" if precision == "unknown" else f"of the form {shape}"
                yield Problem(
                    table.file,
                    row,
                    "date",
                    f"{_shown(date)} does not match date_precision {precision!r} "
                    f"(expected {expected})",
                )
            elif date and (error := _check_partial_date(date)):
                yield Problem(table.file, row, "date", error)
    for field in table.free_dates:
        for row, record in table.rows:
            text = record[field]
            well_formed = _shape(r"\d{4}(-\d{2}(-\d{2})?)?").fullmatch(text)  # else a schema error
            if text and well_formed and (error := _check_partial_date(text)):
                yield Problem(table.file, row, field, error)
    if table.name == "relations":
        for row, record in table.rows:
            if record["from_actor"] and record["from_actor"] == record["to_actor"]:
                message = f"a tie from {_shown(record['from_actor'])} to itself"
                yield Problem(table.file, row, "to_actor", message)
            since, until = record["since"], record["until"]
            if since and until and until < since:
                yield Problem(table.file, row, "until", f"{until} is before since ({since})")


def reference_problems(tables: dict[str, Table]) -> Iterable[Problem]:
    """Ids inside lists and cross-table references point at rows that exist."""
    actors = (
        {record["actor_id"] for _, record in tables["actors"].rows} if "actors" in tables else None
    )
    for name, fields in ACTOR_LIST_FIELDS.items():
        if name not in tables or actors is None:
            continue
        for row, record in tables[name].rows:
            for field in fields:
                for actor in filter(None, record[field].split(LIST_SEPARATOR)):
                    if actor not in actors:
                        yield Problem(
                            tables[name].file, row, field, f"unknown actor {_shown(actor)}"
                        )
    ids: dict[str, dict[str, int]] = {}
    for name, table in tables.items():
        ids[name] = {record[table.key]: row for row, record in table.rows} if table.key else {}
    referable = [name for name in REFERABLE_TABLES if name in tables]
    if len(referable) == len(REFERABLE_TABLES):
        shared = set(ids["events"]) & set(ids["legal_actions"])
        for identifier in sorted(shared):
            message = f"{_shown(identifier)} is also an event_id: refers_to would be ambiguous"
            yield Problem(
                "legal_actions.csv", ids["legal_actions"][identifier], "action_id", message
            )
        known = set(ids["events"]) | set(ids["legal_actions"])
        for name, field in (
            ("events", "refers_to"),
            ("amounts", "refers_to"),
            ("phases", "starts_with"),
        ):
            for row, record in tables.get(name, Table(name, "", [])).rows:
                if record[field] and record[field] not in known:
                    message = f"{_shown(record[field])} is neither an event nor a legal action"
                    yield Problem(tables[name].file, row, field, message)
    if "conflicts" in tables:
        for row, record in tables["conflicts"].rows:
            for field in ("version_a", "version_b"):
                if not record[field] or ":" not in record[field]:
                    continue
                name, identifier = record[field].split(":", 1)
                if name in ids and identifier not in ids[name]:
                    yield Problem(
                        "conflicts.csv", row, field, f"no row {_shown(identifier)} in {name}.csv"
                    )


def quote_problems(data_dir: Path, tables: dict[str, Table]) -> Iterable[Problem]:
    """Every quote of an archived source occurs in the archived text (whitespace-normalized)."""
    if "sources" not in tables:
        return
    archives: dict[str, str] = {}
    for row, record in tables["sources"].rows:
        if not record["archived_path"]:
            continue
        path = data_dir / record["archived_path"]
        if not _inside(path, data_dir / "sources") or not path.is_file():
            yield Problem(
                "sources.csv",
                row,
                "archived_path",
                f"{_shown(record['archived_path'])} is not a file in data/sources/",
            )
            continue
        try:
            archives[record["source_id"]] = normalize_space(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            yield Problem(
                "sources.csv",
                row,
                "archived_path",
                f"{_shown(record['archived_path'])} is not UTF-8 text",
            )
    for table in tables.values():
        if not table.rows or "quote" not in table.rows[0][1]:
            continue
        for row, record in table.rows:
            text = archives.get(record["source_id"])
            if (
                text is not None
                and normalize_space(unicodedata.normalize("NFC", record["quote"])) not in text
            ):
                yield Problem(
                    table.file,
                    row,
                    "quote",
                    f"not found in the archived source {_shown(record['source_id'])}",
                )


def shown_quotes(tables: dict[str, Table]) -> dict[tuple[str, str], str]:
    """The quotes a report shows, as (table, id) with why: the versions of each disagreement
    (the disputes section) and the analysed article's own amounts (the money section)."""
    shown: dict[tuple[str, str], str] = {}
    for row, record in tables["conflicts"].rows if "conflicts" in tables else ():
        for field in ("version_a", "version_b"):
            name, _, identifier = record[field].partition(":")
            shown.setdefault((name, identifier), f"conflicts.csv row {row} quotes it")
    if "sources" in tables and "amounts" in tables:
        analysed = {r["source_id"] for _, r in tables["sources"].rows if r["kind"] == ANALYSED}
        for _, record in tables["amounts"].rows:
            if record["source_id"] in analysed:
                why = "the money section quotes the analysed article's amounts"
                shown.setdefault(("amounts", record["amount_id"]), why)
    return shown


def translation_problems(
    tables: dict[str, Table], shown: dict[tuple[str, str], str] | None = None
) -> Iterable[Problem]:
    """Translations of quotes (`quote_<lang>`): each has its original quote, none is in the
    quote's own language, and every quote a report shows (`shown`: `shown_quotes(tables)` when
    not given) is translated into each language of the report it is not written in."""
    from helpers.i18n import LANGUAGES

    if "sources" not in tables:
        return
    languages = {r["source_id"]: r["language"] for _, r in tables["sources"].rows}
    shown = shown_quotes(tables) if shown is None else shown
    for table in tables.values():
        if not table.rows or "quote" not in table.rows[0][1]:
            continue
        fields = [f"quote_{lang}" for lang in LANGUAGES if f"quote_{lang}" in table.rows[0][1]]
        for row, record in table.rows:
            original = languages.get(record["source_id"], "")
            why = shown.get((table.name, record[table.key]))
            for field in fields:
                lang, translation = field.removeprefix("quote_"), record[field].strip()
                if translation and not record["quote"].strip():
                    yield Problem(
                        table.file, row, field, "a translation without its original quote"
                    )
                elif translation and lang == original:
                    message = f"the source is already in {lang!r}: the quote needs no translation"
                    yield Problem(table.file, row, field, message)
                elif why and not translation and original and lang != original:
                    message = f"required: the report shows this quote ({why}) to {lang!r} readers"
                    yield Problem(table.file, row, field, message)


@functools.cache
def drawable() -> frozenset[int]:
    """The code points the report's font (DejaVu Sans, shipped with matplotlib) can draw."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def glyph_problems(table: Table, resource: dict) -> Iterable[Problem]:
    """Text the charts and the PDF could not draw (an emoji in a name would print as a box)."""
    fields = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"]
    known = drawable()
    for row, record in table.rows:
        for field in fields:
            text = record[field]
            if text.isascii() and "\x7f" not in text:  # nothing beyond "~" to look up
                continue
            missing = next((c for c in text if ord(c) not in known and c > "~"), None)
            if missing is not None:
                name = unicodedata.name(missing, "unnamed")
                yield Problem(
                    table.file,
                    row,
                    field,
                    f"U+{ord(missing):04X} ({name}) cannot be drawn by the report's font "
                    "(DejaVu Sans): write it as text",
                )


def amount_problems(table: Table) -> Iterable[Problem]:
    """Bounds are ordered and agree with the qualifier."""
    for row, record in table.rows:
        try:
            low = float(record["low_usd"]) if record["low_usd"] else None
            high = float(record["high_usd"]) if record["high_usd"] else None
        except ValueError:
            continue  # a type error, reported by the schema check
        if low is not None and high is not None and low > high:
            yield Problem(
                table.file,
                row,
                "low_usd",
                f"low_usd {record['low_usd']} is above high_usd {record['high_usd']}",
            )
        if record["qualifier"] == "exact" and high is not None and high != low:
            yield Problem(
                table.file, row, "high_usd", "an exact amount has no separate upper bound"
            )


def assertion_problems(table: Table) -> Iterable[Problem]:
    """Claims and opinions name who asserts them."""
    if not table.rows or "assertion" not in table.rows[0][1]:
        return
    for row, record in table.rows:
        if record["assertion"] in ("claim", "opinion") and not record["asserted_by"]:
            yield Problem(
                table.file, row, "asserted_by", f"a {record['assertion']} must name who asserts it"
            )


# --- the fast proof that a fact base has nothing to report ----------------------------------------
#
# `validate` first tries to prove, with whole-column and whole-file operations, that the strict
# checks below would find nothing. Each check of the proof runs the rule's own code on the
# distinct values (or combinations of values) a rule looks at, or asks a question whose "no"
# implies the rule's "no problem". Any doubt, and `validate` runs the strict checks, which name
# file, row and field: the proof only ever makes a valid fact base faster to accept.


def _plain_frames(data_dir: Path, descriptor: dict) -> dict | None:
    """Every table as a DataFrame of strings when each file is one `read_table` would read
    without a problem and holds nothing the font cannot draw; else None."""
    from helpers.csvscan import plain_table

    frames = {}
    for resource in descriptor["resources"]:
        path = data_dir / resource["path"]
        if not path.exists() or not _inside(path, data_dir) or not path.is_file():
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        plain = plain_table(path.read_bytes(), [f["name"] for f in resource["schema"]["fields"]])
        if plain is None:
            return None
        frame, characters = plain
        known = drawable() if characters else frozenset()
        if any(ord(character) not in known for character in characters):
            return None
        frames[resource["name"]] = frame
    return frames


def _distinct(frame, fields: list[str], name: str = "", file: str = "") -> Table:
    """A Table of the distinct combinations of `fields` in `frame` (row numbers all 0)."""
    columns = [frame[field].tolist() for field in fields]
    combos = set(zip(*columns, strict=True))
    return Table(name, file, [(0, dict(zip(fields, combo, strict=True))) for combo in combos])


def _column_has_problem(values, field: dict) -> bool:
    """Whether `column_problems` would report a problem in this column: lengths and required
    cells over the whole column in one C-level pass, the other constraints on its distinct values
    (a duplicate in a unique column counts as one)."""
    import pandas as pd

    constraints = dict(field.get("constraints", {}))
    cells = values.to_numpy(dtype=object)
    distinct = pd.unique(cells) if constraints.pop("unique", False) else None
    if distinct is not None and len(distinct) != len(cells):
        return True
    longest = constraints.pop("maxLength", None)
    if longest is not None and max(map(len, cells), default=0) > longest:
        return True
    if constraints.pop("required", False) and (cells == "").any():
        return True
    if not constraints and field["type"] == "string":
        return False
    distinct = pd.unique(cells) if distinct is None else distinct
    if (pattern := _pattern(constraints)) is not None:
        del constraints["pattern"]
        if not all(map(pattern.match, filter(None, distinct))):
            return True
    if not constraints and field["type"] == "string":
        return False
    frame = pd.DataFrame({field["name"]: distinct}, dtype=object)
    rows = pd.Series(0, index=frame.index)
    alone = {**field, "constraints": constraints}
    return bool(column_problems(frame, rows, "", {"fields": [alone]}))


def proven_valid(data_dir: Path, descriptor: dict) -> bool:
    """Whether the strict checks of `validate` would find nothing, proven fast; False on doubt."""
    return _proven_frames(data_dir, descriptor) is not None


def _proven_frames(data_dir: Path, descriptor: dict) -> dict | None:
    """The tables as `_plain_frames` reads them when the fast proof holds; None on doubt."""
    frames = _plain_frames(data_dir, descriptor)
    if frames is None:
        return None
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    for name, frame in frames.items():
        schema = resources[name]["schema"]
        for field in schema["fields"]:
            if _column_has_problem(frame[field["name"]], field):
                return None
        for key in schema.get("primaryKey", []):
            if frame[key].duplicated().any():
                return None
        for foreign in schema.get("foreignKeys", []):
            (column,) = foreign["fields"]
            (target_field,) = foreign["reference"]["fields"]
            target = frames.get(foreign["reference"]["resource"])
            if target is None:
                continue
            values = frame[column]
            if (values.ne("") & ~values.isin(set(target[target_field]))).any():
                return None
    # per-row rules, run by their own code on the distinct combinations they look at
    for name, frame in frames.items():
        fields = [f["name"] for f in resources[name]["schema"]["fields"]]
        _, free = _free_dates(resources[name])
        rules = [  # (the fields a rule looks at, the dates checked alone, the table's name)
            *([(["date", "date_precision"], (), "")] if "date_precision" in fields else []),
            *(([field], (field,), "") for field in free),
            *(
                [(["from_actor", "to_actor", "since", "until"], (), name)]
                if name == "relations"
                else []
            ),
        ]
        for looked_at, alone, called in rules:
            combos = _distinct(frame, looked_at, called)
            combos.free_dates = alone
            if next(iter(date_problems(combos)), None):
                return None
        if "assertion" in fields:
            claims = _distinct(frame, ["assertion", "asserted_by"])
            if next(iter(assertion_problems(claims)), None):
                return None
    if "amounts" in frames:
        amounts = _distinct(frames["amounts"], ["low_usd", "high_usd", "qualifier"])
        if next(iter(amount_problems(amounts)), None):
            return None
    keys = {name: (r["schema"].get("primaryKey") or [""])[0] for name, r in resources.items()}
    if not _references_hold(frames, keys) or not _quotes_hold(data_dir, frames, resources):
        return None
    return frames


def _free_dates(resource: dict) -> tuple[list[str], tuple[str, ...]]:
    """The partial-date fields of `resource` and those checked alone (see `read_table`)."""
    fields = [field["name"] for field in resource["schema"]["fields"]]
    dates = [
        field["name"]
        for field in resource["schema"]["fields"]
        if field.get("constraints", {}).get("pattern") == PARTIAL_DATE
    ]
    return dates, tuple(f for f in dates if f != "date" or "date_precision" not in fields)


def _references_hold(frames: dict, keys: dict[str, str]) -> bool:
    """Whether `reference_problems` would find nothing (`keys`: each table's primary key)."""
    if "actors" in frames:
        actors = set(frames["actors"]["actor_id"])
        for name, fields in ACTOR_LIST_FIELDS.items():
            if name not in frames:
                continue
            for field in fields:
                for cell in frames[name][field].unique():
                    if any(a not in actors for a in filter(None, cell.split(LIST_SEPARATOR))):
                        return False
    if all(name in frames for name in REFERABLE_TABLES):
        if not all(keys.get(name) for name in REFERABLE_TABLES):
            return False  # a table without a key: left to the strict checks
        ids = {name: set(frames[name][keys[name]]) for name in REFERABLE_TABLES}
        if ids["events"] & ids["legal_actions"]:
            return False
        known = ids["events"] | ids["legal_actions"]
        for name, field in (
            ("events", "refers_to"),
            ("amounts", "refers_to"),
            ("phases", "starts_with"),
        ):
            if name in frames:
                values = frames[name][field]
                if (values.ne("") & ~values.isin(known)).any():
                    return False
    return True


def _quotes_hold(data_dir: Path, frames: dict, resources: dict) -> bool:
    """Whether `reference_problems` (conflicts), `quote_problems` and `translation_problems`
    would find nothing: run on the small tables whole and on the distinct quotes of the others."""
    from helpers.i18n import LANGUAGES

    small = {}
    for name in ("sources", "conflicts", "actors", "cases", "topics", "phases"):
        if name in frames:
            frame = frames[name]
            rows = [
                (0, dict(zip(frame.columns, values, strict=True)))
                for values in frame.itertuples(index=False)
            ]
            key = resources[name]["schema"].get("primaryKey") or [""]
            small[name] = Table(name, resources[name]["path"], rows, key[0])
    if "conflicts" in small:
        named: dict[str, set[str]] = {}
        for _, record in small["conflicts"].rows:
            for field in ("version_a", "version_b"):
                if not record[field] or ":" not in record[field]:
                    continue
                name, identifier = record[field].split(":", 1)
                if name in frames:
                    key = (resources[name]["schema"].get("primaryKey") or [""])[0]
                    if not key:
                        return False
                    if name not in named:
                        named[name] = set(frames[name][key])
                    if identifier not in named[name]:
                        return False
    if "sources" not in small:
        return True
    shown: dict[tuple[str, str], str] = {}
    for _, record in small["conflicts"].rows if "conflicts" in small else ():
        for field in ("version_a", "version_b"):
            name, _, identifier = record[field].partition(":")
            shown[(name, identifier)] = "shown"
    if "amounts" in frames:
        analysed = {r["source_id"] for _, r in small["sources"].rows if r["kind"] == ANALYSED}
        amounts = frames["amounts"]
        for identifier in amounts.loc[amounts["source_id"].isin(analysed), "amount_id"]:
            shown[("amounts", identifier)] = "shown"
    quoted = {"sources": small["sources"]}
    for name, frame in frames.items():
        if "quote" not in frame.columns:
            continue
        key = (resources[name]["schema"].get("primaryKey") or [""])[0]
        fields = [
            "source_id",
            "quote",
            *(f"quote_{lang}" for lang in LANGUAGES if f"quote_{lang}" in frame.columns),
        ]
        # the key matters only to a quote the report shows: any other one stands as ""
        keys = frame[key].where(frame[key].isin({i for n, i in shown if n == name}), "")
        combos = _distinct(
            frame.assign(**{key: keys}), [key, *fields], name, resources[name]["path"]
        )
        combos.key = key
        quoted[name] = combos
    if next(iter(quote_problems(data_dir, quoted)), None):
        return False
    return next(iter(translation_problems(quoted, shown)), None) is None


def validate(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem of the fact base in `data_dir`, sorted by file and row; empty when valid."""
    return validated(data_dir)[0]


def validated(data_dir: Path = DATA_DIR) -> tuple[list[Problem], dict | None]:
    """What `validate` returns, with the tables it read when the fast proof accepted them (by
    name, DataFrames of strings, '' for an empty cell, as in the files), so that the build reads
    no file twice; None beside them when the row-by-row checks ran."""
    try:
        descriptor = read_descriptor(data_dir)
    except (OSError, ValueError) as err:
        return [Problem(PACKAGE_FILE, message=f"cannot be read: {err}")], None
    checked = descriptor.get("recordCheckedThrough", "")
    refused = checked and (not isinstance(checked, str) or _check_partial_date(checked))
    frames = None if refused else _proven_frames(data_dir, descriptor)
    if frames is not None:
        return [], frames
    return validate_strictly(data_dir, descriptor), None


def validate_strictly(data_dir: Path = DATA_DIR, descriptor: dict | None = None) -> list[Problem]:
    """What `validate` returns, found row by row without the fast proof (slower at scale)."""
    if descriptor is None:
        try:
            descriptor = read_descriptor(data_dir)
        except (OSError, ValueError) as err:
            return [Problem(PACKAGE_FILE, message=f"cannot be read: {err}")]
    problems: list[Problem] = []
    checked = descriptor.get("recordCheckedThrough", "")
    if checked and (not isinstance(checked, str) or (error := _check_partial_date(checked))):
        problems.append(Problem(PACKAGE_FILE, 0, "recordCheckedThrough", error or "not a date"))
    tables: dict[str, Table] = {}
    for resource in descriptor["resources"]:
        table, found = read_table(data_dir, resource)
        problems += found
        if table is not None:
            tables[table.name] = table
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    for name, table in tables.items():
        problems += schema_problems(table, resources[name], tables)
    for table in tables.values():
        problems += date_problems(table)
        problems += glyph_problems(table, resources[table.name])
        problems += assertion_problems(table)
    if "amounts" in tables:
        problems += amount_problems(tables["amounts"])
    problems += reference_problems(tables)
    problems += quote_problems(data_dir, tables)
    problems += translation_problems(tables)
    return sorted(set(problems))


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.validate [DATA_DIR]`: print every problem; exit 1 if there is any."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else DATA_DIR
    problems = validate(data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    resources = read_descriptor(data_dir)["resources"]
    print(f"{data_dir}: valid ({len(resources)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
