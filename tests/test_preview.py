"""`ai-war preview` as an analyst uses it: a real process on a copy of the project, real edits of
the data, the page fetched over HTTP and opened in the machine's Chromium."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
import pytest
from browsing import chromium
from projects import AI_WAR, project

from helpers.paths import DATA_DIR

FIRST_RUN = 240  # seconds: a cold kernel, imports and every chart on a busy machine
EDIT_RUN = 120


def report_alone(page: str) -> str:
    """The page without the preview's reload script."""
    return re.sub(r'<script id="ai-war-preview-reload">.*?</script>\n?', "", page, flags=re.S)


@dataclass
class Preview:
    process: subprocess.Popen
    url: str
    data: Path

    def get(self, path: str = "/") -> str:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
            return response.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("/status"))

    def wait_past(self, version: int, timeout: float) -> dict:
        """The status once the preview has published a version after `version`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["version"] > version:
                return status
            assert self.process.poll() is None, "the preview stopped"
            time.sleep(0.2)
        raise AssertionError(f"no new version after {timeout} s")

    def wait_good(self, gone: str = "", timeout: float = EDIT_RUN) -> None:
        """Wait until the page is the report again, without `gone` (an edit just undone)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status()["ok"] and not (gone and gone in self.get()):
                return
            assert self.process.poll() is None, "the preview stopped"
            time.sleep(0.2)
        raise AssertionError(f"the report did not come back in {timeout} s")

    def edit(self, table: str, old: str, new: str) -> None:
        path = self.data / table
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def processes(self) -> list[psutil.Process]:
        """The preview and everything it started (its kernel)."""
        parent = psutil.Process(self.process.pid)
        return [parent, *parent.children(recursive=True)]


def start(tmp_path: Path, data_dir: Path) -> Preview:
    config = project(tmp_path, '[[report]]\nname = "report-en"\nparameters = { lang = "en" }\n')
    process = subprocess.Popen(
        [AI_WAR, "preview", "--port", "0", "--config", str(config)],
        env={**os.environ, "AI_WAR_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert found, line
    return Preview(process, found.group(0), data_dir)


def stop(preview: Preview, sig: int = signal.SIGTERM) -> int:
    if preview.process.poll() is None:
        preview.process.send_signal(sig)
    try:
        return preview.process.wait(timeout=30)
    finally:
        if preview.process.poll() is None:
            preview.process.kill()
        preview.process.stdout.close()


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    """One preview of the English edition, its first run done, on a copy of data/."""
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(DATA_DIR, root / "data")
    running = start(root, root / "data")
    try:
        status = running.wait_past(0, FIRST_RUN)
        assert status["ok"], status["message"]
        yield running
    finally:
        stop(running)


def test_an_edit_of_the_data_changes_the_page(preview):
    page = preview.get()
    assert "Sam Altman" in page and "Samuel Preview Altman" not in page
    assert 'id="ai-war-preview-reload"' in page  # the reload script, in the preview only
    before = preview.status()["version"]
    preview.edit("actors.csv", "altman,Sam Altman,", "altman,Samuel Preview Altman,")
    try:
        status = preview.wait_past(before, EDIT_RUN)
        assert status["ok"], status["message"]
        assert "Samuel Preview Altman" in preview.get()
    finally:
        preview.edit("actors.csv", "altman,Samuel Preview Altman,", "altman,Sam Altman,")
        preview.wait_good(gone="Samuel Preview Altman")


def test_a_bad_edit_shows_its_message_and_the_last_good_version(preview):
    good = preview.get()
    before = preview.status()["version"]
    preview.edit("actors.csv", "altman,Sam Altman,,person,", "altman,Sam Altman,,<b>person</b>,")
    try:
        status = preview.wait_past(before, EDIT_RUN)
        assert not status["ok"]
        page = preview.get()
        assert "actors.csv, row 3, field kind" in page
        assert "&#39;&lt;b&gt;person&lt;/b&gt;&#39; is not one of" in page  # escaped, as text
        assert "<b>person</b>" not in page
        assert '<a id="last-good" href="/last-good">' in page
        # the report of before the edit, still there (its reload script waits for a newer version)
        assert report_alone(preview.get("/last-good")) == report_alone(good)
        assert 'id="ai-war-preview-reload"' in page
    finally:
        preview.edit("actors.csv", "<b>person</b>", "person")
        preview.wait_good()


def test_a_cell_that_raises_is_named_and_the_preview_goes_on(preview):
    """An exception in a cell (the notebook asks for a section that does not exist)."""
    notebook = preview.data.parent / "notebooks" / "report.ipynb"
    original = notebook.read_text(encoding="utf-8")
    before = preview.status()["version"]
    cells = nbformat.reads(original, as_version=4)
    money = next(c for c in cells.cells if c.source == 'edition.section("money")')
    money.source = 'edition.section("moneys")'
    nbformat.write(cells, notebook)
    try:
        status = preview.wait_past(before, EDIT_RUN)
        assert not status["ok"]
        page = preview.get()
        assert "cell 6 (`edition.section(&#34;moneys&#34;)`) raised KeyError" in page
        assert '<a id="last-good" href="/last-good">' in page
    finally:
        notebook.write_text(original, encoding="utf-8")
        preview.wait_good()


def test_the_page_is_the_one_the_build_publishes(preview, tmp_path):
    """After the edits above and their undoing (charts now read from the figure cache), the
    preview's page without its reload script is byte for byte the build's HTML of that data."""
    from helpers import build

    config = project(
        tmp_path,
        '[[report]]\nname = "report-en"\nformats = ["html"]\nparameters = { lang = "en" }\n',
    )
    results = build.build(
        config=config, reports_dir=tmp_path / "reports", data_dir=preview.data, log=print
    )
    assert [result.status for result in results] == ["built"]
    published = (tmp_path / "reports" / "report-en.html").read_text(encoding="utf-8")
    assert "ai-war-preview-reload" not in published
    assert report_alone(preview.get()) == published


def test_the_open_page_reloads_itself_after_an_edit(preview):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(preview.url, wait_until="load")
        assert page.locator("h2#money").count() == 1
        before = preview.status()["version"]
        with page.expect_navigation(wait_until="load", timeout=EDIT_RUN * 1000):
            preview.edit("actors.csv", "altman,Sam Altman,", "altman,Samuel Reload Altman,")
        try:
            assert preview.status()["version"] > before
            assert "Samuel Reload Altman" in page.content()
            assert page.locator("h2#money").count() == 1
        finally:
            preview.edit("actors.csv", "altman,Samuel Reload Altman,", "altman,Sam Altman,")
            page.close()
    preview.wait_good(gone="Samuel Reload Altman")


def test_stopping_leaves_no_kernel(preview):
    started = preview.processes()
    assert any("ipykernel" in " ".join(p.cmdline()) for p in started[1:])
    assert stop(preview) == 0
    _gone, alive = psutil.wait_procs(started, timeout=10)
    assert alive == []


def test_ctrl_c_during_a_run_stops_the_kernel_too(tmp_path, data_dir):
    running = start(tmp_path, data_dir)
    deadline = time.monotonic() + 60
    kernels: list[psutil.Process] = []
    while not kernels and time.monotonic() < deadline:
        kernels = [p for p in running.processes()[1:] if "ipykernel" in " ".join(p.cmdline())]
        time.sleep(0.2)
    assert kernels, "no kernel started"
    time.sleep(1.0)  # the notebook is running now
    assert stop(running, signal.SIGINT) == 0
    _gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert alive == []
