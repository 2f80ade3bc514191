"""Hostile input, end to end: bad data files and bad parameters meet the real build.

Each case either stops the build with a message naming what is wrong, before any kernel starts
and with the published reports left exactly as they were, or is rendered inert in the report.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import chromium, visit
from datafiles import replace_in, row_of
from projects import AI_WAR, QUIET, project
from pypdf import PdfReader

from helpers import build
from helpers.build import BuildError
from helpers.config import ConfigError
from helpers.paths import DATA_DIR, PROJECT_ROOT, REPORT_NOTEBOOK
from helpers.validate import MAX_FILE_BYTES

PAPERMILL = str(Path(sys.executable).with_name("papermill"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- bad data files: each edit of a copy of data/, the file, row and field named, the words ----


def edit_cell(file: str, row_id: str, old: str, new: str) -> Callable[[Path], int]:
    """Replace `old` by `new` in the row of `file` whose id is `row_id`; return that row."""

    def apply(data: Path) -> int:
        path = data / file
        row = row_of(path, row_id)
        line = path.read_text(encoding="utf-8").splitlines()[row - 1]
        assert old in line, f"{old!r} not in row {row} of {file}"
        replace_in(path, line, line.replace(old, new, 1))
        return row

    return apply


def append_line(file: str, line: str) -> Callable[[Path], int]:
    def apply(data: Path) -> int:
        path = data / file
        text = path.read_text(encoding="utf-8")
        path.write_text(text + line + "\n", encoding="utf-8")
        return len(text.splitlines()) + 1

    return apply


def grow_past_limit(file: str) -> Callable[[Path], int]:
    """A file one byte over the size limit (sparse: no time or disk spent writing it)."""

    def apply(data: Path) -> int:
        os.truncate(data / file, MAX_FILE_BYTES + 1)
        return 0

    return apply


def link_to(target: Callable[[Path], Path], file: str) -> Callable[[Path], int]:
    """Replace `file` by a symbolic link to a path outside data/."""

    def apply(data: Path) -> int:
        destination = target(data)
        (data / file).unlink()
        (data / file).symlink_to(destination)
        return 0

    return apply


def copy_outside(data: Path) -> Path:
    outside = data.parent / "elsewhere.csv"
    shutil.copy(data / "events.csv", outside)
    return outside


LONG_TEXT = "x" * 100_000

# (id, how the data is broken, the start of the message once the row is known, its words)
BAD_DATA = [
    ("broken-quoting", append_line("events.csv", 'x-1,2020,year,statement,musk,"Unclosed quote,a,b,c,d,e,f,g'), "events.csv, row {row}: broken CSV", "unexpected end of data"),
    ("wrong-type", edit_cell("amounts.csv", "microsoft-2019", "1000000000,,exact", "un milliard,,exact"), "amounts.csv, row {row}, field low_usd:", "'un milliard' is not a valid number"),
    ("unknown-actor-id", edit_cell("relations.csv", "musk-bid-openai", "musk-consortium", "skynet"), "relations.csv, row {row}, field from_actor:", "'skynet' not found in actors.csv"),
    ("unknown-actor-in-list", edit_cell("events.csv", "openai-lp", ",restructuring,openai,", ",restructuring,openai;skynet,"), "events.csv, row {row}, field actors:", "unknown actor 'skynet'"),
    ("unknown-source-id", edit_cell("amounts.csv", "microsoft-2019", "fortune-microsoft-2019", "nowhere-news"), "amounts.csv, row {row}, field source_id:", "'nowhere-news' not found in sources.csv"),
    ("javascript-url", edit_cell("sources.csv", "openai-lp", "https://openai.com/index/openai-lp/", "javascript:window.__injected=1"), "sources.csv, row {row}, field url:", "'javascript:window.__injected=1' does not have the expected form"),
    ("archive-path-traversal", edit_cell("sources.csv", "abmedia-altman-interview", "sources/abmedia_altman-interview_fr.txt", "sources/../../../etc/passwd.txt"), "sources.csv, row {row}, field archived_path:", "does not have the expected form"),
    ("100000-characters", edit_cell("events.csv", "openai-lp", "OpenAI creates OpenAI LP, a capped-profit company under the nonprofit", LONG_TEXT), "events.csv, row {row}, field title_en:", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100,000 characters) is longer than the 200 characters allowed"),
    ("terminal-escape", edit_cell("actors.csv", "tesla", "tesla,Tesla,", "tesla,Tesla\x1b[2J\x1b[H,"), "actors.csv, row {row}, field name:", "contains a control character (U+001B)"),
    ("nul-byte", edit_cell("actors.csv", "tesla", "tesla,Tesla,", "tesla,Tes\x00la,"), "actors.csv, row {row}, field name:", "contains a control character (U+0000)"),
    ("bidi-override", edit_cell("actors.csv", "tesla", "tesla,Tesla,", "tesla,\u202eTesla,"), "actors.csv, row {row}, field name:", "contains a control character (U+202E)"),
    ("very-large-file", grow_past_limit("amounts.csv"), "amounts.csv:", f"larger than {MAX_FILE_BYTES:,} bytes"),
    ("symlink-out-of-data", link_to(copy_outside, "events.csv"), "events.csv:", "not a regular file inside data/"),
    ("symlink-to-a-device", link_to(lambda data: Path("/dev/zero"), "events.csv"), "events.csv:", "not a regular file inside data/"),
    # the fault table's implausible data: what the charts could not draw, or no fact can be
    ("amount-of-zero", edit_cell("amounts.csv", "microsoft-2019", "1000000000,,exact", "0,,exact"), "amounts.csv, row {row}, field low_usd:", "'0' is below the minimum 1"),
    ("amount-infinite", edit_cell("amounts.csv", "microsoft-2019", "1000000000,,exact", "inf,,exact"), "amounts.csv, row {row}, field low_usd:", "'inf' is not a finite number"),
    ("amount-not-a-number", edit_cell("amounts.csv", "microsoft-2019", "1000000000,,exact", "NaN,,exact"), "amounts.csv, row {row}, field low_usd:", "'NaN' is not a finite number"),
    ("amount-1e30", edit_cell("amounts.csv", "microsoft-2019", "1000000000,,exact", "1e30,,exact"), "amounts.csv, row {row}, field low_usd:", "'1e30' is above the maximum 100000000000000"),
    ("fact-in-the-future", edit_cell("events.csv", "openai-lp", "openai-lp,2019-03-11,day,", "openai-lp,2030-03-11,day,"), "events.csv, row {row}, field date:", "'2030-03-11' is in the future"),
    ("source-from-the-future", edit_cell("sources.csv", "fortune-microsoft-2019", ",en,2019-07-22,", ",en,2031,"), "sources.csv, row {row}, field published:", "'2031' is in the future"),
    ("tie-to-itself", edit_cell("relations.csv", "musk-bid-openai", "musk-consortium,openai,", "musk-consortium,musk-consortium,"), "relations.csv, row {row}, field to_actor:", "a tie from 'musk-consortium' to itself"),
    ("emoji-in-a-name", edit_cell("actors.csv", "tesla", "tesla,Tesla,", "tesla,Tesla \U0001F697,"), "actors.csv, row {row}, field name:", "U+1F697 (AUTOMOBILE) cannot be drawn by the report's font"),
]  # fmt: skip


@pytest.fixture
def published_copy(published, tmp_path) -> Path:
    """A copy of the published reports that a hostile build may try to overwrite."""
    copy = tmp_path / "reports"
    shutil.copytree(published, copy)
    return copy


def refuse_kernels(monkeypatch) -> None:
    monkeypatch.setattr(build, "run_notebook", lambda *a, **k: pytest.fail("a kernel started"))


@pytest.mark.parametrize(
    ("name", "damage", "where", "words"), BAD_DATA, ids=[c[0] for c in BAD_DATA]
)
def test_bad_data_stops_the_build_and_leaves_the_published_reports_untouched(
    data_dir, published_copy, monkeypatch, name, damage, where, words
):
    row = damage(data_dir)
    before = snapshot(published_copy)
    refuse_kernels(monkeypatch)
    with pytest.raises(BuildError) as caught:
        build.build(reports_dir=published_copy, data_dir=data_dir, force=True, **QUIET)
    message = str(caught.value)
    assert "nothing was built" in message
    lines = [line.strip() for line in message.splitlines()]
    expected_start = "data/" + where.format(row=row)
    assert any(line.startswith(expected_start) and words in line for line in lines), message
    assert max(len(line) for line in lines) < 400  # a huge cell is not copied into the message
    assert snapshot(published_copy) == before


# --- bad parameters: in reports.toml, on the command line, and through plain papermill ----------


CODE = "__import__('os').system('touch PWNED')"

# (id, the [[report]] table, the error raised, the words of its message)
BAD_PARAMETERS = [
    ("path-traversal-in-name", 'name = "../../outside"', ConfigError, "field name: '../../outside' is not a lowercase slug"),
    ("absolute-path-in-name", 'name = "/tmp/outside"', ConfigError, "field name: '/tmp/outside' is not a lowercase slug"),
    ("code-in-focus", f'name = "x"\nparameters = {{ focus = "{CODE}" }}', BuildError, "parameter 'focus': "),
    ("code-in-as-of", f'name = "x"\nparameters = {{ as_of = "2024-12-31\'); {CODE} #" }}', BuildError, "is not an ISO date"),
    ("code-in-lang", f'name = "x"\nparameters = {{ lang = "fr\\"\\n{CODE}" }}', BuildError, "parameter 'lang': "),
    ("unknown-language", 'name = "x"\nparameters = { lang = "de" }', BuildError, "parameter 'lang': 'de' is not one of 'fr', 'en'"),
    ("unknown-parameter", 'name = "x"\nparameters = { langue = "fr" }', BuildError, "unknown parameter 'langue'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "report", "error", "words"), BAD_PARAMETERS, ids=[c[0] for c in BAD_PARAMETERS]
)
def test_bad_parameters_are_refused_and_leave_the_published_reports_untouched(
    tmp_path, published_copy, monkeypatch, name, report, error, words
):
    config = project(tmp_path, f"[[report]]\n{report}\n")
    before = snapshot(published_copy)
    refuse_kernels(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error) as caught:
        build.build(config=config, reports_dir=published_copy, force=True, **QUIET)
    assert words in str(caught.value)
    assert snapshot(published_copy) == before
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "outside.html").exists()


def test_parameters_are_checked_when_the_worker_cannot_read_them(tmp_path):
    """The checks ask a worker for the notebook's declared parameters; when that answer fails
    (a worker that died, say), they read them themselves and still refuse a bad parameter."""
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    from helpers.config import load_config

    config = project(tmp_path, '[[report]]\nname = "x"\nparameters = { langue = "fr" }\n')
    [spec] = load_config(config)
    failed = concurrent.futures.Future()
    failed.set_exception(BrokenProcessPool("the worker died"))
    with pytest.raises(BuildError, match="unknown parameter 'langue'"):
        build._check_before_kernels([spec], DATA_DIR, {spec.notebook: failed})


def test_a_path_as_report_name_on_the_command_line_is_refused(published_copy, tmp_path):
    before = snapshot(published_copy)
    command = [AI_WAR, "build", "../../etc/passwd", "--reports", str(published_copy)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 2
    assert "no report named '../../etc/passwd'" in run.stderr
    assert snapshot(published_copy) == before


def test_code_in_a_parameter_given_to_plain_papermill_is_never_run(tmp_path):
    """A scheduler passing a crafted value: papermill writes it as a string literal, the
    notebook refuses it by name, and the code inside it does not run."""
    command = [PAPERMILL, str(REPORT_NOTEBOOK), str(tmp_path / "out.ipynb"),
               "-p", "lang", f"fr'); {CODE} #", "--cwd", str(tmp_path)]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode != 0
    assert "ParameterError: parameter 'lang': " in run.stderr
    assert "is not one of 'fr', 'en'" in run.stderr
    assert not (tmp_path / "PWNED").exists()
    assert not (PROJECT_ROOT / "notebooks" / "PWNED").exists()


# --- text that must come out as text: markup, script, Markdown, LaTeX, format fields ------------

SCRIPT = "<script>window.__injected = 1</script>"
IMAGE = "<img src=x onerror=window.__injected=2>"
MARKDOWN = "**Meta** [lien](javascript:window.__injected=3) _x_"
LATEX = 'Musk "><b>$\\frac{1}{0}$</b> \\(x^2\\) $$\\undefined$$'
FORMAT = "{title} {0} %s %(name)s"
INERT_TEXTS = [SCRIPT, IMAGE, MARKDOWN, LATEX, FORMAT]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    """The default reports built from a fact base whose text fields carry markup and code."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    conflict = "meta-lawsuit-or-letter"
    edit_cell("conflicts.csv", conflict, "Did Meta sue?", f"Did Meta sue? {SCRIPT}")(data)
    edit_cell("conflicts.csv", conflict, "plainte ?", f"plainte ? {SCRIPT}")(data)
    edit_cell("sources.csv", "openai-lp", ",OpenAI LP,", f",OpenAI LP {IMAGE},")(data)
    edit_cell("actors.csv", "meta", "meta,Meta,", f"meta,{MARKDOWN},")(data)
    quoted = LATEX.replace('"', '""')  # CSV quoting of the double quotes it holds
    edit_cell("actors.csv", "musk", "musk,Elon Musk,", f'musk,"{quoted}",')(data)
    step = "musk-state-withdrawal"
    edit_cell("legal_actions.csv", step, "Musk withdraws", f"Musk {FORMAT} withdraws")(data)
    edit_cell("legal_actions.csv", step, "Musk retire", f"Musk {FORMAT} retire")(data)
    reports = root / "reports"
    build.build(reports_dir=reports, data_dir=data, **QUIET)
    return reports


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markup_and_code_in_the_data_are_shown_as_text_and_never_run(hostile_build, lang):
    source = (hostile_build / f"report-{lang}.html").read_text(encoding="utf-8")
    assert "<script>window.__injected" not in source and "&lt;script&gt;" in source
    with chromium() as browser, visit(browser, hostile_build / f"report-{lang}.html") as seen:
        page = seen.page
        shown = page.evaluate("document.body.innerText")
        for text in INERT_TEXTS:
            assert text in shown, text
        assert page.evaluate("typeof window.__injected") == "undefined"
        assert seen.dialogs == [] and seen.console_errors == []
        assert seen.requests_elsewhere() == []  # the <img src=x> was never fetched
        assert page.locator("script").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        charts = seen.drawn_charts()
        assert len(charts) == 5 and all(len(c["label"]) > 40 and c["texts"] for c in charts)
    pdf = PdfReader(hostile_build / f"report-{lang}.pdf")
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    assert "$\\frac{1}{0}$" in pdf_text and "<script>" in pdf_text
