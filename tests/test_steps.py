"""The build's steps apart, as a scheduler runs them: `ai-war run NAME`, then `ai-war publish`.

Real `ai-war` processes on a small project: a run stages a complete folder or nothing, publish
puts exactly the notebook that ran into reports/ with the manifest and the index, a run whose
inputs changed since is refused by name, a killed run leaves nothing that looks complete, and
`build --dry-run` / `plan` say what would rebuild and why without running anything.
(The Airflow DAG on these steps is run on real Airflow by `make test-airflow`.)
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from projects import AI_WAR, project, small_notebook

from helpers.build import RUNS

TWO = (
    '[[report]]\nname = "one"\nformats = ["html", "pdf"]\nstale_after_days = 100000\n'
    '[[report]]\nname = "two"\nformats = ["html"]\nstale_after_days = 100000\n'
)
NOTEBOOK = small_notebook(
    "import os, time\nprint(os.environ.get('STEP_TEXT', 'the first edition'))\n"
    "time.sleep(float(os.environ.get('STEP_SLEEP', '0')))"
)


def ai_war(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`ai-war COMMAND ARGS` on the project in `root`, its reports in root/reports."""
    command, *rest = args
    return subprocess.run(
        [
            AI_WAR,
            command,
            *rest,
            "--config",
            str(root / "reports.toml"),
            "--reports",
            str(root / "reports"),
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project(tmp_path, TWO, NOTEBOOK)
    return tmp_path


def test_run_stages_a_complete_run_and_publish_publishes_that_very_notebook(root):
    reports = root / "reports"
    for name in ("one", "two"):
        done = ai_war(root, "run", name, STEP_TEXT=f"edition of {name}")
        assert done.returncode == 0, done.stdout + done.stderr
    staged = reports / RUNS / "one"
    assert sorted(p.name for p in staged.iterdir()) == [
        "one.facts.json", "one.html", "one.ipynb", "one.pdf", "one.run.json"]  # fmt: skip
    record = json.loads((staged / "one.run.json").read_text())
    assert record["outcome"] == {"ok": True} and record["seconds"] > 0
    ran = (staged / "one.ipynb").read_bytes()
    assert not (reports / "one.html").exists()  # staged, not published
    published = ai_war(root, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    assert (reports / "executed" / "one.ipynb").read_bytes() == ran  # no second execution
    assert "edition of one" in (reports / "one.html").read_text()
    assert (reports / "one.pdf").read_bytes().startswith(b"%PDF-")
    manifest = json.loads((reports / "manifest.json").read_text())
    assert manifest["reports"]["one"]["fingerprint"] == record["fingerprint"]
    assert [run["name"] for run in manifest["history"]] == ["one", "two"]
    assert 'href="two.html"' in (reports / "index.html").read_text()
    assert sorted(p.name for p in (reports / RUNS).iterdir()) == [".one.lock", ".two.lock"]
    assert not list(reports.glob(".staging-*"))
    again = ai_war(root, "publish", "one")  # consumed: a named report without a run fails
    assert again.returncode == 1 and "one: no complete run in" in again.stderr
    build = ai_war(root, "build")  # the build agrees that what was published is current
    assert "nothing to do: 2 report(s) up to date" in build.stdout, build.stdout + build.stderr


def test_a_run_whose_inputs_changed_since_is_refused_by_name(root):
    assert ai_war(root, "run", "two").returncode == 0
    notebook = root / "notebooks" / "report.ipynb"
    changed = nbformat.read(notebook, as_version=4)
    changed.cells[2].source += "\nprint('edited after the run')"
    nbformat.write(changed, notebook)
    refused = ai_war(root, "publish")
    assert refused.returncode == 1
    assert "two: not published, its inputs changed since it ran (notebook changed)" in (
        refused.stderr
    )
    assert not (root / "reports" / "two.html").exists()
    assert (root / "reports" / RUNS / "two" / "two.run.json").exists()  # kept for a look
    assert ai_war(root, "run", "two").returncode == 0  # run again: publishable
    assert ai_war(root, "publish", "two").returncode == 0
    assert "edited after the run" in (root / "reports" / "executed" / "two.ipynb").read_text()


def test_a_failed_run_is_staged_and_publish_records_it(root):
    project(root, TWO, small_notebook("raise ValueError('no such figure')"))
    failed = ai_war(root, "run", "two")
    assert failed.returncode == 1
    assert "two failed: cell 2 raised ValueError: no such figure" in failed.stderr
    published = ai_war(root, "publish")
    assert published.returncode == 1 and "Traceback" not in published.stderr
    assert (root / "reports" / "executed" / "two.failed.ipynb").exists()
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    assert manifest["history"][-1]["status"] == "failed"
    assert not (root / "reports" / "two.html").exists()


def test_bad_parameters_stop_a_run_before_any_kernel(root):
    config = root / "reports.toml"
    config.write_text(config.read_text() + 'parameters = { lang = "de" }\n')
    refused = ai_war(root, "run", "two")
    assert refused.returncode == 2 and "report 'two'" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (root / "reports" / RUNS / "two").exists()


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_a_killed_run_leaves_nothing_that_looks_complete(root, sig, status):
    command = [AI_WAR, "run", "one", "--config", str(root / "reports.toml"),
               "--reports", str(root / "reports")]  # fmt: skip
    process = subprocess.Popen(
        command, env={**os.environ, "STEP_SLEEP": "60"}, stdout=subprocess.PIPE, text=True
    )
    runs = root / "reports" / RUNS
    deadline = time.monotonic() + 120
    while not list(runs.glob(".one.work-*/one.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.1)  # until papermill has written the notebook: the kernel runs
    workers = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(sig)
    assert process.wait(timeout=60) == status
    _, alive = psutil.wait_procs(workers, timeout=30)  # workers, kernel and Chromium
    assert alive == []
    assert not (runs / "one").exists()
    published = ai_war(root, "publish")  # nothing staged: nothing published
    assert published.returncode == 0, published.stderr
    # a SIGTERM cleans up itself; what a SIGKILL leaves is removed, and said
    assert ("the unfinished run of a killed process" in published.stdout) == (sig == signal.SIGKILL)
    assert not (root / "reports" / "one.html").exists()
    assert ai_war(root, "run", "one").returncode == 0  # the next run cleans up and succeeds
    assert sorted(p.name for p in runs.iterdir()) == [".one.lock", "one"]


def test_dry_run_and_plan_say_what_would_rebuild_and_why(root, data_dir):
    env = {"AI_WAR_DATA_DIR": str(data_dir)}
    plan = ai_war(root, "plan", **env)
    assert json.loads(plan.stdout) == [
        {"name": "one", "reasons": ["no previous good build"]},
        {"name": "two", "reasons": ["no previous good build"]},
    ]
    assert ai_war(root, "build", **env).returncode == 0
    manifest = (root / "reports" / "manifest.json").read_bytes()
    assert ai_war(root, "build", "--dry-run", **env).stdout.strip() == (
        "nothing would rebuild: every report is up to date"
    )
    with (data_dir / "actors.csv").open("a", encoding="utf-8") as table:
        table.write("\n")
    config = root / "reports.toml"
    config.write_text(config.read_text() + 'parameters = { lang = "fr" }\n')
    dry = ai_war(root, "build", "--dry-run", **env)
    assert dry.returncode == 0
    assert dry.stdout.splitlines() == [
        "one would rebuild: data file changed: data/actors.csv",
        "two would rebuild: data file changed: data/actors.csv; parameters changed "
        "(parameters, formats or cell_timeout)",
    ]
    assert (root / "reports" / "manifest.json").read_bytes() == manifest  # nothing ran
    assert not list((root / "reports").glob(".staging-*"))
    forced = json.loads(ai_war(root, "plan", "one", "--force", **env).stdout)
    reasons = ["forced (--force)", "data file changed: data/actors.csv"]
    assert forced == [{"name": "one", "reasons": reasons}]


def test_a_second_run_of_the_same_report_is_refused_and_other_reports_run_meanwhile(root):
    command = [AI_WAR, "run", "one", "--config", str(root / "reports.toml"),
               "--reports", str(root / "reports")]  # fmt: skip
    first = subprocess.Popen(
        command, env={**os.environ, "STEP_SLEEP": "60"}, stdout=subprocess.PIPE, text=True
    )
    try:
        runs = root / "reports" / RUNS
        deadline = time.monotonic() + 120
        while not list(runs.glob(".one.work-*/one.ipynb")) and time.monotonic() < deadline:
            time.sleep(0.1)
        second = ai_war(root, "run", "one")
        assert second.returncode == 2
        assert f"another run of 'one' (process {first.pid}) holds" in second.stderr
        assert ai_war(root, "run", "two").returncode == 0  # no lock between reports
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 143
