"""The systemd units as shipped: valid for systemd itself, and their time limits coherent."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.config import load_config
from helpers.paths import PROJECT_ROOT
from helpers.printing import PRINT_TIMEOUT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
SERVICE = (UNITS / "ai-war-report.service").read_text(encoding="utf-8")
SECONDS = {"s": 1, "min": 60, "h": 3600}


def setting(unit: str, key: str) -> str:
    (value,) = re.findall(rf"^{key}=(.*)$", unit, flags=re.MULTILINE)
    return value


def seconds(span: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*(s|min|h)", span).groups()
    return int(number) * SECONDS[unit]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_verifies_the_units(tmp_path):
    """The service pointed at this checkout (systemd checks that ExecStart exists), the timer,
    and the failure notice as OnFailure= instantiates it."""
    ai_war = Path(sys.executable).with_name("ai-war")
    service = SERVICE.replace("/srv/ai-war-report/.venv/bin/ai-war", str(ai_war))
    service = service.replace("/srv/ai-war-report", str(PROJECT_ROOT))
    (tmp_path / "ai-war-report.service").write_text(service, encoding="utf-8")
    shutil.copy(UNITS / "ai-war-report.timer", tmp_path)
    notice = tmp_path / "ai-war-report-failure@ai-war-report.service.service"
    shutil.copy(UNITS / "ai-war-report-failure@.service", notice)
    units = [str(tmp_path / name) for name in ("ai-war-report.service", "ai-war-report.timer")]
    run = subprocess.run(["systemd-analyze", "verify", *units, str(notice)], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0 and run.stdout + run.stderr == "", run.stdout + run.stderr


def test_the_service_runs_as_its_own_user_and_says_when_it_fails():
    assert setting(SERVICE, "User") not in ("", "root")
    notice = setting(SERVICE, "OnFailure")
    assert notice == "ai-war-report-failure@%n.service"
    assert (UNITS / "ai-war-report-failure@.service").is_file()


def test_systemd_waits_longer_than_the_lock_wait_and_the_longest_edition():
    """The build's own limits speak first: it stops waiting for the lock, or a cell, or a print,
    with its own message, before systemd's TimeoutStartSec ends it."""
    lock_wait = int(re.search(r"--lock-timeout (\d+)", setting(SERVICE, "ExecStart")).group(1))
    longest = 0
    for spec in load_config():
        notebook = nbformat.read(spec.notebook, as_version=4)
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells) + 1  # + papermill's
        longest = max(longest, code_cells * spec.cell_timeout + PRINT_TIMEOUT)
    assert seconds(setting(SERVICE, "TimeoutStartSec")) > lock_wait + longest
