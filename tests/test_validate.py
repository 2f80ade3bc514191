"""Each validation rule, on a copy of the fact base broken in one place.

Every message must name the file, the row (header = row 1) and the field.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from datafiles import replace_in, row_of

from helpers.paths import DATA_DIR
from helpers.validate import Problem, validate


def messages(data_dir: Path) -> list[str]:
    return [str(problem) for problem in validate(data_dir)]


def test_the_real_fact_base_is_valid():
    assert validate() == []


# (file, id of the row to break, text to replace, replacement, field, expected words)
BROKEN_CELLS = [
    ("events.csv", "musk-leaves-board", "2018-02-20", "2018-02-30", "date", "'2018-02-30' is not a real date"),
    ("events.csv", "openai-lp", "2019-03-11,day", "2019-03,day", "date", "does not match date_precision 'day'"),
    ("events.csv", "openai-lp", "2019-03-11,day,restructuring", "2019-03-11,day,reorganisation", "kind", "'reorganisation' is not one of: founding"),
    ("events.csv", "openai-lp", ",restructuring,openai,", ",restructuring,openai;nobody,", "actors", "unknown actor 'nobody'"),
    ("positions.csv", "meta-conversion-2024", "meta-conversion-2024,meta,", "meta-conversion-2024,metaverse,", "actor_id", "'metaverse' not found in actors.csv"),
    ("events.csv", "article-hero", ",Musk était autrefois mon héros,", ",Musk fut mon héros,", "quote", "not found in the archived source 'abmedia-altman-interview'"),
    ("amounts.csv", "microsoft-2019", "1000000000,,exact", "1000000000,900000000,about", "low_usd", "low_usd 1000000000 is above high_usd 900000000"),
    ("amounts.csv", "microsoft-2019", "1000000000,,exact", "1000000000,2000000000,exact", "high_usd", "an exact amount has no separate upper bound"),
    ("amounts.csv", "microsoft-2019", "1000000000,,exact", "a billion,,exact", "low_usd", "'a billion' is not a valid number"),
    ("events.csv", "openai-lp", "OpenAI creates OpenAI LP, a capped-profit company under the nonprofit", "", "title_en", "required but empty"),
    ("positions.csv", "meta-conversion-2024", ",-2,2024-12-12", ",-3,2024-12-12", "stance", "'-3' is below the minimum -2"),
    ("events.csv", "article-stripe", ",claim,musk,unconfirmed", ",claim,,unconfirmed", "asserted_by", "a claim must name who asserts it"),
    ("events.csv", "article-hero", ",altman-dealbook,", ",altman-interview,", "refers_to", "'altman-interview' is neither an event nor a legal action"),
    ("relations.csv", "musk-bid-openai", "2025-02-10,2025-02-14", "2025-02-10,2025-02-01", "until", "2025-02-01 is before since (2025-02-10)"),
    ("conflicts.csv", "hero-wording", "events:altman-dealbook", "events:altman-lunch", "version_b", "no row 'altman-lunch' in events.csv"),
    ("sources.csv", "openai-lp", ",en,2019-03-11,", ",english,2019-03-11,", "language", "'english' does not have the expected form"),
    ("actors.csv", "tesla", "tesla,Tesla,", "tesla,Tesla Motors Incorporated of Austin Texas and Palo Alto California United States of America,", "name", "'Tesla Motors Incorporated of Austin Texa'... (91 characters) is longer than the 80 characters allowed"),
    ("sources.csv", "openai-lp", ",en,2019-03-11,", ",e" + "n" * 250 + ",2019-03-11,", "language", "(251 characters) is longer than the 200 characters allowed"),
    # translations of quotes: never without the original, never into the quote's own language,
    # never missing for a quote a report shows to readers of another language
    ("amounts.csv", "article-musk-40m", ",40 millions de dollars volés,$40 million stolen,", ",,$40 million stolen,", "quote_en", "a translation without its original quote"),
    ("events.csv", "openai-lp", ' company",,,fact,', ' company","We have created OpenAI LP",,fact,', "quote_en", "the source is already in 'en': the quote needs no translation"),
    ("legal_actions.csv", "meta-letter", ",Dans une lettre au procureur général Rob Bonta datée de jeudi,", ",,", "quote_fr", "required: the report shows this quote (conflicts.csv row 2 quotes it) to 'fr' readers"),
    ("amounts.csv", "article-microsoft-billions", ",multi-billion-dollar investment funds from Microsoft,", ",,", "quote_en", "required: the report shows this quote (the money section quotes the analysed article's amounts) to 'en' readers"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "row_id", "old", "new", "field", "expected"), BROKEN_CELLS)
def test_a_broken_cell_is_named_by_file_row_and_field(
    data_dir, file, row_id, old, new, field, expected
):
    path = data_dir / file
    row = row_of(path, row_id)
    line = path.read_text(encoding="utf-8").splitlines()[row - 1]
    assert old in line, f"{old!r} is not in row {row} of {file}"
    replace_in(path, line, line.replace(old, new, 1))
    found = messages(data_dir)
    assert f"{file}, row {row}, field {field}: " in " | ".join(found)
    assert any(
        message.startswith(f"{file}, row {row}, field {field}: ") and expected in message
        for message in found
    ), found


def test_a_duplicate_id_is_reported(data_dir):
    path = data_dir / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    found = messages(data_dir)
    assert any(
        m.startswith(f"topics.csv, row {len(lines) + 1}, field topic_id: ") for m in found
    ), found


def test_a_missing_required_field_is_named(data_dir):
    path = data_dir / "actors.csv"
    row = row_of(path, "tesla")
    replace_in(path, "tesla,Tesla,,company,US,", "tesla,,,company,US,")
    assert f"actors.csv, row {row}, field name: required but empty" in messages(data_dir)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "actors.csv: the file is empty"),
        (
            "\ufeffactor_id,name,name_fr,kind,country,note\n".encode(),
            "actors.csv, row 1: starts with a byte-order mark",
        ),
        (
            "actor_id,name,name_fr,kind,country,note\nx,Café,,person,FR,\n".encode("latin-1"),
            "actors.csv, row 2: not UTF-8",
        ),
        (
            b"actor_id,name,name_fr,kind,country\n",
            "actors.csv, row 1: header does not match the schema: missing note",
        ),
        (
            b'actor_id,name,name_fr,kind,country,note\nx,"Unclosed,,person,FR,\n',
            "actors.csv, row 2: broken CSV",
        ),
        (
            b"actor_id,name,name_fr,kind,country,note\nx,X,person\n",
            "actors.csv, row 2: 3 fields where the header has 6",
        ),
        (
            b"actor_id,name,name_fr,kind,country,note\nx,X\x07,,person,FR,\n",
            "actors.csv, row 2, field name: contains a control character",
        ),
    ],
    ids=["empty", "bom", "latin-1", "header", "quoting", "field-count", "control-character"],
)
def test_a_file_that_cannot_be_read_is_named(data_dir, content, expected):
    (data_dir / "actors.csv").write_bytes(content)
    found = messages(data_dir)
    assert any(message.startswith(expected) for message in found), found


def test_a_table_linked_from_outside_data_is_refused(data_dir, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text((data_dir / "topics.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (data_dir / "topics.csv").unlink()
    os.symlink(outside, data_dir / "topics.csv")
    assert "topics.csv: not a regular file inside data/ (a link out of it?)" in messages(data_dir)


def test_an_archive_path_out_of_sources_is_refused(data_dir):
    path = data_dir / "sources.csv"
    row = row_of(path, "abmedia-altman-interview")
    replace_in(path, "sources/abmedia_altman-interview_fr.txt", "sources/missing.txt")
    assert any(
        m.startswith(
            f"sources.csv, row {row}, field archived_path: 'sources/missing.txt' is not a file"
        )
        for m in messages(data_dir)
    )


def test_all_problems_are_reported_at_once(data_dir):
    replace_in(data_dir / "events.csv", "2018-02-20,day", "2018-02-31,day")
    replace_in(data_dir / "amounts.csv", "microsoft-2019,2019-07-22", "microsoft-2019,2019-07-32")
    (data_dir / "conflicts.csv").write_bytes(b"")
    found = messages(data_dir)
    assert {m.split(":")[0].split(",")[0] for m in found} == {
        "events.csv",
        "amounts.csv",
        "conflicts.csv",
    }


def test_problems_sort_by_file_then_row():
    problems = [Problem("b.csv", 2), Problem("a.csv", 9), Problem("a.csv", 3, "x", "y")]
    assert [str(p) for p in sorted(problems)] == [
        "a.csv, row 3, field x: y",
        "a.csv, row 9: ",
        "b.csv, row 2: ",
    ]


def test_command_line_exits_non_zero_and_lists_every_problem(data_dir):
    replace_in(data_dir / "events.csv", "2018-02-20,day", "2018-02-31,day")
    command = [sys.executable, "-m", "helpers.validate", str(data_dir)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "events.csv, row 3, field date: '2018-02-31' is not a real date" in result.stderr
    assert "1 problem(s)" in result.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "helpers.validate"], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stderr


def test_duplicates_are_found(data_dir):
    path = data_dir / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    assert f"topics.csv, row {len(lines) + 1}, field topic_id: " in " | ".join(messages(data_dir))


def test_frictionless_finds_the_real_data_package_valid():
    """The descriptor is a real Frictionless data package, and the data agrees with it."""
    from frictionless import Package

    report = Package(str(DATA_DIR / "datapackage.json")).validate()
    assert report.valid, [error.message for task in report.tasks for error in task.errors][:5]


def test_how_far_the_record_was_checked_cannot_be_in_the_future(data_dir):
    import datetime as dt
    import json

    path = data_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["recordCheckedThrough"] = "2099-01-01"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert [str(p) for p in validate(data_dir)] == [
        f"datapackage.json, field recordCheckedThrough: '2099-01-01' is in the future "
        f"(today is {dt.datetime.now(dt.UTC).date()})"
    ]
