"""Log lines an operator can use: a time and a level on every line, text or JSON, --quiet.

The build's own messages are checked through a real `ai-war build` process on a small project;
the formatting itself in-process.
"""

import datetime as dt
import io
import json
import os
import platform
import re
import subprocess
import sys
from importlib import metadata

import pytest
from projects import project, small_notebook

from helpers.logs import Logger, classify

STAMP = re.compile(r"^(\S+) (INFO|WARNING|ERROR) +")
FIXED = dt.datetime(2025, 1, 31, 6, 0, 1, 123000, tzinfo=dt.UTC)
EDITIONS = """\
formats = ["html"]
stale_after_days = 100000

[[report]]
name = "small"
parameters = { lang = "fr" }

[[report]]
name = "broken"
parameters = { lang = "en" }
"""  # after the [defaults] line of projects.project
# 'broken' (lang en) raises when the build runs with BREAK set; 'small' never does
BODY = 'import os\nif os.environ.get("BREAK") and lang == "en":\n    raise ValueError("no data")\n'


def ai_war(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


def parsed_time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    assert moment.utcoffset() is not None, f"{text} has no offset"
    return moment


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small project of two editions ('broken' fails when BREAK is set), its reports folder."""
    root = tmp_path_factory.mktemp("logs")
    return project(root, EDITIONS, small_notebook(BODY)), root / "reports"


def test_messages_carry_their_level_and_edition():
    editions = {"report-fr", "small"}
    assert classify("report-fr: executed", editions) == ("INFO", "report-fr", "report-fr: executed")
    assert classify("error: small: failed", editions) == ("ERROR", "small", "small: failed")
    assert classify("warning: x; set aside", editions) == ("WARNING", None, "x; set aside")
    assert classify("WARNING stale data: old", editions)[:2] == ("WARNING", None)
    # a name that is no configured edition is not taken for one
    assert classify("nothing to do: 2 report(s) up to date", editions)[1] is None
    assert classify("other: built", editions)[1] is None
    # a message that merely contains the word is no error
    assert classify("report-fr: executed without error", editions)[0] == "INFO"


def test_text_lines_are_stamped_each_and_json_lines_are_objects():
    out = io.StringIO()
    log = Logger(out, "text", editions={"small"}, clock=lambda: FIXED)
    log("error: small: failed\nsecond line of the error")
    log("building small (1 at a time)")
    assert out.getvalue().splitlines() == [
        "2025-01-31T06:00:01.123+00:00 ERROR   small: failed",
        "2025-01-31T06:00:01.123+00:00 ERROR   second line of the error",
        "2025-01-31T06:00:01.123+00:00 INFO    building small (1 at a time)",
    ]
    out = io.StringIO()
    log = Logger(out, "json", editions={"small"}, clock=lambda: FIXED)
    log("error: small: « échec »\nsecond line")
    log("printed 1 of 1 PDF(s)")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {
        "time": "2025-01-31T06:00:01.123+00:00",
        "level": "ERROR",
        "message": "small: « échec »\nsecond line",
        "edition": "small",
    }
    assert second == {
        "time": "2025-01-31T06:00:01.123+00:00",
        "level": "INFO",
        "message": "printed 1 of 1 PDF(s)",
    }


def test_quiet_keeps_warnings_and_errors_only():
    out = io.StringIO()
    log = Logger(out, quiet=True)
    log("building small (1 at a time)")
    log("warning: manifest set aside")
    log.error("the build failed")
    levels = [STAMP.match(line).group(2) for line in out.getvalue().splitlines()]
    assert levels == ["WARNING", "ERROR"]


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="'xml'"):
        Logger(io.StringIO(), "xml")


def test_a_successful_build_stamps_every_line_and_says_no_error(small):
    config, reports = small
    started = dt.datetime.now(dt.UTC)
    run = ai_war("build", "--force", "--config", str(config), "--reports", str(reports))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines() + run.stderr.splitlines()
    assert any(line.endswith("INFO    small: built (small.html)") for line in lines), lines
    for line in lines:
        stamp = STAMP.match(line)
        assert stamp, f"no time and level: {line!r}"
        assert started - dt.timedelta(seconds=1) <= parsed_time(stamp.group(1))
        assert stamp.group(2) == "INFO", line
    assert "ERROR" not in run.stdout + run.stderr


def test_json_log_gives_one_object_per_line_with_the_edition(small):
    config, reports = small
    run = ai_war(
        "build", "--force", "--log-format", "json", "--config", str(config), "--reports",
        str(reports), "small",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert records and run.stderr == ""
    for record in records:
        assert set(record) <= {"time", "level", "message", "edition"}
        parsed_time(record["time"])
    assert {"level": "INFO", "message": "small: executed", "edition": "small"} in [
        {key: value for key, value in record.items() if key != "time"} for record in records
    ]


def test_a_failed_build_logs_errors_naming_the_edition_even_when_quiet(small):
    config, reports = small
    run = ai_war(
        "build", "--force", "--quiet", "--log-format", "json", "--config", str(config),
        "--reports", str(reports), BREAK="1",
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    records = [json.loads(line) for line in (run.stdout + run.stderr).splitlines()]
    assert records and all(record["level"] in ("WARNING", "ERROR") for record in records)
    errors = [record for record in records if record["level"] == "ERROR"]
    assert {record.get("edition") for record in errors} == {"broken"}
    assert any("ValueError: no data" in record["message"] for record in errors), errors
    assert "Traceback" not in run.stderr


def test_version_names_the_project_and_python():
    run = ai_war("--version")
    assert run.returncode == 0
    expected = f"ai-war {metadata.version('ai-war-report')} (Python {platform.python_version()})"
    assert run.stdout.strip() == expected


def test_what_a_library_logs_in_a_worker_reaches_the_log_stamped_and_named(tmp_path):
    """nbclient logs its own line when a cell times out (through papermill's logger): it reaches
    the build's log stamped and naming the edition, not bare on the worker's stderr."""
    config = project(
        tmp_path,
        'formats = ["html"]\nstale_after_days = 100000\n\n[[report]]\nname = "slow"\n'
        "cell_timeout = 2\n",
        small_notebook("import time\ntime.sleep(30)"),
    )
    run = ai_war("build", "--config", str(config), "--reports", str(tmp_path / "reports"))
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines() + run.stderr.splitlines()
    for line in lines:
        assert STAMP.match(line), f"no time and level: {line!r}"
    assert any("WARNING slow: papermill: Timeout waiting" in line for line in lines), lines
    assert any("ERROR   slow: failed" in line for line in lines), lines
