"""Scheduled builds: configured runs, checks before any kernel, incremental, safe, concurrent."""

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from projects import AI_WAR, QUIET, project, small_notebook

from helpers import build
from helpers.build import BuildError
from helpers.cli import main as cli
from helpers.config import ConfigError, load_config
from helpers.paths import PROJECT_ROOT


def test_the_default_configuration_builds_french_and_english_html_and_pdf():
    specs = load_config()
    assert [(s.name, s.parameters, s.formats) for s in specs] == [
        ("report-fr", {"lang": "fr"}, ("html", "pdf")),
        ("report-en", {"lang": "en"}, ("html", "pdf")),
    ]


@pytest.mark.parametrize(
    ("reports", "message"),
    [
        (
            '[[report]]\nname = "../../etc/passwd"\n',
            "field name: '../../etc/passwd' is not a lowercase slug",
        ),
        (
            '[[report]]\nname = "a"\nnotebook = "../outside.ipynb"\n',
            "field notebook: '../outside.ipynb' is not a notebook",
        ),
        ('[[report]]\nname = "a"\nformats = ["docx"]\n', "field formats: ['docx']"),
        ('[[report]]\nname = "a"\ncell_timeout = -1\n', "field cell_timeout: -1"),
        ('[[report]]\nname = "a"\n[[report]]\nname = "a"\n', "'a' is configured twice"),
        ('[[report]]\nname = "a"\ncolour = "red"\n', "unknown field 'colour'"),
        (
            '[[report]]\nname = "index"\n',
            "field name: 'index' is reserved (reports/index.html is the list of reports)",
        ),
        (
            '[[report]]\nname = "a"\nformats = ["html", "html"]\n',
            "field formats: ['html', 'html'] lists a format twice",
        ),
        (
            '[[report]]\nname = "a"\nparameters = { as_of = 2024-12-31 }\n',
            "field parameters: parameter 'as_of' is the TOML date or time 2024-12-31; write it as a string: as_of = \"2024-12-31\"",
        ),
        (
            '[[report]]\nname = "a"\nparameters = { focus = [2024-12-31T10:00:00Z] }\n',
            "parameter 'focus' is the TOML date or time 2024-12-31T10:00:00+00:00",
        ),
    ],
)
def test_a_bad_configuration_is_named(tmp_path, reports, message):
    config = project(tmp_path, reports)
    with pytest.raises(ConfigError, match=r"reports\.toml, report \d") as caught:
        load_config(config)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("reports", "message"),
    [
        ('[[report]]\nname = "index"\n', "field name: 'index' is reserved"),
        ('[[report]]\nname = "a"\nformats = ["html", "html"]\n', "lists a format twice"),
        (
            '[[report]]\nname = "a"\nparameters = { as_of = 2024-12-31 }\n',
            "parameter 'as_of' is the TOML date or time 2024-12-31",
        ),
    ],
)
def test_a_refused_configuration_leaves_the_published_reports_untouched(
    published, tmp_path, reports, message
):
    copy = tmp_path / "reports"
    shutil.copytree(published, copy)
    before = {path.name: path.read_bytes() for path in copy.iterdir() if path.is_file()}
    config = project(tmp_path, reports)
    run = subprocess.run(
        [AI_WAR, "build", "--force", "--config", str(config), "--reports", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "reports.toml, report 1" in run.stderr and message in run.stderr
    assert {path.name: path.read_bytes() for path in copy.iterdir() if path.is_file()} == before


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ('{ lang = "fr", as_of = 2024 }', "parameter 'as_of' must be of type str"),
        (
            '{ lang = "fr", as_of = "24/12/2024" }',
            "parameter 'as_of': '24/12/2024' is not an ISO date",
        ),
        (
            '{ lang = "fr", include_public_record = "no" }',
            "parameter 'include_public_record' must be of type bool",
        ),
        ('{ lang = "fr", focus = "musk,nobody" }', "parameter 'focus': unknown actor 'nobody'"),
    ],
)
def test_parameters_of_the_wrong_type_or_form_are_refused_before_any_kernel_starts(
    tmp_path, monkeypatch, parameters, message
):
    config = project(tmp_path, f'[[report]]\nname = "bad"\nparameters = {parameters}\n')
    monkeypatch.setattr(build, "run_notebook", lambda *a, **k: pytest.fail("a kernel was started"))
    reports = tmp_path / "reports"
    with pytest.raises(BuildError) as caught:
        build.build(config=config, reports_dir=reports, **QUIET)
    assert str(caught.value).startswith("report 'bad': ")
    assert message in str(caught.value)
    assert "nothing was built" in str(caught.value)
    assert not list(reports.glob("*.html"))


def test_cli_reports_bad_parameters_with_exit_status_2(tmp_path, capsys):
    config = project(tmp_path, '[[report]]\nname = "bad"\nparameters = { lang = "de" }\n')
    assert cli(["build", "--config", str(config), "--reports", str(tmp_path / "r")]) == 2
    assert "parameter 'lang': 'de' is not one of 'fr', 'en'" in capsys.readouterr().err


def test_params_command_lists_types_defaults_and_help(capsys):
    assert cli(["params"]) == 0
    out = capsys.readouterr().out
    assert "lang: str = 'fr' (one of 'fr', 'en')" in out
    assert "include_public_record: bool = True" in out


def test_an_unchanged_build_does_no_work(published, capsys):
    before = {path.name: path.stat().st_mtime_ns for path in published.glob("report-*")}
    results = build.build(reports_dir=published, **QUIET)  # `make bench` times it
    assert [result.status for result in results] == ["up to date", "up to date"]
    assert {path.name: path.stat().st_mtime_ns for path in published.glob("report-*")} == before
    assert cli(["build", "--reports", str(published)]) == 0
    assert "nothing to do: 2 report(s) up to date" in capsys.readouterr().out


def test_the_manifest_records_each_run_and_the_index_lists_it(published):
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["report-fr"]
    assert entry["status"] == "ok" and entry["parameters"] == {"lang": "fr"}
    assert {
        "notebook",
        "requirements.lock",
        "settings",
        "data/events.csv",
        "helpers/report/sections/money.py",
        "helpers/report/templates/page.html.j2",
        "helpers/report/text/fr.toml",
    } <= set(entry["inputs"])
    assert set(entry["versions"]) >= {"python", "papermill", "nbconvert", "pandas", "matplotlib"}
    assert entry["seconds"] > 0 and entry["started"] <= entry["ended"]
    assert set(entry["outputs"]) == {"html", "pdf"}
    assert entry["outputs"]["pdf"]["bytes"] == (published / "report-fr.pdf").stat().st_size
    index = (published / "index.html").read_text(encoding="utf-8")
    assert (
        '<a href="report-fr.html">HTML</a>' in index and '<a href="report-en.pdf">PDF</a>' in index
    )
    assert cli(["list", "--reports", str(published)]) == 0


def test_a_changed_input_rebuilds_only_what_depends_on_it(tmp_path):
    config = project(
        tmp_path,
        '[[report]]\nname = "one"\nformats = ["html"]\nparameters = { lang = "fr" }\n'
        '[[report]]\nname = "two"\nformats = ["html"]\nparameters = { lang = "en" }\n',
    )
    reports = tmp_path / "reports"
    assert [r.status for r in build.build(config=config, reports_dir=reports, **QUIET)] == [
        "built",
        "built",
    ]
    config.write_text(
        config.read_text().replace('{ lang = "en" }', '{ lang = "en", as_of = "2024-12-31" }')
    )
    results = build.build(config=config, reports_dir=reports, **QUIET)
    assert [r.status for r in results] == ["up to date", "built"]
    (reports / "one.html").unlink()  # a published file gone missing is rebuilt too
    assert [r.status for r in build.build(config=config, reports_dir=reports, **QUIET)] == [
        "built",
        "up to date",
    ]


def test_a_failing_notebook_keeps_the_last_good_report(tmp_path):
    good = project(
        tmp_path,
        '[[report]]\nname = "small"\nformats = ["html"]\n',
        small_notebook("print('fine')"),
    )
    reports = tmp_path / "reports"
    build.build(config=good, reports_dir=reports, **QUIET)
    published = (reports / "small.html").read_bytes()
    project(
        tmp_path,
        '[[report]]\nname = "small"\nformats = ["html"]\n',
        small_notebook("x = 1\nraise ValueError('the data went missing')"),
    )
    (result,) = build.build(config=good, reports_dir=reports, **QUIET)
    assert result.status == "failed"
    assert "cell 2 raised ValueError: the data went missing" in result.message
    assert "reports/executed/small.failed.ipynb" in result.message
    assert (reports / "small.html").read_bytes() == published
    failed = nbformat.read(reports / "executed" / "small.failed.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in str(cell) for cell in failed.cells)
    manifest = json.loads((reports / "manifest.json").read_text())
    assert manifest["reports"]["small"]["status"] == "ok"  # still the last good one
    assert manifest["history"][-1]["status"] == "failed"


def test_a_cell_that_runs_too_long_fails_the_run(tmp_path):
    config = project(
        tmp_path,
        '[[report]]\nname = "slow"\nformats = ["html"]\ncell_timeout = 2\n',
        small_notebook("import time\ntime.sleep(30)"),
    )
    started = time.perf_counter()
    (result,) = build.build(config=config, reports_dir=tmp_path / "reports", **QUIET)
    assert result.status == "failed"
    assert (
        "slow failed: cell 3 (`import time`) ran longer than cell_timeout (2 s)" in result.message
    )
    assert time.perf_counter() - started < 25


def test_a_build_killed_midway_leaves_the_previous_reports_whole(published, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(published, reports)
    before = {path.name: path.read_bytes() for path in reports.glob("report-*")}
    process = subprocess.Popen(
        [AI_WAR, "build", "--force", "--reports", str(reports)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(reports.glob(".staging-*/report-*.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the kernels are running
    import os

    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert {path.name: path.read_bytes() for path in reports.glob("report-*")} == before
    json.loads((reports / "manifest.json").read_text())  # still whole
    build.build(reports_dir=reports, **QUIET)  # the next build cleans up after it
    assert not list(reports.glob(".staging-*"))


def test_two_builds_at_once_do_not_corrupt_each_other(published, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(published, reports)
    runs = [subprocess.Popen([AI_WAR, "build", "--force", "report-en", "--reports", str(reports)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for another build" in output for output in outputs)
    manifest = json.loads((reports / "manifest.json").read_text())
    assert [run["status"] for run in manifest["history"][-2:]] == ["built", "built"]
    assert (reports / "report-en.html").read_bytes() == (published / "report-en.html").read_bytes()


def test_plain_papermill_with_the_configured_parameters_gives_the_same_notebook(
    published, tmp_path
):
    (spec,) = [spec for spec in load_config() if spec.name == "report-en"]
    command = [
        str(Path(sys.executable).with_name("papermill")),
        str(spec.notebook),
        str(tmp_path / "plain.ipynb"),
    ]
    for name, value in spec.parameters.items():
        command += ["-p", name, str(value)]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=300)

    def outputs(path: Path) -> list:
        notebook = nbformat.read(path, as_version=4)
        return [
            (cell.source, cell.get("outputs", []))
            for cell in notebook.cells
            if "injected-parameters" not in cell.metadata.get("tags", [])
        ]

    plain = nbformat.read(tmp_path / "plain.ipynb", as_version=4)
    built = nbformat.read(published / "executed" / "report-en.ipynb", as_version=4)
    injected = [
        cell.source
        for cell in plain.cells
        if "injected-parameters" in cell.metadata.get("tags", [])
    ]
    assert injected == [
        cell.source
        for cell in built.cells
        if "injected-parameters" in cell.metadata.get("tags", [])
    ]
    assert outputs(tmp_path / "plain.ipynb") == outputs(published / "executed" / "report-en.ipynb")


def test_the_index_says_what_changed_in_the_data_since_the_previous_run(tmp_path):
    from helpers.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    config = project(
        tmp_path, '[[report]]\nname = "one"\nformats = ["html"]\nparameters = { lang = "en" }\n'
    )
    reports = tmp_path / "reports"
    build.build(config=config, reports_dir=reports, data_dir=data, **QUIET)
    first = json.loads((reports / "manifest.json").read_text())
    assert first["reports"]["one"]["changes"] == {}  # nothing to compare with yet
    amounts = data / "amounts.csv"
    amounts.write_text(
        amounts.read_text().replace(
            "microsoft-2019,2019-07-22,day,microsoft,openai,investment,1000000000",
            "microsoft-2019,2019-07-22,day,microsoft,openai,investment,1100000000",
        )
    )
    events = data / "events.csv"
    lines = events.read_text().splitlines()
    lines.append(lines[1].replace("openai-founded,", "openai-founded-again,", 1))
    events.write_text("\n".join(lines) + "\n")
    (result,) = build.build(config=config, reports_dir=reports, data_dir=data, **QUIET)
    assert result.status == "built"
    changes = json.loads((reports / "manifest.json").read_text())["reports"]["one"]["changes"]
    assert changes == {
        "new events": {"count": 1, "ids": ["openai-founded-again"]},
        "changed amounts": {"count": 1, "ids": ["microsoft-2019"]},
    }
    index = (reports / "index.html").read_text()
    assert (
        "new events: openai-founded-again" in index and "changed amounts: microsoft-2019" in index
    )


def test_the_index_gives_readers_a_card_per_edition(published):
    from PIL import Image

    index = (published / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert '<meta name="viewport"' in index
    for lang, title, as_of in (
        ("fr", "La guerre de l\u2019IA\u00a0: Musk contre Altman", "Données arrêtées au"),
        ("en", "The AI war: Musk versus Altman", "Data as of"),
    ):
        card = re.search(rf'<article class="card" lang="{lang}">(.*?)</article>', index, re.S)
        assert card, lang
        assert title in card.group(1) and as_of in card.group(1)
        # its lead chart: a picture published beside the reports, named with its content hash
        src = re.search(r'<img src="(report-\w+\.thumb\.png)\?v=(\w{12})"', card.group(1))
        picture = published / src.group(1)
        recorded = manifest["reports"][f"report-{lang}"]["card"]["thumbnail"]
        assert recorded["file"] == picture.name
        assert build._sha256(picture) == recorded["sha256"] and recorded["sha256"][:12] == src[2]
        with Image.open(picture) as image:
            assert image.format == "PNG" and image.size == (recorded["width"], recorded["height"])
            assert 400 <= image.width <= 1280 and 200 <= image.height <= 900
            assert len(image.getcolors(1 << 16) or range(1 << 16)) > 8  # drawn, not blank
        assert re.search(r'alt="[^"]{40,}"', card.group(1))
        assert re.search(r"PDF</a> \(\d+ KB\)", card.group(1))  # the files with their sizes
    assert re.search(r"<td>\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC</td>", index)  # not raw
    # the manifest and the index carry words and file names, never a chart
    for text in (index, json.dumps(manifest)):
        assert "<svg" not in text and "data:image" not in text
