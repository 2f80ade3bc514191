"""The fast path of the validation: it may only ever accept what the row-by-row checks accept.

`validate` first tries to prove a fact base valid with whole-file and whole-column operations
(`helpers.csvscan`, `helpers.validate.proven_valid`); on any doubt it runs the row-by-row checks
(`validate_strictly`). These tests break large tables deep inside, where a faster path could lose
the row, and compare the two.
"""

import csv
import datetime as dt
import io
import random
import shutil
from pathlib import Path

import pytest

from helpers.changes import facts_digest
from helpers.csvscan import plain_column, plain_table
from helpers.freshness import newest_fact
from helpers.paths import DATA_DIR
from helpers.synthetic import scale_fact_base
from helpers.validate import (
    proven_valid,
    read_descriptor,
    read_table,
    validate,
    validate_strictly,
    validated,
)

HEADER = ["a", "b", "c"]
PIECES = ["x", "yz", "", " ", ",", '"', '""', "\n", "\r\n", "é", "«", "\u2028", "\x07", "\u202e"]


def _cell(rng: random.Random) -> str:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3)))
    if rng.random() < 0.5:  # quoted as a writer would, or (rarely) left raw
        return '"' + text.replace('"', '""') + '"'
    return text if rng.random() < 0.1 else text.replace('"', "").replace(",", "").replace("\n", "")


def _random_csv(rng: random.Random) -> bytes:
    lines = [",".join(HEADER)]
    for _ in range(rng.randint(0, 4)):
        width = rng.choice([3, 3, 3, 3, 2, 4])
        lines.append(",".join(_cell(rng) for _ in range(width)))
    ending = rng.choice(["\n", "\n", ""])
    return (ending.join(lines) + ending if ending else "\n".join(lines)).encode()


def test_a_file_read_fast_is_read_alike_by_the_strict_reader(tmp_path):
    """Whatever `plain_table` accepts, the strict reader reads without a problem, row for row."""
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": n} for n in HEADER]}}
    rng = random.Random(14)
    accepted = refused = 0
    for _ in range(3000):
        raw = _random_csv(rng)
        (tmp_path / "t.csv").write_bytes(raw)
        plain = plain_table(raw, HEADER)
        if plain is None:
            refused += 1
            continue
        accepted += 1
        table, problems = read_table(tmp_path, resource)
        assert problems == [], raw
        frame, _ = plain
        strict_rows = [[record[name] for name in HEADER] for _, record in table.rows]
        assert frame.to_numpy().tolist() == strict_rows, raw
        column = plain_column(raw, HEADER, "b")  # one column alone (pandas' usecols)
        assert column is None or column == [row[1] for row in strict_rows], raw
        assert column is not None or not raw.startswith(b"a,b,c\n"), raw
    assert accepted > 300 and refused > 300, (accepted, refused)  # both paths were exercised


@pytest.fixture(scope="module")
def hundredfold(tmp_path_factory) -> Path:
    return scale_fact_base(100, tmp_path_factory.mktemp("x100") / "data")


@pytest.fixture
def big(hundredfold, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(hundredfold, copy)
    return copy


def _deep_row(path: Path, back: int = 7) -> tuple[int, str]:
    """A row near the end of the file (header = row 1) and its line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = len(lines) - back  # the last element is '' after the final line feed
    return number, lines[number - 1]


def _put(path: Path, number: int, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_fast_path_accepts_the_real_and_the_scaled_fact_base(hundredfold):
    for data_dir in (DATA_DIR, hundredfold):
        assert proven_valid(data_dir, read_descriptor(data_dir))
        assert validate(data_dir) == validate_strictly(data_dir) == []


def _cell_set(index: int, value: str):
    """An edit of a line: its cell `index` set to `value`, quoted as a CSV writer would."""

    def edit(line: str) -> str:
        cells = next(csv.reader([line]))
        cells[index] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        return out.getvalue()

    return edit


def _stray_quote(line: str) -> str:
    """The line with its `kind` or `step` cell written "motion"x: text after a closing quote."""
    cells = next(csv.reader([line]))
    return line.replace(f",{cells[7]},", f',"{cells[7]}"x,', 1)


BREAKS = {
    # name: (file, edit of the line, words of the message, field named)
    "impossible date": ("events.csv", _cell_set(1, "2019-02-30"), "is not a real date", "date"),
    "unknown actor": ("events.csv", _cell_set(4, "musk;nobody"), "actor 'nobody'", "actors"),
    "duplicate id": ("events.csv", _cell_set(0, "openai-lp"), "is not unique", "event_id"),
    "emoji": ("amounts.csv", _cell_set(9, "Money \U0001f4b0"), "cannot be drawn", "label_en"),
    "control character": ("positions.csv", _cell_set(6, "a\x07b"), "(U+0007)", "summary_en"),
    "bidi override": ("relations.csv", _cell_set(12, "a\u202eb"), "U+202E", "note"),
    "stray quote": ("legal_actions.csv", _stray_quote, "broken CSV", ""),
    "short row": ("events.csv", lambda line: line.rsplit(",", 1)[0], "16 fields where", ""),
    "not UTF-8": ("relations.csv", None, "not UTF-8", ""),
}  # fmt: skip


@pytest.mark.parametrize("kind", BREAKS)
def test_a_bad_row_deep_inside_a_large_table_is_named_by_its_row(big, kind):
    file, edit, words, field = BREAKS[kind]
    path = big / file
    number, line = _deep_row(path)
    if edit is None:  # a Latin-1 byte at the end of the line
        lines = path.read_bytes().split(b"\n")
        lines[number - 1] += "é".encode("latin-1")
        path.write_bytes(b"\n".join(lines))
    else:
        _put(path, number, edit(line))
    found = validate(big)
    assert found == validate_strictly(big)
    named = [p for p in found if p.file == file and p.row == number and words in p.message]
    assert named, [str(p) for p in found][:5]
    assert not field or named[0].field == field


def test_a_short_row_and_a_long_row_that_balance_are_both_named(big):
    """The commas of a file add up, but two rows are wrong: both are named."""
    path = big / "positions.csv"
    short, short_line = _deep_row(path, back=9)
    long, long_line = _deep_row(path, back=4)
    _put(path, short, short_line.rsplit(",", 1)[0])
    _put(path, long, long_line + ",")
    found = [str(p) for p in validate(big)]
    assert found == [str(p) for p in validate_strictly(big)]
    assert found == [
        f"positions.csv, row {short}: 16 fields where the header has 17",
        f"positions.csv, row {long}: 18 fields where the header has 17",
    ]


def test_a_carriage_return_row_is_read_by_the_strict_reader(big):
    """A file with one Windows line ending is left to the strict reader, which accepts it."""
    path = big / "relations.csv"
    number, line = _deep_row(path)
    _put(path, number, line + "\r")
    assert not proven_valid(big, read_descriptor(big))
    assert validate(big) == validate_strictly(big) == []


def test_one_column_is_read_alone_only_when_every_row_has_the_header_s_width():
    """pandas reading one column does not refuse a long row: the scan must."""
    assert plain_column(b"a,b,c\n1,2,3\n4,5,6\n", HEADER, "b") == ["2", "5"]
    assert plain_column(b"a,b,c\n1,2,3\n4,5,6,7\n", HEADER, "b") is None
    assert plain_column(b"a,b,c\n1,2,3,4\n4,5\n", HEADER, "b") is None
    assert plain_column(b"a,c,b\n1,2,3\n", HEADER, "b") is None


def test_the_newest_fact_is_found_in_a_file_left_to_the_csv_module(big):
    """A file with a Windows line ending is not plain: the csv module reads its dates."""
    path = big / "relations.csv"
    number, line = _deep_row(path)
    _put(path, number, _cell_set(4, "2026-11-27")(line) + "\r")
    assert newest_fact(big) == dt.date(2026, 11, 27)


def test_the_build_reads_the_dates_and_the_digest_from_what_the_checks_read(big):
    """The build takes the newest date and the facts' digest from the tables the fast proof read,
    instead of reading the files again: the same answers as from the files. A late date deep in a
    table (a row the synthetic base would not hold) shows that the tables' cells, not a copy of
    the real base's, are read."""
    path = big / "events.csv"
    number, line = _deep_row(path)
    _put(path, number, _cell_set(1, "2026-11-26")(line))
    problems, frames = validated(big)
    assert problems == [] and frames is not None
    assert newest_fact(big, frames) == newest_fact(big) == dt.date(2026, 11, 26)
    assert facts_digest(big, frames) == facts_digest(big)


def test_checks_made_row_by_row_hand_back_no_tables(big):
    """When the strict checks ran (a file not plain, or a problem), no tables come back: the
    build then reads the files as before."""
    path = big / "relations.csv"
    number, line = _deep_row(path)
    _put(path, number, line + "\r")
    assert validated(big) == ([], None)
    _put(path, number, _cell_set(1, "nobody")(line))
    problems, frames = validated(big)
    assert problems and frames is None
