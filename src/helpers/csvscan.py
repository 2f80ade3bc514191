"""Read a plain fact table fast, or say that it needs the strict reader.

`helpers.validate.read_table` reads a CSV with Python's strict `csv` reader, cell by cell, so that
each problem is named by file, row and field; at 1000x the fact base that takes seconds. Most
files have nothing to report: `read_plain` proves that from the bytes (with whole-file bytes
operations: translate, split, count) and then lets pandas' C reader parse them, which splits such
a file exactly as the strict reader does. When the proof fails (stray quotes, a carriage return,
a control character, a blank line, a record of another width, a byte-order mark, bytes that are
not UTF-8), it returns None and the caller uses the strict reader, which names what is wrong.
"""

import io
import json
import operator
import os

import pandas as pd

from helpers.paths import KNOWN_SHA256, PROVEN_FILES

# Bytes a plain file may hold as they are: tab, line feed, printable ASCII. Anything else is
# looked at: a C0 control, DEL or carriage return refuses the file (the strict reader and pandas
# could end a record there differently), and bytes beyond ASCII are decoded, character by
# character, to find controls and line separators.
_PLAIN_ASCII = bytes([9, 10, *range(32, 127)])
_BEYOND_ASCII = bytes(range(128, 256))
# C1 controls, bidirectional overrides and isolates (as `helpers.validate.CONTROL_CHARACTERS`),
# and the characters `str.splitlines` ends a line on, which the strict reader's rows follow
_REFUSED_CHARACTERS = frozenset(
    map(chr, [*range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
)
_FIELD_EDGE = (b",", b"\n")  # what stands outside a quoted field, next to its quotes
_EDGES = {b"", *_FIELD_EDGE}  # the first or last byte of what stands between two quoted fields
_FIRST, _LAST = operator.itemgetter(slice(None, 1)), operator.itemgetter(slice(-1, None))
_COMMAS = operator.methodcaller("count", b",")


def characters_beyond_ascii(raw: bytes) -> set[str] | None:
    """The distinct characters beyond ASCII in `raw`; None when `raw` holds a control character,
    a carriage return, a line separator, or is not UTF-8."""
    rest = raw.translate(None, _PLAIN_ASCII)
    if not rest:
        return set()
    if rest.translate(None, _BEYOND_ASCII):  # a control byte, DEL or carriage return
        return None
    try:  # each character's bytes stay together: the rest is UTF-8 when raw is
        characters = set(rest.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return None if characters & _REFUSED_CHARACTERS else characters


def plain_records(raw: bytes, width: int) -> int | None:
    """The number of records (the header included) of `raw` when it is plain CSV that the strict
    `csv` reader and pandas' C reader split alike: every quote opens a field, closes it or
    doubles a quote inside it; no line is blank; every record has `width` - 1 commas outside
    quotes. None otherwise."""
    if width < 2 or not raw or raw.startswith((b"\xef\xbb\xbf", b"\n")):
        return None
    parts = raw.split(b'"')
    if len(parts) % 2 == 0:  # an odd number of quotes: a quoted field left open
        return None
    outside, inside = parts[0::2], parts[1::2]
    # between a closing and an opening quote: nothing ("" doubles a quote) or field edges
    between = outside[1:-1]
    if not set(map(_FIRST, between)) <= _EDGES or not set(map(_LAST, between)) <= _EDGES:
        return None
    if inside and (
        (outside[0] and not outside[0].endswith(_FIELD_EDGE))
        or (outside[-1] and not outside[-1].startswith(_FIELD_EDGE))
    ):
        return None
    unquoted = b"\0".join(outside)  # NUL never stands in a plain file: no false "\n\n"
    lines = unquoted.split(b"\n")  # each record without its quoted text
    if raw.endswith(b"\n"):
        lines.pop()  # what follows the last line feed: nothing
    if b"" in lines:  # a blank line
        return None
    if set(map(_COMMAS, lines)) != {width - 1}:
        return None
    return len(lines)


def plain_table(
    raw: bytes, fields: list[str], dtype: type = object
) -> tuple[pd.DataFrame, set[str]] | None:
    """The table in `raw` as a DataFrame of strings ('' for an empty cell; columns of `dtype`,
    object or str), its header equal to `fields`, with the distinct characters beyond ASCII it
    holds; None when `raw` is not plain CSV of that header (see `plain_records` and
    `characters_beyond_ascii`)."""
    characters = characters_beyond_ascii(raw)
    records = plain_records(raw, len(fields)) if characters is not None else None
    if records is None:
        return None
    frame = read_proven(raw, fields, dtype)
    # a RangeIndex of one row per record, unless pandas took a first column as the index
    if frame is None or not frame.index.equals(pd.RangeIndex(records - 1)):
        return None
    return frame, characters


def read_proven(raw: bytes, fields: list[str], dtype: type = object) -> pd.DataFrame | None:
    """The table in `raw`, already shown to be plain CSV (`plain_records`, and no character
    `characters_beyond_ascii` refuses), as a DataFrame of strings; None unless its header is
    `fields`."""
    try:
        frame = pd.read_csv(
            io.BytesIO(raw), dtype=dtype, na_filter=False, keep_default_na=False, engine="c"
        )
    except (ValueError, UnicodeDecodeError):  # pandas' ParserError is a ValueError
        return None
    return frame if list(frame.columns) == fields else None


def read_plain(raw: bytes, fields: list[str], dtype: type = object) -> pd.DataFrame | None:
    """The table in `raw` as a DataFrame of strings, or None (see `plain_table`)."""
    plain = plain_table(raw, fields, dtype)
    return None if plain is None else plain[0]


def plain_column(raw: bytes, fields: list[str], field: str) -> list[str] | None:
    """The cells of column `field` of the table in `raw`, top to bottom, when `raw` is plain CSV
    whose first line is `fields` as they are (see `plain_records`); else None."""
    if not raw.startswith(",".join(fields).encode() + b"\n"):
        return None
    records = plain_records(raw, len(fields))
    if records is None or characters_beyond_ascii(raw) is None:
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(raw), usecols=[field], dtype=object, na_filter=False, keep_default_na=False
        )
    except (ValueError, UnicodeDecodeError):
        return None
    if not frame.index.equals(pd.RangeIndex(records - 1)):
        return None
    return frame[field].tolist()


def file_key(stat: os.stat_result) -> list[int]:
    """What stat(2) says of a file that a change to it would alter (see PROVEN_FILES)."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def known_sha256(path: os.PathLike) -> str | None:
    """The sha256 of the file at `path` as the build computed it (KNOWN_SHA256), when the file
    is still as it was then; None otherwise."""
    try:
        known = json.loads(os.environ.get(KNOWN_SHA256) or "{}")
        entry = known.get(os.path.realpath(path)) if isinstance(known, dict) else None
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == file_key(os.stat(path)):
            return str(entry[4])
    except (OSError, ValueError):
        pass
    return None


def proven_files() -> dict[str, list[int]]:
    """The files this process's build proved plain (PROVEN_FILES), by absolute path; none when
    the variable is not set or not such a mapping."""
    try:
        proven = json.loads(os.environ.get(PROVEN_FILES) or "{}")
    except ValueError:
        return {}
    return proven if isinstance(proven, dict) else {}
