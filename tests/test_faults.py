"""The fault table: unattended builds never wedge, never lie and never leak.

Each case meets a real `ai-war build` process with a real fault: a SIGKILL or SIGTERM, a kill
between two renames of a publication, a broken manifest, Chromium killed, a folder where a file
must go, a file-size limit, two builds at once. For every case: what it must say, that the
published reports are byte for byte as they were (or, for a decided publication, complete), that
no process of the build is left (kernels and Chromium included), and that the next build
succeeds without anyone's help.

Every process a build starts inherits FAULT_TAG in its environment, so the processes of one
build are found even once the build itself is gone and they have been reparented.
"""

import contextlib
import fcntl
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from projects import AI_WAR, project, small_notebook

from helpers import build
from helpers.build import MANIFEST

TAG = "AI_WAR_FAULT_TAG"
PYTHON = sys.executable
# a threshold no real fact base reaches: the stale-data warning has its own tests (test_freshness)
SMALL = '[[report]]\nname = "small"\nformats = ["html", "pdf"]\nstale_after_days = 100000\n'
# One notebook for every fault, steered by the environment the faulty build runs in; without
# those variables it prints the same edition every time (the HTML is then byte-identical).
FAULT_NOTEBOOK = """\
import os
import sys
import time
import warnings

from IPython.display import HTML, display

print(os.environ.get("FAULT_TEXT", "the published edition"))
# a lead chart, as the report's figures are marked up: the printer leaves a picture of it for the
# index's card (small.thumb.png); another edition draws it in another colour
colour = "#b35806" if os.environ.get("FAULT_TEXT") else "#0b5394"
display(HTML(f'<figure><div class="chart" role="group" aria-label="A bar, the lead chart">'
             f'<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120">'
             f'<rect width="240" height="120" fill="{colour}"/></svg></div></figure>'))
time.sleep(float(os.environ.get("FAULT_SLEEP", "0")))
if os.environ.get("FAULT_STDERR"):
    sys.stderr.write("a note on stderr: FAULT-STDERR-LINE\\n")
    warnings.warn("FAULT-WARNING-LINE")
if os.environ.get("FAULT_TRANSPORT"):
    from ipykernel.kernelapp import IPKernelApp

    print("kernel transport:", IPKernelApp.instance().transport)
if os.environ.get("FAULT_KILL_CHROMIUM"):  # the build's own Chromium, killed for real
    import psutil

    # kernel -> zygote (or worker, for a kernel started the usual way) -> build
    build = next(p for p in psutil.Process().parents() if {"build", "--reports"} <= set(p.cmdline()))
    deadline = time.monotonic() + 60
    browsers = []
    while time.monotonic() < deadline and not browsers:
        for process in build.children(recursive=True):
            try:
                if process.name() == "chromium" and not any(
                    a.startswith("--type=") for a in process.cmdline()
                ):
                    browsers.append(process)  # the browser process itself
            except psutil.Error:  # a helper process ending while it is looked at
                continue
        time.sleep(0.1)
    for browser in browsers:
        browser.kill()
"""


# --- helpers ----------------------------------------------------------------------------------


def published(reports: Path) -> dict[str, bytes]:
    """The reports a reader gets: HTML and PDF, with their bytes."""
    return {path.name: path.read_bytes() for path in sorted(reports.glob("small.*"))}


def name(process: psutil.Process) -> str:
    """The name of `process`, or '' once it has ended (Chromium starts and ends helpers)."""
    try:
        return process.name()
    except psutil.Error:
        return ""


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def tagged(tag: str) -> list[psutil.Process]:
    """Every live process started by the build tagged `tag` (a zombie holds nothing: left out)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(TAG) == tag and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            continue
    return found


def assert_nothing_left(tag: str) -> None:
    # a kernel dies with its zygote, or is killed by it when its worker dies; a kernel started
    # the usual way notices its worker's death within a second or two (ipykernel's parent poller)
    _, waited = psutil.wait_procs(tagged(tag), timeout=30)
    left = [p for p in waited if alive(p)]
    assert left == [], [(p.pid, name(p)) for p in left]


def assert_no_leaks(reports: Path) -> None:
    """No staging folder, journal or temporary file left in the reports folder."""
    hidden = sorted(p.name for p in [*reports.glob(".*"), *reports.glob("state/.*")])
    assert hidden == [".build.lock"], hidden


class Site:
    """A copy of the small project, built once, with its reports folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "reports.toml"
        self.reports = root / "reports"
        self.tag = uuid.uuid4().hex
        self.tmp = root / "tmp"  # the build's TMPDIR: what a killed build leaves there shows
        self.tmp.mkdir(exist_ok=True)

    def command(self, *args: str) -> list[str]:
        return [AI_WAR, "build", "--config", str(self.config), "--reports", str(self.reports),
                *args]  # fmt: skip

    def env(self, **faults: str) -> dict[str, str]:
        return {**os.environ, TAG: self.tag, "TMPDIR": str(self.tmp), **faults}

    def assert_clean(self) -> None:
        """No process of the build left, no file left in its TMPDIR or in the reports folder."""
        assert_nothing_left(self.tag)
        assert sorted(self.tmp.rglob("*")) == []
        assert_no_leaks(self.reports)

    def run(self, *args: str, **faults: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), env=self.env(**faults), capture_output=True,
                              text=True, timeout=600)  # fmt: skip

    def start(self, *args: str, **faults: str) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args), env=self.env(**faults), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip

    def manifest(self) -> dict:
        return json.loads((self.reports / MANIFEST).read_text(encoding="utf-8"))

    def next_build_succeeds(self) -> subprocess.CompletedProcess:
        """A forced build after the fault: it must work, with nobody cleaning up first."""
        run = self.run("--force")
        assert run.returncode == 0, run.stdout + run.stderr
        self.assert_clean()
        return run


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults")
    config = project(root, SMALL, small_notebook(FAULT_NOTEBOOK))
    build.build(config=config, reports_dir=root / "reports", log=lambda message: None)
    return root


@pytest.fixture
def site(built_once, tmp_path) -> Site:
    root = tmp_path / "site"
    shutil.copytree(built_once, root)
    return Site(root)


def is_kernel(process: psutil.Process) -> bool:
    """A kernel forked by the build's zygote (named so), or one started the usual way."""
    try:
        return name(process) == "ai-war-kernel" or "ipykernel_launcher" in process.cmdline()
    except psutil.Error:
        return False


def wait_for_kernels(site: Site, process: subprocess.Popen) -> None:
    """Until the notebook's kernel runs and Chromium is up."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        started = tagged(site.tag)
        if any(map(is_kernel, started)) and any("chrom" in name(p) for p in started):
            return
        time.sleep(0.1)
    pytest.fail(f"the build did not get to its kernels: {process.poll()}")


# --- case 1: a killed build blocks nothing, leaves nothing --------------------------------------


@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGTERM, 128 + signal.SIGTERM)],
    ids=["kill-9", "sigterm"],
)
def test_a_killed_build_leaves_no_process_and_does_not_block_the_next(site, sig, status):
    before = published(site.reports)
    process = site.start("--force", FAULT_SLEEP="600")
    try:
        wait_for_kernels(site, process)
        started = tagged(site.tag)
        assert any("chrom" in name(p) for p in started) and len(started) >= 4  # workers, kernel
    except BaseException:
        process.kill()  # a test that fails here must not leave a build running for 600 s
        raise
    os.kill(process.pid, sig)  # the build alone, as systemd or a person would
    output = process.communicate(timeout=120)[0]
    assert process.returncode == status, output
    if sig == signal.SIGTERM:
        assert "the build was stopped by signal SIGTERM" in output
        assert not list(site.reports.glob(".staging-*"))  # cleaned up on the way out
    assert_nothing_left(site.tag)
    assert published(site.reports) == before
    run = site.run("--lock-timeout", "60")  # would wait forever if a worker kept the lock
    assert run.returncode == 0, run.stdout + run.stderr
    assert "waiting for another build" not in run.stdout
    assert published(site.reports) == before  # the same inputs: nothing else to publish
    site.next_build_succeeds()
    # Chromium's own folder of the killed build (its shared memory files) is gone too
    assert not list(Path("/tmp").glob(f"ai-war-chromium-{process.pid}-*"))


def open_paths(process: psutil.Process) -> set[str]:
    folder = Path(f"/proc/{process.pid}/fd")
    paths = set()
    try:
        links = list(folder.iterdir())
    except OSError:  # the process ended meanwhile (a short-lived Chromium helper): it holds nothing
        return paths
    for link in links:
        try:
            paths.add(os.readlink(link))
        except OSError:
            continue
    return paths


def test_only_the_build_itself_holds_the_lock(site):
    process = site.start("--force", FAULT_SLEEP="600")
    try:
        wait_for_kernels(site, process)
        lock = str((site.reports / ".build.lock").resolve())
        processes = tagged(site.tag)  # the build itself, its workers, kernels, Chromium
        assert process.pid in {p.pid for p in processes} and len(processes) >= 4
        holders = {p.pid for p in processes if lock in open_paths(p)}
        assert holders == {process.pid}  # no worker, kernel or Chromium shares the descriptor
    finally:
        process.terminate()
        process.communicate(timeout=120)
    assert_nothing_left(site.tag)


def test_waiting_for_the_lock_has_a_limit(site):
    before = published(site.reports)
    with open(site.reports / ".build.lock", "a") as held:  # another build, as far as it knows
        fcntl.flock(held, fcntl.LOCK_EX)
        run = site.run("--force", "--lock-timeout", "1")
    assert run.returncode == 2
    assert "waiting for another build of these reports to finish" in run.stdout
    assert f"still holds {site.reports / '.build.lock'} after 1 s; nothing was built" in run.stderr
    assert "--lock-timeout" in run.stderr and "Traceback" not in run.stderr
    assert published(site.reports) == before
    site.next_build_succeeds()


def test_a_bad_lock_timeout_is_refused_by_name(site):
    run = site.run("--lock-timeout", "soon")
    assert run.returncode == 2
    assert "--lock-timeout: 'soon' is not a number of seconds" in run.stderr


# --- case 5: a broken manifest is set aside and rebuilt ------------------------------------------

BROKEN_MANIFESTS = [
    ("truncated", lambda text: text[: len(text) // 2], "is not JSON"),
    ("empty-object", lambda text: "{}", "'reports' is missing or not an object"),
    ("list", lambda text: "[]", "its top level is list, not an object"),
    ("null", lambda text: "null", "its top level is NoneType, not an object"),
    ("history-not-a-list", lambda text: '{"reports": {}, "history": {}}', "'history' is missing or not a list"),
    ("only-history", lambda text: '{"history": {}}', "'reports' is missing or not an object"),
    ("not-utf8", lambda text: "\udcff", "is not JSON"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "damage", "words"), BROKEN_MANIFESTS, ids=[c[0] for c in BROKEN_MANIFESTS]
)
def test_a_broken_manifest_is_set_aside_and_rebuilt(site, case, damage, words):
    path = site.reports / MANIFEST
    broken = damage(path.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape")
    path.write_bytes(broken)
    before = published(site.reports)
    listing = subprocess.run([AI_WAR, "list", "--reports", str(site.reports)],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert listing.returncode == 1 and "Traceback" not in listing.stderr
    assert f"{path} is not a manifest: " in listing.stderr and words in listing.stderr
    run = site.run()
    assert run.returncode == 0, run.stdout + run.stderr
    (aside,) = site.reports.glob(f"{MANIFEST}.corrupt-*")
    assert aside.read_bytes() == broken  # kept for a person to read
    assert f"set aside as {aside}" in run.stdout and words in run.stdout
    assert site.manifest()["reports"]["small"]["status"] == "ok"
    assert published(site.reports)["small.html"] == before["small.html"]  # rebuilt identical
    assert_no_leaks(site.reports)
    assert_nothing_left(site.tag)


def test_a_deleted_index_page_is_written_again(site):
    (site.reports / "index.html").unlink()
    run = site.run()
    assert run.returncode == 0
    assert "nothing to do" in run.stdout and "index.html again" in run.stdout
    assert '<a href="small.html">HTML</a>' in (site.reports / "index.html").read_text()


# --- case 6: one edition's files are published as one unit, checked by content ------------------

KILL_AT_RENAME = """\
import os, signal, sys
target = sys.argv[1]
def kill_before(event, args):  # SIGKILL, just before the rename onto `target`
    if event == "os.rename" and str(args[1]) == target:
        os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(kill_before)
from helpers.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_kill_between_two_renames_is_completed_by_the_next_build(site):
    """Killed once the new HTML is in place and before its PDF is: the next build finishes
    that publication (no kernel runs), so HTML, PDF and manifest are of one edition."""
    pdf = site.reports / "small.pdf"
    command = [PYTHON, "-c", KILL_AT_RENAME, str(pdf), *site.command("--force")[1:]]
    killed = subprocess.run(command, env=site.env(FAULT_TEXT="the second edition"),
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert "the second edition" in (site.reports / "small.html").read_text()  # it got that far
    assert_nothing_left(site.tag)
    run = site.run()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "finished the publication an interrupted build had started" in run.stdout
    assert "nothing to do" in run.stdout
    outputs = site.manifest()["reports"]["small"]["outputs"]
    for output in outputs.values():
        assert build._sha256(site.reports / output["file"]) == output["sha256"]
    assert "the second edition" in (site.reports / "small.html").read_text()
    assert_no_leaks(site.reports)
    site.next_build_succeeds()


def test_the_cards_picture_is_published_with_its_edition_and_checked_like_it(site):
    """The picture of the lead chart on the index's card is a file of its edition: published
    through the same journal (a kill before its rename is finished by the next build), its
    content hash recorded and checked (changed or deleted, the edition is built again)."""
    picture = site.reports / "small.thumb.png"
    first = picture.read_bytes()
    command = [PYTHON, "-c", KILL_AT_RENAME, str(picture), *site.command("--force")[1:]]
    killed = subprocess.run(command, env=site.env(FAULT_TEXT="the second edition"),
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert "the second edition" in (site.reports / "small.html").read_text()
    assert picture.read_bytes() == first  # the kill came just before its rename
    run = site.run()
    assert "finished the publication an interrupted build had started" in run.stdout, run.stdout
    assert "nothing to do" in run.stdout
    recorded = site.manifest()["reports"]["small"]["card"]["thumbnail"]
    assert picture.read_bytes() != first and build._sha256(picture) == recorded["sha256"]
    index = (site.reports / "index.html").read_text()
    assert f'<img src="small.thumb.png?v={recorded["sha256"][:12]}"' in index
    for damage in (lambda: picture.write_bytes(first), picture.unlink):
        damage()
        run = site.run()
        assert run.returncode == 0 and "small: built" in run.stdout, run.stdout
        recorded = site.manifest()["reports"]["small"]["card"]["thumbnail"]
        assert build._sha256(picture) == recorded["sha256"]
    assert_no_leaks(site.reports)


def test_a_published_file_changed_in_place_with_the_same_length_is_rebuilt(site):
    page = site.reports / "small.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"the published edition", b"THE PUBLISHED EDITION"))
    assert page.stat().st_size == len(original)
    run = site.run()
    assert run.returncode == 0 and "small: built" in run.stdout, run.stdout
    assert page.read_bytes() == original


# --- case 7: stderr of the kernel goes to the log, never into a report --------------------------


def test_stderr_and_warnings_go_to_the_log_and_not_into_the_report(site):
    run = site.run("--force", FAULT_STDERR="1")
    assert run.returncode == 0, run.stdout + run.stderr
    html = (site.reports / "small.html").read_text(encoding="utf-8")
    assert "the published edition" in html  # the stdout stays
    assert "FAULT-STDERR-LINE" not in html and "FAULT-WARNING-LINE" not in html
    assert "UserWarning" not in html
    log = run.stdout
    assert "small: stderr of the notebook (kept out of the report): a note on stderr: " in log
    assert "FAULT-WARNING-LINE" in log


def test_strip_stderr_keeps_every_other_output():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
        nbformat.v4.new_output("stream", name="stderr", text=["warn", "ing\n"]),
        nbformat.v4.new_output("display_data", data={"text/plain": "shown"}),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("m"), cell])
    assert build.strip_stderr(notebook) == ["warning\n"]
    assert [o.get("name", o.output_type) for o in notebook.cells[1].outputs] == [
        "stdout",
        "display_data",
    ]


# --- case 9: kernels starting at once never race for a port --------------------------------------


def test_builds_started_together_never_collide(built_once, tmp_path):
    """Two builds at once, three times over, each with its own reports folder. The kernels
    listen on Unix sockets: there is no TCP port for them to race for."""
    sites = []
    for number in range(2):
        shutil.copytree(built_once, tmp_path / f"site-{number}")
        sites.append(Site(tmp_path / f"site-{number}"))
    for _ in range(3):
        runs = [site.start("--force", FAULT_TRANSPORT="1") for site in sites]
        outputs = [run.communicate(timeout=600)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
    for site in sites:
        assert "kernel transport: ipc" in (site.reports / "small.html").read_text()
        assert_nothing_left(site.tag)


def test_a_successful_build_logs_no_error_and_no_tcp_warning(site):
    run = site.run("--force")
    assert run.returncode == 0
    log = run.stdout + run.stderr
    assert "small: built" in log
    assert "ERROR" not in log and "WARNING" not in log and "TCP" not in log, log


# --- case 10: smaller failures --------------------------------------------------------------------


def test_chromium_killed_during_the_build_is_reported_and_nothing_is_marked_failed(site):
    before = published(site.reports)
    run = site.run("--force", FAULT_KILL_CHROMIUM="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "small: printing its PDF failed" in run.stdout
    assert "printed 0 of 1 PDF(s)" in run.stdout
    assert "small failed: printing its PDF failed" in run.stderr
    assert "its notebook ran; the last good report stays published" in run.stderr
    assert not (site.reports / "executed" / "small.failed.ipynb").exists()
    assert published(site.reports) == before
    assert site.manifest()["history"][-1]["status"] == "failed"
    assert_nothing_left(site.tag)
    site.next_build_succeeds()


# Two reports: 'first' prints while 'second' still runs. 'second' waits until the HTML of
# 'first' is staged and Chromium has opened a page since (a renderer process exists only while
# a page is open), then kills the browser process: mid-print of 'first'.
MID_PRINT_NOTEBOOK = """\
import os
import time
from pathlib import Path

import psutil

print("report", lang)
if lang == "fr":  # pages enough that printing them takes a while
    print("\\n".join(f"line {number} of a long report" for number in range(6000)))


def chromium(build, since=None):
    # the build's Chromium: its renderers opened after `since`, or the browser process
    found = []
    for process in build.children(recursive=True):
        try:
            if "chrom" not in process.name():
                continue
            kinds = [a for a in process.cmdline() if a.startswith("--type=")]
            if since is None and not kinds:
                found.append(process)
            elif since is not None and kinds == ["--type=renderer"]:
                found += [process] if process.create_time() >= since else []
        except psutil.Error:  # a process ending while it is looked at
            continue
    return found


if os.environ.get("FAULT_KILL_MID_PRINT") and lang == "en":
    # kernel -> zygote (or worker, for a kernel started the usual way) -> build
    build = next(p for p in psutil.Process().parents() if {"build", "--reports"} <= set(p.cmdline()))
    command = build.cmdline()
    reports = Path(command[command.index("--reports") + 1])
    deadline = time.monotonic() + 120
    renderers, staged = [], []
    while time.monotonic() < deadline and not renderers:
        staged = staged or list(reports.glob(".staging-*/first.html"))
        # any renderer: Chromium may print in a spare renderer it started before the page
        renderers = chromium(build, since=0.0) if staged else []
        time.sleep(0.005)
    if not renderers:
        raise RuntimeError("Chromium never opened a page to print 'first'")
    time.sleep(0.3)  # the page staged a moment ago is loading or printing
    for browser in chromium(build):
        browser.kill()  # the browser process itself
"""
TWO_REPORTS = (
    '[[report]]\nname = "first"\nparameters = { lang = "fr" }\n'
    '[[report]]\nname = "second"\nparameters = { lang = "en" }\n'
)


def test_chromium_killed_mid_print_fails_the_prints_honestly(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    project(root, TWO_REPORTS, small_notebook(MID_PRINT_NOTEBOOK))
    site = Site(root)
    assert site.run().returncode == 0
    before = {path.name: path.read_bytes() for path in sorted(site.reports.glob("*.*"))
              if path.suffix in (".html", ".pdf") and path.name != "index.html"}  # fmt: skip
    run = site.run("--force", "--jobs", "2", FAULT_KILL_MID_PRINT="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(  # killed while printing it, or while it was on its way to print
        r"first: printing its PDF failed: ChromiumGone: Chromium (exited while|had exited "
        r"before) printing first\.html",
        run.stdout,
    ), run.stdout
    assert "printed 0 of 2 PDF(s)" in run.stdout
    assert "first failed: printing its PDF failed" in run.stderr
    assert not list((site.reports / "executed").glob("*.failed.ipynb"))
    after = {name: (site.reports / name).read_bytes() for name in before}
    assert after == before
    assert_nothing_left(site.tag)
    site.next_build_succeeds()


def test_the_failure_message_names_the_real_reports_folder(built_once, tmp_path):
    root = tmp_path / "elsewhere"
    shutil.copytree(built_once, root)
    project(root, SMALL, small_notebook("raise ValueError('no')"))
    target = tmp_path / "published-here"
    (result,) = build.build(config=root / "reports.toml", reports_dir=target,
                            log=lambda message: None)  # fmt: skip
    assert result.status == "failed"
    assert f"kept as {target / 'executed' / 'small.failed.ipynb'}" in result.message
    assert (target / "executed" / "small.failed.ipynb").exists()


def test_reports_path_that_is_a_file_is_refused_by_name(site, tmp_path):
    """What a reports folder that cannot be written at all gives: nothing to record into."""
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    command = [AI_WAR, "build", "--config", str(site.config), "--reports", str(not_a_folder)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"cannot publish into {not_a_folder}: [Errno 20] not a folder" in run.stderr


@pytest.mark.parametrize("folder", ["executed", "state"])
def test_a_part_of_the_reports_folder_that_cannot_be_written_is_recorded(site, folder):
    """A file where the build must write a folder: the same refusal a read-only folder gives,
    but one that holds for root too (chmod does not stop root)."""
    before = published(site.reports)
    obstacle = site.reports / folder
    shutil.rmtree(obstacle)
    obstacle.write_text("not a folder")
    run = site.run("--force")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    problem = f"cannot publish into {site.reports}: [Errno 20] not a folder: '{obstacle}'"
    assert f"small failed: {problem}" in run.stderr
    last = site.manifest()["history"][-1]
    assert last["status"] == "failed" and last["error"] == problem
    assert published(site.reports) == before
    assert_no_leaks(site.reports)
    assert_nothing_left(site.tag)
    obstacle.unlink()  # the machine is mended; the build needs nothing else
    site.next_build_succeeds()


def limit_file_size() -> None:
    """No file may grow past 100 kB: writes beyond fail with EFBIG, as on a full disk (the HTML
    of the small report is bigger). SIGXFSZ ignored, so the write fails instead of killing."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


def test_a_write_that_runs_out_of_room_fails_the_run_and_leaks_nothing(site):
    before = published(site.reports)
    run = subprocess.run(site.command("--force"), env=site.env(), capture_output=True, text=True,
                         timeout=600, preexec_fn=limit_file_size)  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stdout + run.stderr
    staged = "small.html: File too large"
    assert "small failed: cannot write " in run.stderr and staged in run.stderr
    assert site.manifest()["history"][-1]["status"] == "failed"
    assert published(site.reports) == before
    assert_no_leaks(site.reports)
    assert_nothing_left(site.tag)
    site.next_build_succeeds()


def test_leftovers_of_a_killed_build_are_cleaned_up(site):
    leftovers = [
        site.reports / ".manifest.json.abc123",  # the temporary names of earlier versions
        site.reports / ".index.html.x1y2",
        site.reports / ".manifest.json.0a1b2c3d.tmp",
        site.reports / "state" / ".small.facts.json.0a1b2c3d.tmp",
    ]
    for leftover in leftovers:
        leftover.write_text("half written")
    (site.reports / ".staging-deadbeef").mkdir()
    site.next_build_succeeds()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_index_and_manifest_get_the_mode_of_the_umask(site, umask, mode):
    run = subprocess.run(site.command("--force"), env=site.env(), capture_output=True, text=True,
                         timeout=600, preexec_fn=lambda: os.umask(umask))  # fmt: skip
    assert run.returncode == 0, run.stderr
    for name in ("index.html", MANIFEST, "small.html", "small.pdf"):
        assert (site.reports / name).stat().st_mode & 0o777 == mode, name


def test_a_zygote_that_dies_leaves_its_kernels_to_start_the_usual_way_and_the_log_says_so(site):
    build = site.start("--force")
    zygote, deadline = None, time.monotonic() + 60
    while zygote is None and time.monotonic() < deadline and build.poll() is None:
        for process in psutil.Process(build.pid).children():
            with contextlib.suppress(psutil.Error):
                if "helpers.zygote" in process.cmdline():
                    zygote = process
        time.sleep(0.002)
    assert zygote is not None, "the build started no zygote"
    zygote.kill()  # while it still loads: no kernel has been asked of it yet
    out, _ = build.communicate(timeout=600)
    assert build.returncode == 0, out
    assert re.search(r"WARNING +kernel zygote: exited with code -9\n", out), out
    assert re.search(
        r"INFO +small: its kernel was started the usual way, not forked: ConnectionRefusedError",
        out,
    ), out
    site.assert_clean()
    # with no zygote by choice, the usual way is the only way: nothing to say
    run = site.run("--force", AI_WAR_ZYGOTE="off")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "not forked" not in run.stdout + run.stderr
