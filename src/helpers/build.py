"""Build the configured reports: fast, incremental, parallel, and safe to run unattended.

For each report of reports.toml, Papermill runs the notebook and nbconvert writes the HTML; one
Chromium then prints every PDF from that same HTML. A report whose inputs (notebook, data, helper
code, parameters, locked versions) did not change since its last good build is left alone.
Everything is written in a staging folder and moved into reports/ only when complete; a failed
run keeps the last good report and its executed notebook with Papermill's error banner.
Parameters and data are checked before any kernel starts; a lock keeps two builds apart.
"""

from __future__ import annotations  # annotations naming the deferred modules stay unevaluated

import concurrent  # the package alone (empty); its `futures` is deferred below
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import sys
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from helpers.changes import bounded, compare, facts_digest, read_digest
from helpers.config import CONFIG_FILE, RunSpec, load_config, select
from helpers.freshness import aged, freshness, stale_warning
from helpers.i18n import label
from helpers.params import ParameterError, check_parameters, declared_parameters
from helpers.paths import (
    DATA_DIR,
    KNOWN_SHA256,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    PROJECT_ROOT,
    PROVEN_FILES,
    REPORT_NOTEBOOK,
    REPORTS_DIR,
    TEMPLATES_DIR,
)


def _deferred(name: str) -> types.ModuleType:
    """The module `name`, executed when one of its attributes is first used (the standard
    library's LazyLoader): what only a build with work to do needs costs a no-op build nothing."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


# the tools of the runs (workers, threads, staging folders, random names): deferred
_deferred("concurrent.futures")
copy = _deferred("copy")
ctypes = _deferred("ctypes")
multiprocessing = _deferred("multiprocessing")
secrets = _deferred("secrets")
subprocess = _deferred("subprocess")
tempfile = _deferred("tempfile")

KERNEL_NAME = "ai-war-report"  # registered by the Makefile's set-up into .venv
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
MANIFEST = "manifest.json"
EXECUTED = "executed"  # folder of reports/ that keeps the executed notebooks
HISTORY_LENGTH = 50  # runs kept in the manifest's history
LOCK = ".build.lock"
JOURNAL = ".publish-journal.json"  # the files of a publication in progress, for the next build
RUNS = ".runs"  # reports/.runs/<name>/: complete runs of `ai-war run`, for `ai-war publish`
RECORD = ".run.json"  # <name>.run.json: a run's record, its last file
DEFAULT_LOCK_TIMEOUT = 3600  # seconds a build waits for another; a full build takes minutes
# What the kernel process itself writes on stderr that is no error of the report: jupyter_client
# interrupts every kernel before it shuts it down, and ipykernel logs that interrupt as ERROR.
KERNEL_NOISE = ("KeyboardInterrupt caught in kernel",)
LIBRARY_LINES = 1000  # lines a worker keeps of what libraries log (past that, it starts again)
# seconds the checks wait for a worker to read a notebook's parameters (it starts in about one)
# before reading them themselves
CHECK_TIMEOUT = 120


class BuildError(RuntimeError):
    """A build that could not start or finish; the message says what and where."""


class ManifestError(BuildError):
    """reports/manifest.json is not a manifest: the build sets it aside and rebuilds it."""


class Terminated(BaseException):
    """The build was asked to stop (SIGTERM); a BaseException, so no `except Exception` keeps it."""


@dataclass
class RunResult:
    """What happened to one configured report in a build."""

    name: str
    status: str  # "built", "up to date", "failed"
    message: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0


# --- inputs and their fingerprint ----------------------------------------------------------------


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


HASHES = "input-hashes.json"  # reports/state/: content hashes of files, by what stat says
RACY_NS = 2_000_000_000  # a file changed this close to its hashing is hashed again next time


class HashCache:
    """The sha256 of files, remembered by what stat(2) says of each: size, modification and
    change times (ns) and inode, as git's index does. A file whose four values are those
    recorded is taken to hold the content recorded, without reading it.

    What this trusts: that any write to a file moves its change time (ctime), which no program
    can set back (utime sets the modification time only; an edit of the same length with its
    mtime restored is still seen), and that the clock does not go back. A file changed less
    than RACY_NS before it was hashed is not remembered ('racily clean' in git's words): a
    second change within the same clock tick could keep all four values. The cache is rebuildable
    state: an unreadable one is ignored, and one that cannot be written is not kept.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._known: dict[str, list] = {}
        self._used: dict[str, list] = {}
        if path is None:
            return
        try:
            known = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(known, dict):
            self._known = {
                name: entry
                for name, entry in known.items()
                if isinstance(entry, list) and len(entry) == 5 and isinstance(entry[4], str)
            }

    def sha256(self, path: Path) -> str:
        """The sha256 of the file at `path`, read only when stat says it may have changed."""
        checked = time.time_ns()
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        name = str(path.absolute())
        entry = self._used.get(name) or self._known.get(name)
        if entry is None or entry[:4] != stamp:
            entry = [*stamp, _sha256(path)]
            if checked - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS:
                entry.append("racy")  # used in this build, never written down
        self._used[name] = entry
        return entry[4]

    def known(self) -> dict[str, list]:
        """The hashes this build used, by real path, with what stat said of each file; those of
        files changed just before they were hashed left out (helpers.paths.KNOWN_SHA256)."""
        return {
            os.path.realpath(name): entry for name, entry in self._used.items() if len(entry) == 5
        }

    def save(self) -> None:
        """Write down the hashes this build used (those of files changed just before it was
        hashed left out), when they differ from what was read; under the build lock."""
        kept = {name: entry for name, entry in self._used.items() if len(entry) == 5}
        if self.path is None or kept == self._known or not self.path.parent.is_dir():
            return
        with contextlib.suppress(OSError):  # a cache: a build without it is only slower
            write_atomically(self.path, json.dumps(kept, sort_keys=True).encode())


def _data_file_hash(path: Path, data_dir: Path, digest: Callable[[Path], str] = _sha256) -> str:
    """Hash of a data file; one the checks refuse (linked from outside, too big) is not read."""
    from helpers.schema import MAX_FILE_BYTES

    stat = path.stat()
    if stat.st_size > MAX_FILE_BYTES or not path.resolve().is_relative_to(data_dir.resolve()):
        where = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        return hashlib.sha256(where.encode()).hexdigest()
    return digest(path)


def _files_under(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    found = {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    return sorted(path for path in found if "__pycache__" not in path.parts)


def input_hashes(
    spec: RunSpec, data_dir: Path = DATA_DIR, cache: HashCache | None = None
) -> dict[str, str]:
    """Hash of everything a report depends on, by name: a change to any of them rebuilds it.
    `cache`: where the hashes of unchanged files are remembered (every file is read without)."""
    digest = cache.sha256 if cache else _sha256
    inputs = {"notebook": digest(spec.notebook), "requirements.lock": digest(LOCK_FILE)}
    for path in _files_under(data_dir, ("**/*",)):
        inputs[f"data/{path.relative_to(data_dir)}"] = _data_file_hash(path, data_dir, digest)
    for path in _files_under(PACKAGE_DIR, ("**/*",)):  # code, templates, catalogues, style
        inputs[f"helpers/{path.relative_to(PACKAGE_DIR)}"] = digest(path)
    settings = {
        "parameters": spec.parameters,
        "formats": spec.formats,
        "cell_timeout": spec.cell_timeout,
    }
    inputs["settings"] = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
    return inputs


def fingerprint(inputs: dict[str, str]) -> str:
    """One hash standing for all the inputs."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


# --- the manifest --------------------------------------------------------------------------------


def _empty_manifest() -> dict:
    return {"reports": {}, "history": []}


def _manifest_problem(document: object) -> str | None:
    """What makes `document` unusable as a manifest, or None: the shape the build relies on."""
    if not isinstance(document, dict):
        return f"its top level is {type(document).__name__}, not an object"
    if not isinstance(document.get("reports"), dict):
        return "its 'reports' is missing or not an object"
    if not isinstance(document.get("history"), list):
        return "its 'history' is missing or not a list"
    for name, entry in document["reports"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("outputs", {}), dict):
            return f"report {name!r} is not an object with its outputs"
        for output in entry.get("outputs", {}).values():
            if not isinstance(output, dict) or not isinstance(output.get("file"), str):
                return f"an output of report {name!r} names no file"
    for run in document["history"]:
        if not isinstance(run, dict) or not all(
            isinstance(run.get(key), str) for key in ("name", "status", "ended")
        ):
            return "a run of its 'history' lacks its name, status or end"
    return None


def read_manifest(reports_dir: Path) -> dict:
    """The manifest of published reports (empty when there is none yet).

    Raises ManifestError, naming the file and what is wrong, when it is not a manifest.
    """
    path = reports_dir / MANIFEST
    if not path.exists():
        return _empty_manifest()
    try:
        document = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        problem: str | None = f"it is not JSON ({err})"
    else:
        problem = _manifest_problem(document)
    if problem:
        raise ManifestError(f"{path} is not a manifest: {problem}")
    return document


def _load_manifest(reports_dir: Path, log: Callable[[str], None]) -> dict:
    """The manifest, or an empty one when it is corrupt: the manifest is rebuildable state.

    A corrupt one is set aside (never deleted: a person may want to read it) and every report
    is rebuilt, which writes a new one. Called under the build lock.
    """
    try:
        return read_manifest(reports_dir)
    except ManifestError as err:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = reports_dir / f"{MANIFEST}.corrupt-{stamp}"
        while aside.exists():  # two in the same second: keep both
            aside = aside.with_name(f"{aside.name}-{secrets.token_hex(2)}")
        os.replace(reports_dir / MANIFEST, aside)
        log(f"warning: {err}; set aside as {aside}; every report is rebuilt and the manifest too")
        return _empty_manifest()


def write_atomically(path: Path, content: bytes) -> None:
    """Write `path` so that a reader sees the old or the new content, never half of it.

    The file gets the mode of any new file under the umask (0644 under umask 022), so a web
    server can read it; a write that fails (a full disk) leaves no temporary file behind.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename makes it the file
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def up_to_date(
    spec: RunSpec,
    current: str,
    manifest: dict,
    reports_dir: Path,
    digest: Callable[[Path], str] = _sha256,
) -> bool:
    """Whether the published report was built from exactly these inputs and is still intact.

    Intact means the content hash of each published file (by `digest`) is the one recorded: a
    size alone misses an edit of the same length.
    """
    entry = manifest["reports"].get(spec.name)
    if not entry or entry.get("status") != "ok" or entry.get("fingerprint") != current:
        return False
    outputs = entry.get("outputs", {})
    if set(outputs) != set(spec.formats):
        return False
    return all(
        (reports_dir / output["file"]).is_file()
        and digest(reports_dir / output["file"]) == output.get("sha256")
        for output in _published_files(entry)
    )


def versions() -> dict[str, str]:
    """Versions of the tools that shape the output."""
    from importlib.metadata import version

    found = {"python": sys.version.split()[0]}
    for package in (
        "papermill",
        "nbconvert",
        "nbclient",
        "ipykernel",
        "pandas",
        "matplotlib",
        "playwright",
    ):
        found[package] = version(package)
    return found


# --- checks before any kernel --------------------------------------------------------------------


def check_run(
    spec: RunSpec, data_dir: Path = DATA_DIR, declared: dict[str, tuple] | None = None
) -> None:
    """Raise ParameterError unless the run's parameters suit the notebook and the data.
    `declared`: the notebook's parameters (`declared_parameters`) when already read."""
    from helpers.data import actor_ids
    from helpers.params import check_against

    if declared is None:
        declared = declared_parameters(spec.notebook)
    check_against(declared, spec.parameters)
    if spec.notebook.name == REPORT_NOTEBOOK.name:  # the report's own notebook, wherever it lives
        check_parameters(known_actors=actor_ids(data_dir), **spec.parameters)


# --- running one report (in a worker process) ----------------------------------------------------


def exporter_config(lang: str):
    """nbconvert settings of the report's HTML (which the PDF is printed from).

    The report notebook's page output is the document; for any other notebook, readers see the
    outputs and prose, not the code or the parameters.
    """
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    # parameter cells show nothing, and papermill gives the injected one a random id
    config.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters"}
    config.HTMLExporter.template_name = "report"
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    config.HTMLExporter.language_code = lang
    return config


def strip_stderr(notebook) -> list[str]:
    """Take every stderr stream output (warnings, logging) out of `notebook`; return their text.

    What a kernel writes on stderr is for the people running the build, never for readers: the
    build log gets it, the published report does not.
    """
    removed = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                removed.append("".join(text) if isinstance(text, list) else text)
            else:
                kept.append(output)
        cell["outputs"] = kept
    return removed


def html_of(executed: Path, lang: str, stderr: list[str] | None = None) -> str:
    """The report's HTML from an executed notebook; its stderr outputs go to `stderr`."""
    import nbformat

    return html_of_notebook(nbformat.read(executed, as_version=4), lang, stderr)


def html_of_notebook(notebook, lang: str, stderr: list[str] | None = None, exporter=None) -> str:
    """The report's HTML from an executed notebook node (its stderr outputs taken out, into
    `stderr`). `exporter`: an HTMLExporter made with `exporter_config(lang)`, to reuse (the
    preview does, to skip loading the templates again); a new one when None."""
    from nbconvert import HTMLExporter

    removed = strip_stderr(notebook)
    if stderr is not None:
        stderr.extend(removed)
    notebook.metadata["title"] = label("page.title", lang)
    exporter = exporter or HTMLExporter(config=exporter_config(lang))
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _kernel_manager_class(stderr_file, connection_file: Path, launch: dict | None = None) -> type:
    """A kernel manager whose kernel listens on Unix sockets and writes its stderr to a file.

    In a build's worker, its kernel is forked from the build's zygote (helpers.zygote), and
    started the usual way when the zygote refuses or is not there; `launch` then says which
    ("forked": True or False, and why not).

    Its connection file is `connection_file` (in staging) rather than a temporary file that a
    killed worker could not remove.

    Over TCP, jupyter_client picks free ports then lets the kernel bind them: two kernels
    starting at once on the machine can pick the same port and one dies ("Address already in
    use"). Linux abstract Unix sockets, named at random, leave no port to race for and no file
    behind. The kernel's own stderr (ipykernel's log) goes to the build log, sorted, not raw.
    """
    from jupyter_client.manager import AsyncKernelManager

    class UnixSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            address = f"@ai-war-kernel-{secrets.token_hex(8)}"  # '@': Linux's abstract names
            super().__init__(
                transport="ipc",
                ip=address,
                connection_file=str(connection_file),
                client_class="helpers.kernels.ReadyClient",  # ready without a 0.2 s pause
                **kwargs,
            )

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
            kw["stderr"] = stderr_file
            from helpers import kernels

            # as jupyter_client's launcher sets it for a kernel it starts: the parent to watch
            env = {**kw["env"], "JPY_PARENT_PID": str(os.getpid())}
            try:
                forked = kernels.fork_kernel(
                    kernel_cmd, env, str(kw.get("cwd") or os.getcwd()), stderr_file.name
                )
            except (kernels.ZygoteRefused, OSError, ValueError, KeyError) as why:
                if launch is not None:
                    launch.update(forked=False, why=f"{type(why).__name__}: {why}")
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            # what jupyter_client's LocalProvisioner records of a kernel process it started
            provisioner = self.provisioner
            provisioner.process, provisioner.pid, provisioner.pgid = forked, forked.pid, forked.pid
            provisioner.cwd = kw.get("cwd")
            self._reconcile_connection_info(provisioner.connection_info)
            if launch is not None:
                launch.update(forked=True, why=None)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel before asking it to shut down; a kernel
            # still finishing its last message logs "ERROR | KeyboardInterrupt caught" for a
            # run that succeeded. The shutdown request alone stops it (a cell past its
            # timeout was already interrupted by nbclient), so no interrupt at shutdown.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return UnixSocketKernelManager


def _timed_out_cell(executed: Path) -> str:
    """'cell N (`first line`)' for the cell that was running when the time ran out.

    Papermill stamps each cell it starts; the last stamped cell is the one that ran too long.
    N counts the cells of the configured notebook (papermill's injected cell left out).
    """
    import nbformat

    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return "a cell"
    cells = [
        cell
        for cell in notebook.cells
        if "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    started = [
        number
        for number, cell in enumerate(cells, start=1)
        if cell.metadata.get("papermill", {}).get("start_time")
    ]
    if not started:
        return "a cell"
    cell = cells[started[-1] - 1]
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return f"cell {started[-1]} (`{first[:80]}`)"


def _kernel_lines(path: Path) -> list[str]:
    """The kernel process's own stderr, without the shutdown noise of KERNEL_NOISE."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if line.strip() and not any(n in line for n in KERNEL_NOISE)]


def run_notebook(
    spec: RunSpec,
    staging: Path,
    progress: bool,
    proven: dict[str, list[int]] | None = None,
    known: dict[str, list] | None = None,
) -> dict:
    """Execute the notebook of `spec` into `staging` and write its HTML there.

    Runs in a worker process; returns a plain dict (picklable) saying what happened, with the
    stderr of the notebook and of its kernel, and what libraries logged, for the build log.
    `proven`: the table files the build proved plain, named to the kernel
    (helpers.paths.PROVEN_FILES, in the environment it starts with); `known`: the sha256 the
    build computed of the data files (helpers.paths.KNOWN_SHA256, likewise).
    """
    import logging.handlers  # here: a build with nothing to do never needs logging

    os.environ[PROVEN_FILES] = json.dumps(proven or {})
    os.environ[KNOWN_SHA256] = json.dumps(known or {})

    # what papermill, nbclient and nbconvert log (a cell's timeout, a dying kernel) goes to the
    # build's log, with its time and level, not bare onto this worker's stderr
    said = logging.handlers.BufferingHandler(capacity=LIBRARY_LINES)
    said.setLevel(logging.WARNING)
    logging.getLogger().addHandler(said)
    try:
        outcome = _execute_and_render(spec, staging, progress)
    finally:
        logging.getLogger().removeHandler(said)
    return {**outcome, "said": [f"{line.name}: {line.getMessage()}" for line in said.buffer]}


ENDS_SAVING_ENGINE = "ai-war-saves-at-end"


def _register_engine() -> None:
    """Register with papermill (in this worker) an engine that writes the executed notebook
    when the run starts and when it ends, whatever its end, not after every cell: the build's
    notebook sits in staging, where nobody watches it fill, and each of those writes serialises
    and validates every output so far (0.2 s a report; more with more facts). A cell that ran
    past its time is still named: papermill stamps its start in the notebook written at the end.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SavesAtEnd(NotebookExecutionManager):
        def notebook_start(self, **kwargs: object) -> None:
            super().notebook_start(**kwargs)
            super().save()  # the notebook as it starts, without outputs: a run in progress

        def save(self, **kwargs: object) -> None:
            if self.end_time is not None:  # set by notebook_complete, which every run reaches
                super().save(**kwargs)

    class EndsSavingEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            manager = SavesAtEnd(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENDS_SAVING_ENGINE, EndsSavingEngine)


def _execute_and_render(spec: RunSpec, staging: Path, progress: bool) -> dict:
    import papermill
    from nbclient.exceptions import CellTimeoutError

    executed = staging / f"{spec.name}.ipynb"
    started = time.monotonic()
    stderr: list[str] = []
    # the kernel's files go in staging, not in /tmp: a killed worker cannot remove them, and the
    # next build (or the build itself, stopped by SIGTERM) removes staging
    kernel_log = staging / f"{spec.name}.kernel-stderr"
    launch: dict = {}
    with kernel_log.open("wb") as kernel_stderr:
        try:
            _register_engine()
            papermill.execute_notebook(
                str(spec.notebook),
                str(executed),
                engine_name=ENDS_SAVING_ENGINE,
                parameters=spec.parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=progress,
                execution_timeout=spec.cell_timeout,
                kernel_manager_class=_kernel_manager_class(
                    kernel_stderr, staging / f"{spec.name}.kernel.json", launch
                ),
                # once the last cell has answered, every output is in the notebook: the kernel
                # is stopped at once instead of waiting for it to exit (0.3-0.4 s a report)
                shutdown_kernel="immediate",
            )
        except papermill.PapermillExecutionError as err:
            failure = f"cell {err.exec_count} raised {err.ename}: {err.evalue}"
        except CellTimeoutError:
            failure = (
                f"{_timed_out_cell(executed)} ran longer than cell_timeout ({spec.cell_timeout} s)"
            )
        else:
            failure = None
    kernel = _kernel_lines(kernel_log)
    if failure:
        return {"ok": False, "message": failure, "kernel": kernel, "launch": launch}
    lang = str(spec.parameters.get("lang", "fr"))
    page = staging / f"{spec.name}.html"
    try:
        page.write_text(html_of(executed, lang, stderr), encoding="utf-8")
    except OSError as err:  # a full disk: said in the report's own words, the notebook kept
        return {
            "ok": False,
            "message": f"cannot write {page}: {err.strerror}",
            "stage": "html",
            "kernel": kernel,
            "stderr": stderr,
        }
    return {
        "ok": True,
        "seconds": time.monotonic() - started,
        "kernel": kernel,
        "stderr": stderr,
        "launch": launch,
    }


# --- the build -----------------------------------------------------------------------------------


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def build_lock(
    reports_dir: Path, log: Callable[[str], None], timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Iterator[None]:
    """Hold the reports folder for this build; a second build waits its turn, `timeout` at most.

    The lock lives on a descriptor no other process shares: opened close-on-exec, and the
    workers are spawned, not forked, so a worker outliving a killed build cannot keep it.
    """
    path = reports_dir / LOCK
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as err:
        raise BuildError(f"cannot open the build lock {path}: {err.strerror}") from None
    try:
        if not _try_lock(descriptor):
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "?"
            log(
                f"waiting for another build of these reports to finish (process {holder} holds "
                f"{path}; at most {timeout:g} s) ..."
            )
            deadline = time.monotonic() + timeout
            while not _try_lock(descriptor):
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build (process {holder}) still holds {path} after "
                        f"{timeout:g} s; nothing was built (wait longer with --lock-timeout)"
                    )
                time.sleep(0.2)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)  # who holds it, for the message
        yield
    finally:
        os.close(descriptor)  # closing the only descriptor releases the lock


# --- publishing: every file of a build as one unit ---------------------------------------------


# Set by the SIGTERM handler of `stop_on_sigterm`: a stop asked for while files are being
# renamed into place waits until the last one is in place.
_PUBLISHING = {"active": False, "stop_asked": False}


def _on_sigterm(signum: int, frame: object) -> None:
    if _PUBLISHING["active"]:
        _PUBLISHING["stop_asked"] = True
        return
    raise Terminated(f"stopped by signal {signal.Signals(signum).name}")


def stop_on_sigterm() -> None:
    """Make SIGTERM (systemd, Airflow, kill) stop the build cleanly: workers, kernels and staging
    are cleaned up, and a publication under way is finished first. For the command line only:
    a library call leaves the caller's signal handlers alone."""
    signal.signal(signal.SIGTERM, _on_sigterm)


@contextlib.contextmanager
def _publishing() -> Iterator[None]:
    _PUBLISHING["active"] = True
    try:
        yield
    finally:
        _PUBLISHING["active"] = False
        if _PUBLISHING["stop_asked"]:
            _PUBLISHING["stop_asked"] = False
            raise Terminated("stopped by signal SIGTERM")


def _safe_relative(text: object) -> bool:
    return isinstance(text, str) and not Path(text).is_absolute() and ".." not in Path(text).parts


def _apply(reports_dir: Path, plan: dict) -> None:
    """Do what the journal `plan` says; what an interrupted earlier attempt did is not redone."""
    staging = reports_dir / plan["staging"]
    for source, target in plan["moves"]:
        if (staging / source).exists():
            os.replace(staging / source, reports_dir / target)
    for removal in plan["removals"]:
        (reports_dir / removal).unlink(missing_ok=True)


def _publish_unit(
    reports_dir: Path, staging: Path, moves: list[tuple[str, str]], removals: list[str]
) -> None:
    """Move the staged files into reports/ as one unit.

    The journal is written first (atomically): from then on the publication is decided. If this
    process is killed between two renames, a reader may see a mix of two editions until the next
    build, which finishes the renames before anything else (without running a kernel). A SIGTERM
    waits until the last rename is done.
    """
    journal = reports_dir / JOURNAL
    plan = {"staging": staging.name, "moves": moves, "removals": removals}
    write_atomically(journal, json.dumps(plan, indent=1).encode())
    with _publishing():
        _apply(reports_dir, plan)
        journal.unlink()


def _recover(reports_dir: Path, log: Callable[[str], None]) -> None:
    """Under the lock: finish a publication a killed build left half done, then drop what killed
    builds leave behind (staging folders, temporary files)."""
    journal = reports_dir / JOURNAL
    if journal.exists():
        try:
            plan = json.loads(journal.read_bytes())
            valid = (
                isinstance(plan, dict)
                and _safe_relative(plan.get("staging"))
                and all(_safe_relative(p) for move in plan["moves"] for p in move)
                and all(_safe_relative(p) for p in plan["removals"])
            )
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            raise BuildError(f"{journal} is not a publication journal; move it away to go on")
        try:
            _apply(reports_dir, plan)
        except OSError as err:
            raise BuildError(
                f"cannot finish the publication that {journal} records: {err}"
            ) from None
        journal.unlink()
        log(f"finished the publication an interrupted build had started ({journal.name})")
    for stale in reports_dir.glob(".staging-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    leftovers = [reports_dir / ".", reports_dir / "state"]
    for folder in leftovers:
        for pattern in (".*.tmp", f".{MANIFEST}.*", ".index.html.*"):
            for temporary in folder.glob(pattern):  # writes a kill or a full disk cut short
                if temporary.is_file():
                    temporary.unlink(missing_ok=True)


def _folder(path: Path) -> Path:
    """`path` as a folder, made if missing; a file in its place is an error that names it."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _freshness(
    specs: list[RunSpec],
    data_dir: Path,
    log: Callable[[str], None],
    known: object = None,
    data_key: str = "",
    frames: dict | None = None,
) -> dict:
    """How current the data is; logged as a warning when it is stale. `known`: the manifest's
    record of it, whose dates are taken again (only their age is worked out anew) when it was
    read from the data files whose hashes make `data_key`: a build with nothing to do then
    reads no data file (and imports no pandas). `frames`: the tables the checks read."""
    threshold = min(spec.stale_after_days for spec in specs)
    fresh = None
    if data_key and isinstance(known, dict) and known.get("data_key") == data_key:
        with contextlib.suppress(TypeError, ValueError):  # not a record this build wrote
            fresh = aged(known.get("newest_fact"), known.get("record_checked"), threshold)
    if fresh is None:
        fresh = freshness(data_dir, threshold, frames=frames)
    if data_key:
        fresh["data_key"] = data_key
    if warning := stale_warning(fresh):
        log(warning)
    return fresh


def _manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=1, sort_keys=True).encode()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_index(reports_dir: Path, manifest: dict) -> None:
    from helpers.index import write_index

    write_index(reports_dir, manifest)


def _data_key(inputs: dict[str, str]) -> str:
    """One hash of the hashes of the data files among `inputs` (the same for every edition)."""
    data = {name: digest for name, digest in inputs.items() if name.startswith("data/")}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _nothing_to_do(
    specs: list[RunSpec],
    manifest: dict,
    reports_dir: Path,
    data_dir: Path,
    log: Callable,
    data_key: str = "",
) -> None:
    """Under the lock, when nothing is to publish: keep the index and the data's age current."""
    # the data is the one last validated; its dates are read again only when it changed
    fresh = _freshness(specs, data_dir, log, manifest.get("data"), data_key)
    missing = not (reports_dir / "index.html").exists()
    if manifest.get("data") != fresh:  # the data ages even when nothing is rebuilt
        manifest["data"] = fresh
        write_atomically(reports_dir / MANIFEST, _manifest_bytes(manifest))
        _write_index(reports_dir, manifest)
    elif missing:
        _write_index(reports_dir, manifest)
    if missing:
        log(f"wrote {reports_dir / 'index.html'} again: it was missing")


def _open_reports(reports_dir: Path) -> None:
    try:
        _folder(reports_dir)
    except OSError as err:
        raise BuildError(f"cannot publish into {reports_dir}: {err}; nothing was built") from None


def build(
    names: list[str] | None = None,
    *,
    config: Path = CONFIG_FILE,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    jobs: int | None = None,
    log: Callable[[str], None] = print,
    data_dir: Path = DATA_DIR,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[RunResult]:
    """Build the configured reports named in `names` (all when empty); return what happened.

    The same steps as `run` then `publish`, under one lock: the runs go into one staging folder
    (parallel workers, one Chromium), then are published as one unit.
    `data_dir` is the fact base the checks read and the kernels load ($AI_WAR_DATA_DIR).
    `lock_timeout` is how long to wait, in seconds, for another build of `reports_dir`.
    """
    specs = select(load_config(config), names or [])
    _open_reports(reports_dir)
    with build_lock(reports_dir, log, lock_timeout):
        _recover(reports_dir, log)
        manifest = _load_manifest(reports_dir, log)
        cache = HashCache(reports_dir / "state" / HASHES)
        inputs = {spec.name: input_hashes(spec, data_dir, cache) for spec in specs}
        current = {name: fingerprint(hashes) for name, hashes in inputs.items()}
        todo = [
            s
            for s in specs
            if force or not up_to_date(s, current[s.name], manifest, reports_dir, cache.sha256)
        ]
        if not todo:
            cache.save()  # only here: a build refused or failing leaves reports/ as it was
            data_key = _data_key(next(iter(inputs.values()), {}))
            _nothing_to_do(specs, manifest, reports_dir, data_dir, log, data_key)
            log(f"nothing to do: {len(specs)} report(s) up to date")
            return [RunResult(s.name, "up to date") for s in specs]
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        crew = _Crew(todo, workers, data_dir)  # starts while the data is checked
        try:
            frames, proven = _check_before_kernels(todo, data_dir, crew.declared)
            fresh = _freshness(specs, data_dir, log, frames=frames)
            started_at, started = _now(), time.monotonic()
            log(f"building {', '.join(s.name for s in todo)} ({workers} at a time)")
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=reports_dir))
        except BaseException:
            crew.stop(kill=True)
            raise
        digesting = _DigestMeanwhile(data_dir, frames)
        del frames  # the digest's now: at 1000x the facts, hundreds of MB
        try:
            outcomes = _run_and_print(
                todo, staging, crew, log, proven, cache.known(), meanwhile=digesting.start
            )
            digest = digesting.result()
            manifest["data"] = fresh
            results = {s.name: RunResult(s.name, "up to date") for s in specs if s not in todo}
            attempts = [(s.name, started_at, current[s.name]) for s in todo]
            try:
                taken = [
                    (
                        spec,
                        "",
                        finish_run(
                            spec,
                            staging,
                            outcomes[spec.name],
                            inputs[spec.name],
                            started_at,
                            started,
                            digest,
                        ),
                    )
                    for spec in todo
                ]
            except OSError as err:
                results |= _record_unpublished(reports_dir, attempts, manifest, err, log)
            else:
                results |= _publish_runs(reports_dir, staging, taken, manifest, log)
        finally:
            digesting.close()
            if not (reports_dir / JOURNAL).exists():  # else the next build needs its files
                shutil.rmtree(staging, ignore_errors=True)
        return [results[spec.name] for spec in specs]


# --- the steps a scheduler runs apart: `run` each edition, then `publish` them together ---------


def _facts_json(data_dir: Path, frames: dict | None = None) -> bytes:
    """The digest of the facts (`helpers.changes.facts_digest`) as its run's file holds it:
    written once for every edition of a build."""
    return json_in_slices(facts_digest(data_dir, frames)).encode()


JSON_SLICE = 2000  # entries of a table's digest serialised per call of json's encoder


def json_in_slices(document: dict[str, object], size: int = JSON_SLICE) -> str:
    """`json.dumps(document, sort_keys=True)`, the same text, made `size` entries at a time.

    The digest is made in a thread while the build hands the notebooks to its workers, and
    json's encoder holds the interpreter's lock for the whole of a call: at 1000x the facts,
    one call on the digest held it 0.2 s, and the kernels started that much later. Between
    slices, the other threads run."""
    parts = []
    for key in sorted(document):
        value = document[key]
        if isinstance(value, dict) and len(value) > size:
            keys = sorted(value)
            slices = (
                json.dumps({k: value[k] for k in keys[start : start + size]}, sort_keys=True)
                for start in range(0, len(keys), size)
            )
            text = "{" + ", ".join(piece[1:-1] for piece in slices) + "}"
        else:
            text = json.dumps(value, sort_keys=True)
        parts.append(f"{json.dumps(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


class _DigestMeanwhile:
    """The digest of the facts (`_facts_json`, for 'what changed'), made in a thread of its own
    while the kernels run, from the tables the checks read (`frames`; dropped once made).

    Started (`start`) once the notebooks are handed to the workers, not before: the thread
    holds the interpreter's lock most of the time, and a thread that waits on a pipe or a file
    meanwhile (handing the notebooks over, stat-ing the inputs) waits up to the switch interval
    (5 ms) to take it back after each call. At 1000x the facts, a digest started first made
    the kernels start 0.25 s later. `close` stops the thread.
    """

    def __init__(self, data_dir: Path, frames: dict | None) -> None:
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._arguments: tuple | None = (data_dir, frames)
        self._job: concurrent.futures.Future | None = None

    def start(self) -> None:
        if self._arguments is not None:
            self._job = self._thread.submit(_facts_json, *self._arguments)
            self._arguments = None  # the job holds the tables until it is done, no longer

    def result(self) -> bytes:
        self.start()
        assert self._job is not None
        return self._job.result()

    def close(self) -> None:
        self._thread.shutdown(cancel_futures=True)


def finish_run(
    spec: RunSpec,
    folder: Path,
    outcome: dict,
    inputs: dict[str, str],
    started_at: str,
    started: float,
    digest: bytes,
) -> dict:
    """Write the record of the run of `spec` into `folder` beside its files, and return it.

    The record is the run's last file: a folder without it holds no complete run. `digest`: the
    facts' digest as its file holds it (`_facts_json`), written when the run went well.
    """
    record = {
        "name": spec.name,
        "notebook": spec.notebook.name,
        "parameters": spec.parameters,
        "formats": list(spec.formats),
        "fingerprint": fingerprint(inputs),
        "inputs": inputs,
        "versions": versions(),
        "started": started_at,
        "ended": _now(),
        "seconds": round(time.monotonic() - started, 2),
        "outcome": {k: outcome[k] for k in ("ok", "message", "stage") if k in outcome},
        "facts": "",
        "card": {},
    }
    if outcome["ok"]:
        facts = folder / f"{spec.name}.facts.json"
        facts.write_bytes(digest)
        record["facts"] = _sha256(facts)
        if "html" in spec.formats:
            record["card"] = _card(folder / f"{spec.name}.html")
    for leftover in (".kernel-stderr", ".kernel.json"):  # the kernel's files: not the run's
        (folder / f"{spec.name}{leftover}").unlink(missing_ok=True)
    write_atomically(
        folder / f"{spec.name}{RECORD}", json.dumps(record, indent=1, sort_keys=True).encode()
    )
    return record


def read_run(folder: Path, name: str) -> dict | None:
    """The record of the complete run of `name` in `folder`, or None when there is none."""
    try:
        record = json.loads((folder / f"{name}{RECORD}").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("name") != name:
        return None
    if not isinstance(record.get("outcome"), dict) or not isinstance(record.get("inputs"), dict):
        return None
    return record


def _card(page: Path) -> dict:
    """The index's card of the edition in `page`: its words, and the picture of its lead chart
    that the printer left beside the page (a file published with the reports; {} when none)."""
    from helpers.index import THUMBNAIL, read_card

    card = read_card(page)
    picture = page.with_name(f"{page.stem}{THUMBNAIL}")
    card["thumbnail"] = {}
    if picture.is_file():
        width, height = _png_size(picture)
        card["thumbnail"] = {
            "file": picture.name,
            "sha256": _sha256(picture),
            "bytes": picture.stat().st_size,
            "width": width,
            "height": height,
        }
    return card


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels of the PNG at `path`, from its header."""
    with path.open("rb") as stream:
        head = stream.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise BuildError(f"{path} is not a PNG image")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _published_files(entry: dict) -> list[dict]:
    """The files of a manifest entry that readers are given: its outputs and its card's picture,
    each {"file", "sha256", ...}."""
    files = list(entry.get("outputs", {}).values())
    picture = (entry.get("card") or {}).get("thumbnail")
    if isinstance(picture, dict) and isinstance(picture.get("file"), str):
        files.append(picture)
    return files


def why_rebuild(
    spec: RunSpec, inputs: dict[str, str], manifest: dict, reports_dir: Path
) -> list[str]:
    """Why the published report of `spec` is not up to date with `inputs` ([] when it is)."""
    entry = manifest["reports"].get(spec.name)
    if not entry or entry.get("status") != "ok":
        return ["no previous good build"]
    reasons = changed_inputs(entry.get("inputs") or {}, inputs)
    if not reasons and entry.get("fingerprint") != fingerprint(inputs):
        reasons = ["its recorded inputs do not match its fingerprint"]
    outputs = entry.get("outputs", {})
    if set(outputs) != set(spec.formats):
        reasons.append(f"formats changed: {', '.join(spec.formats)}")
    for output in _published_files(entry):
        path = reports_dir / output["file"]
        if not path.is_file():
            reasons.append(f"published file missing: {output['file']}")
        elif _sha256(path) != output.get("sha256"):
            reasons.append(f"published file changed: {output['file']}")
    return reasons


def changed_inputs(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """Which inputs differ between two sets of input hashes, in words, by kind."""
    kinds = {
        "notebook": "notebook changed",
        "requirements.lock": "lock changed (requirements.lock)",
        "settings": "parameters changed (parameters, formats or cell_timeout)",
    }
    reasons = []
    for key in sorted(set(before) | set(now)):
        if before.get(key) == now.get(key):
            continue
        change = "added" if key not in before else "removed" if key not in now else "changed"
        if key in kinds:
            reasons.append(kinds[key])
        elif key.startswith("data/"):
            reasons.append(f"data file {change}: {key}")
        elif key.startswith("helpers/"):
            reasons.append(f"helpers {change}: {key}")
        else:
            reasons.append(f"input {change}: {key}")
    return reasons


def plan(
    names: list[str] | None = None,
    *,
    config: Path = CONFIG_FILE,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    data_dir: Path = DATA_DIR,
) -> list[tuple[RunSpec, list[str]]]:
    """The configured reports a build would run, each with why; runs nothing, writes nothing."""
    specs = select(load_config(config), names or [])
    try:
        manifest = read_manifest(reports_dir)
    except ManifestError as err:
        return [(spec, [f"the manifest is unusable ({err})"]) for spec in specs]
    planned = []
    for spec in specs:
        reasons = why_rebuild(spec, input_hashes(spec, data_dir), manifest, reports_dir)
        if force:
            reasons = ["forced (--force)", *reasons]
        if reasons:
            planned.append((spec, reasons))
    return planned


def _run_lock(runs: Path, name: str) -> int:
    """Hold the run folder of `name` for this process; another run of `name` is refused."""
    path = runs / f".{name}.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    if not _try_lock(descriptor):
        holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "?"
        os.close(descriptor)
        raise BuildError(f"another run of {name!r} (process {holder}) holds {path}")
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    return descriptor


def _drop_dead_work(runs: Path, log: Callable[[str], None], name: str = "*") -> None:
    """Remove the unfinished folders of runs of `name` whose process is gone (killed with
    SIGKILL: a run stopped by SIGTERM removes its own), and the runs a newer one replaced."""
    import psutil

    for stale in runs.glob(f".{name}.*-*"):
        if not stale.is_dir():
            continue
        kind, _, rest = stale.name.rpartition(".")[2].partition("-")
        owner = rest.split("-")[0]
        if kind == "old":
            shutil.rmtree(stale, ignore_errors=True)
        elif owner.isdigit() and not psutil.pid_exists(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
            log(f"removed {stale.name} in {runs}: the unfinished run of a killed process")


def run(
    name: str,
    *,
    config: Path = CONFIG_FILE,
    reports_dir: Path = REPORTS_DIR,
    log: Callable[[str], None] = print,
    data_dir: Path = DATA_DIR,
) -> RunResult:
    """Run the configured report `name` into reports/.runs/<name>/, complete or not at all.

    Data and parameters are checked before any kernel starts. The notebook runs in a spawned
    worker (killed with this process), Chromium prints its PDF, and the folder gets its record
    last, then takes its place by a rename: a killed run leaves nothing that looks complete.
    A failed notebook is a complete run too (its record says so); `publish` records it.
    """
    [spec] = select(load_config(config), [name])
    _open_reports(reports_dir)
    try:
        runs = _folder(reports_dir / RUNS)
    except OSError as err:
        raise BuildError(f"cannot stage a run in {reports_dir}: {err}; nothing was run") from None
    crew = _Crew([spec], 1, data_dir)  # starts while the data is checked
    try:
        frames, proven = _check_before_kernels([spec], data_dir, crew.declared)
        descriptor = _run_lock(runs, name)
    except BaseException:
        crew.stop(kill=True)
        raise
    try:
        try:
            _drop_dead_work(runs, log, name)
            hashed = HashCache()  # nothing kept: what this run hashed, for its kernel
            inputs = input_hashes(spec, data_dir, hashed)
            started_at, started = _now(), time.monotonic()
            log(f"running {name}")
            work = Path(tempfile.mkdtemp(prefix=f".{name}.work-{os.getpid()}-", dir=runs))
        except BaseException:
            crew.stop(kill=True)
            raise
        digesting = _DigestMeanwhile(data_dir, frames)
        del frames  # the digest's now: at 1000x the facts, hundreds of MB
        try:
            known = hashed.known()
            outcome = _run_and_print(
                [spec], work, crew, log, proven, known, meanwhile=digesting.start
            )[name]
            digest = digesting.result() if outcome["ok"] else b""
            record = finish_run(spec, work, outcome, inputs, started_at, started, digest)
            target = runs / name
            if target.exists():  # a run not yet published: the newer one replaces it
                os.rename(target, runs / f".{name}.old-{secrets.token_hex(4)}")
            os.rename(work, target)
        finally:
            digesting.close()
            shutil.rmtree(work, ignore_errors=True)
            _drop_dead_work(runs, log, name)
    finally:
        os.close(descriptor)
    if not record["outcome"]["ok"]:
        message = f"{name} failed: {record['outcome']['message']}; staged in {target} for publish"
        return RunResult(name, "failed", message, seconds=record["seconds"])
    outputs = {fmt: target / f"{name}.{fmt}" for fmt in spec.formats}
    return RunResult(name, "built", outputs=outputs, seconds=record["seconds"])


def publish(
    names: list[str] | None = None,
    *,
    config: Path = CONFIG_FILE,
    reports_dir: Path = REPORTS_DIR,
    log: Callable[[str], None] = print,
    data_dir: Path = DATA_DIR,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[RunResult]:
    """Publish the complete runs of `ai-war run` as one unit (all staged runs when `names` is
    empty; a named report without a complete run fails). A run whose inputs changed since it ran
    is refused, naming what changed, and left where it is."""
    specs = select(load_config(config), names or [])
    _open_reports(reports_dir)
    runs = reports_dir / RUNS
    with build_lock(reports_dir, log, lock_timeout):
        _recover(reports_dir, log)
        manifest = _load_manifest(reports_dir, log)
        results: dict[str, RunResult] = {}
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=reports_dir))
        try:
            taken = []
            for spec in specs:
                if read_run(runs / spec.name, spec.name) is None:
                    if names:
                        problem = (
                            f"no complete run in {runs / spec.name} (`ai-war run {spec.name}`)"
                        )
                        results[spec.name] = RunResult(
                            spec.name, "failed", f"{spec.name}: {problem}"
                        )
                    continue
                # taken out of .runs first, so that a new run of it cannot change it under us
                os.rename(runs / spec.name, staging / spec.name)
                record = read_run(staging / spec.name, spec.name)
                if record is None:  # cannot be: the folder was complete; said all the same
                    raise BuildError(f"the run of {spec.name} in {runs} vanished while taken")
                changed = changed_inputs(record["inputs"], input_hashes(spec, data_dir))
                if changed or record["fingerprint"] != fingerprint(record["inputs"]):
                    with contextlib.suppress(OSError):  # back, unless a newer run took its place
                        os.rename(staging / spec.name, runs / spec.name)
                    results[spec.name] = RunResult(
                        spec.name,
                        "refused",
                        f"{spec.name}: not published, its inputs changed since it ran "
                        f"({'; '.join(changed) or 'its record is inconsistent'}); run it again "
                        f"with `ai-war run {spec.name}`",
                    )
                    continue
                taken.append((spec, spec.name, record))
            if not taken:
                _nothing_to_do(specs, manifest, reports_dir, data_dir, log)
                if not results:
                    log("nothing to publish: no complete run is staged")
                return [results[s.name] for s in specs if s.name in results]
            manifest["data"] = _freshness(specs, data_dir, log)
            log(f"publishing {', '.join(spec.name for spec, _, _ in taken)}")
            results |= _publish_runs(reports_dir, staging, taken, manifest, log)
        finally:
            if not (reports_dir / JOURNAL).exists():  # else the next build needs its files
                shutil.rmtree(staging, ignore_errors=True)
            if runs.is_dir():
                _drop_dead_work(runs, log)
        return [results[s.name] for s in specs if s.name in results]


def _publish_runs(
    reports_dir: Path,
    staging: Path,
    taken: list[tuple[RunSpec, str, dict]],
    manifest: dict,
    log: Callable[[str], None],
) -> dict[str, RunResult]:
    """Record the complete runs `taken` (spec, its folder within staging, its record) in the
    manifest, then publish their files, the manifest and the index as one unit."""
    publication = _Run(reports_dir, staging)
    before = copy.deepcopy(manifest)
    results = {}
    try:
        for spec, folder, record in taken:
            results[spec.name] = publication.conclude(spec, folder, record, manifest)
        manifest["history"] = manifest["history"][-HISTORY_LENGTH:]
        publication.publish(manifest)
    except OSError as err:
        attempts = [
            (spec.name, record["started"], record["fingerprint"]) for spec, _, record in taken
        ]
        results |= _record_unpublished(reports_dir, attempts, before, err, log)
    return results


@dataclass
class _Run:
    """One publication: the staged runs it will move into reports/ as one unit."""

    reports_dir: Path
    staging: Path
    moves: list[tuple[str, str]] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)

    def conclude(self, spec: RunSpec, folder: str, record: dict, manifest: dict) -> RunResult:
        """Record the run of `spec` (staged in `folder` of staging) in `manifest`, plan its files,
        and say what happened."""
        entry = {
            key: record[key]
            for key in (
                "parameters",
                "formats",
                "fingerprint",
                "inputs",
                "versions",
                "started",
                "ended",
                "seconds",
            )
        }
        entry["notebook"] = record["notebook"]
        if record["outcome"]["ok"]:
            result = self._conclude_good(spec, folder, entry, record, manifest)
        else:
            result = self._conclude_failed(spec, folder, entry, record["outcome"], manifest)
        history = {
            "name": spec.name,
            "status": result.status,
            "started": entry["started"],
            "ended": entry["ended"],
            "fingerprint": entry["fingerprint"],
        }
        if result.status == "failed":
            history["error"] = record["outcome"]["message"]
        manifest["history"].append(history)
        return result

    def _staged(self, folder: str, name: str) -> str:
        return str(Path(folder) / name) if folder else name

    def _conclude_good(self, spec: RunSpec, folder: str, entry: dict, record: dict, manifest):
        from helpers.index import THUMBNAIL

        outputs = {}
        for fmt in spec.formats:
            staged = self.staging / self._staged(folder, f"{spec.name}.{fmt}")
            outputs[fmt] = {
                "file": staged.name,
                "sha256": _sha256(staged),
                "bytes": staged.stat().st_size,
            }
            self.moves.append((self._staged(folder, staged.name), staged.name))
        notebook = self._staged(folder, f"{spec.name}.ipynb")
        self.moves.append((notebook, f"{EXECUTED}/{spec.name}.ipynb"))
        self.removals.append(f"{EXECUTED}/{spec.name}.failed.ipynb")
        facts = self.staging / self._staged(folder, f"{spec.name}.facts.json")
        if _sha256(facts) != record["facts"]:
            raise BuildError(f"{facts} is not the digest its run recorded; run it again")
        previous = self.reports_dir / "state" / facts.name
        try:
            if not previous.is_file() or _sha256(previous) == record["facts"]:
                changed = {}  # a first build, or the same facts: nothing to compare or parse
            else:
                changed = compare(read_digest(previous), read_digest(facts))
        except (ValueError, TypeError, KeyError, AttributeError):  # a damaged digest: rebuilt
            changed = {}
        self.moves.append((self._staged(folder, facts.name), f"state/{facts.name}"))
        card = record["card"]
        picture = card.get("thumbnail")
        if isinstance(picture, dict) and picture:  # published with the reports, checked alike
            staged = self.staging / self._staged(folder, picture["file"])
            if _sha256(staged) != picture["sha256"]:
                raise BuildError(f"{staged} is not the picture its run recorded; run it again")
            self.moves.append((self._staged(folder, picture["file"]), picture["file"]))
        else:  # an older picture would show a chart this edition no longer leads with
            self.removals.append(f"{spec.name}{THUMBNAIL}")
        manifest["reports"][spec.name] = {
            **entry,
            "status": "ok",
            "outputs": outputs,
            "changes": bounded(changed),
            "card": card,
        }
        return RunResult(
            spec.name,
            "built",
            outputs={f: self.reports_dir / o["file"] for f, o in outputs.items()},
            seconds=entry["seconds"],
        )

    def _conclude_failed(self, spec: RunSpec, folder: str, entry: dict, outcome: dict, manifest):
        failed_copy = self.reports_dir / EXECUTED / f"{spec.name}.failed.ipynb"
        notebook = self._staged(folder, f"{spec.name}.ipynb")
        if outcome.get("stage") in ("html", "pdf"):  # the notebook ran well: not a failed one
            kept = "its notebook ran; the last good report stays published"
        elif (self.staging / notebook).exists():
            self.moves.append((notebook, f"{EXECUTED}/{failed_copy.name}"))
            kept = (
                f"the executed notebook is kept as {failed_copy} and the last good report "
                "stays published"
            )
        else:
            kept = "the last good report stays published"
        manifest["reports"][spec.name] = manifest["reports"].get(spec.name) or {
            **entry,
            "status": "failed",
            "outputs": {},
        }
        return RunResult(spec.name, "failed", f"{spec.name} failed: {outcome['message']}; {kept}")

    def publish(self, manifest: dict) -> None:
        """Stage the manifest and the index beside the reports, then publish it all as a unit."""
        from helpers.index import index_html

        _folder(self.reports_dir / EXECUTED)
        _folder(self.reports_dir / "state")
        (self.staging / MANIFEST).write_bytes(_manifest_bytes(manifest))
        (self.staging / "index.html").write_bytes(index_html(manifest).encode("utf-8"))
        # the reports first, the manifest that describes them and the index last
        moves = [*self.moves, (MANIFEST, MANIFEST), ("index.html", "index.html")]
        _publish_unit(self.reports_dir, self.staging, moves, self.removals)


def _record_unpublished(
    reports_dir: Path,
    attempts: list[tuple[str, str, str]],
    before: dict,
    err: OSError,
    log: Callable[[str], None],
) -> dict[str, RunResult]:
    """Runs whose files could not be published (a full disk, a folder where a file cannot be
    written), each (name, start, fingerprint): recorded as failed, when the manifest can still
    be written."""
    problem = f"cannot publish into {reports_dir}: {err}"
    if (reports_dir / JOURNAL).exists():
        raise BuildError(
            f"{problem}; the publication was decided and the next build finishes it"
        ) from None
    ended = _now()
    before["history"] += [
        {
            "name": name,
            "status": "failed",
            "started": started,
            "ended": ended,
            "fingerprint": print_,
            "error": problem,
        }
        for name, started, print_ in attempts
    ]
    before["history"] = before["history"][-HISTORY_LENGTH:]
    try:
        write_atomically(
            reports_dir / MANIFEST, json.dumps(before, indent=1, sort_keys=True).encode()
        )
        _write_index(reports_dir, before)
    except OSError as again:
        raise BuildError(f"{problem}; recording the failure failed too: {again}") from None
    log(f"error: {problem}; the last good reports stay published")
    message = "failed: {problem}; the last good report stays published"
    return {
        name: RunResult(name, "failed", f"{name} {message.format(problem=problem)}")
        for name, _, _ in attempts
    }


def _check_before_kernels(
    todo: list[RunSpec],
    data_dir: Path,
    declared: dict[Path, concurrent.futures.Future] | None = None,
) -> tuple[dict | None, dict[str, list[int]]]:
    """Raise BuildError on any problem of the data or of a run's parameters. Returns the tables
    the checks read, when their fast proof accepted them (`helpers.validate.validated`), for the
    build's other readers of the data, None when they were checked row by row; and the table
    files that proof covers, for the kernels (`_table_stats`). `declared`: each
    notebook's parameters being read elsewhere (`_Crew`); any that failed is read here again,
    which raises what went wrong."""
    from helpers.validate import validated

    stats = _table_stats(data_dir)  # before the tables are read: see helpers.paths.PROVEN_FILES
    problems, frames = validated(data_dir)
    if problems:
        listing = "\n".join(f"  data/{problem}" for problem in problems)
        raise BuildError(f"{len(problems)} problem(s) in data/, nothing was built:\n{listing}")
    for spec in todo:
        parameters = None
        with contextlib.suppress(Exception):
            parameters = (declared or {})[spec.notebook].result(timeout=CHECK_TIMEOUT)
        try:
            check_run(spec, data_dir, parameters)
        except ParameterError as err:
            raise BuildError(f"report {spec.name!r}: {err}; nothing was built") from None
    return frames, (stats if frames is not None else {})


def _table_stats(data_dir: Path) -> dict[str, list[int]]:
    """Each table file of the fact base by absolute path, with what stat(2) says of it, for
    the kernels (helpers.paths.PROVEN_FILES). A file changed less than RACY_NS ago is left out:
    a second change within the same clock tick could keep the same values."""
    from helpers.csvscan import file_key
    from helpers.schema import tables

    now = time.time_ns()
    stats = {}
    with contextlib.suppress(OSError, ValueError, KeyError):  # the validation names it
        for table in tables(data_dir).values():
            path = (data_dir / table.path).resolve()
            stat = path.stat()
            if now - max(stat.st_mtime_ns, stat.st_ctime_ns) >= RACY_NS:
                stats[str(path)] = file_key(stat)
    return stats


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _start_worker(data_dir: str, parent: int, zygote: str | None = None) -> None:
    """Worker initializer: die with the build, let the kernels load the fact base in `data_dir`
    ($AI_WAR_DATA_DIR), fork them from the build's `zygote` (its address), and import what a
    run needs while the build still checks the data.

    A worker outliving a killed build would run its notebook for nothing, and its kernel with
    it: Linux kills the worker when the process that spawned it dies (PR_SET_PDEATHSIG). A kernel
    forked by the zygote is killed by it when its worker's connection closes, and dies with it;
    a kernel started the usual way watches its parent (ipykernel's parent poller) and exits.
    """
    os.environ["AI_WAR_DATA_DIR"] = data_dir
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    import threading

    import papermill  # noqa: F401  (the checks ask it the notebooks' parameters; then the run)

    from helpers import kernels

    kernels.zygote_address = zygote

    # the report's HTML is made once the notebook ran: its exporter loads meanwhile
    threading.Thread(target=importlib.import_module, args=("nbconvert.exporters.html",)).start()


def _ready() -> None:
    """A task that only makes the pool spawn a worker (which then imports, see _start_worker)."""


def _kill_worker_trees() -> None:
    """Kill this process's workers and everything they started (kernels), at once.

    A build that is stopping must not wait for notebooks that nobody will publish.
    """
    import psutil

    workers = multiprocessing.active_children()
    descendants = []
    for worker in workers:
        with contextlib.suppress(psutil.Error):
            descendants += psutil.Process(worker.pid).children(recursive=True)
    for process in descendants:
        with contextlib.suppress(psutil.Error):
            process.kill()
    for worker in workers:
        worker.kill()
    # the workers are reaped by multiprocessing itself: reaped by anyone else (psutil), they would
    # look alive to the pool for ever, and its shutdown would never return
    for worker in workers:
        worker.join(timeout=10)
    psutil.wait_procs(descendants, timeout=10)


READY_PAGES = 4  # at most: each page open in Chromium is a renderer process, its memory
ZYGOTE_SWITCH = "AI_WAR_ZYGOTE"  # "off": every kernel is started as a new interpreter
ZYGOTE_LINES = 20  # of a zygote's stderr, in the build log when it ended by itself


def kernel_interpreter() -> list[str] | None:
    """The interpreter and flags of the report's kernel, from its kernel.json found where
    jupyter_client looks; None when that kernel is not a `python -m ipykernel_launcher`."""
    from jupyter_core.paths import jupyter_path

    from helpers.zygote import interpreter_prefix

    for folder in jupyter_path("kernels"):  # in jupyter_client's order: the first one found
        spec = Path(folder) / KERNEL_NAME / "kernel.json"
        if spec.is_file():
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                return interpreter_prefix(json.loads(spec.read_text(encoding="utf-8"))["argv"])
            return None
    return None


def start_zygote(
    address: str, data_dir: Path, stderr: IO[bytes] | int = subprocess.DEVNULL
) -> subprocess.Popen | None:
    """Start a kernel zygote (helpers.zygote) at `address` with the interpreter and flags of the
    report's kernel, in the environment the build's kernels will have, its stderr to `stderr`;
    None on another system than Linux, when $AI_WAR_ZYGOTE is "off", or when the kernel is not
    a Python `-m ipykernel_launcher` command: the workers then start each kernel the usual
    way."""
    if not sys.platform.startswith("linux") or os.environ.get(ZYGOTE_SWITCH) == "off":
        return None
    prefix = kernel_interpreter()
    if not prefix:
        return None
    from helpers.zygote import listening

    with listening(address) as listener:  # the zygote's copy stays open; this one is closed
        return subprocess.Popen(
            [*prefix, "-m", "helpers.zygote", str(listener.fileno()), str(os.getpid())],
            env={**os.environ, "AI_WAR_DATA_DIR": str(data_dir)},  # as the workers set it
            cwd=NOTEBOOKS_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            pass_fds=[listener.fileno()],
        )


class _Crew:
    """The processes a build runs its reports with: `workers` spawned workers, the kernel
    zygote, and one Chromium when a report has a PDF.

    The workers and the zygote start before the checks of the data and parameters, so that
    their start-up (fresh interpreters importing papermill and nbconvert, or what the kernels
    need) overlaps the checks; Chromium, not needed before the first report's HTML, starts once
    the checks passed (`start_printer`), leaving the checks the processor they wait for. No
    kernel starts until a notebook is submitted, which only happens once the checks passed. The
    workers are spawned (a fresh interpreter each): a fork would copy the build lock's
    descriptor and the Chromium thread's locks into them.
    """

    def __init__(self, todo: list[RunSpec], workers: int, data_dir: Path) -> None:
        self.printer, self.browser_tmp, self.zygote = None, None, None
        self.printed = sum("pdf" in spec.formats for spec in todo)
        zygote_address = None
        # what the zygote says on stderr: read only if it ends before the build stops it
        self.zygote_stderr = tempfile.TemporaryFile()
        if todo:
            zygote_address = f"ai-war-zygote-{secrets.token_hex(8)}"
            self.zygote = start_zygote(zygote_address, data_dir, self.zygote_stderr)
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(str(data_dir), os.getpid(), zygote_address if self.zygote else None),
        )
        self.stopped = False
        for _ in range(workers):  # spawned now (each submission finds no idle worker yet)
            self.pool.submit(_ready)
        # the notebooks' parameters, as papermill reads them, from a worker (which loads
        # papermill for its run anyway) while this process checks the data
        self.declared = {
            notebook: self.pool.submit(declared_parameters, notebook)
            for notebook in dict.fromkeys(spec.notebook for spec in todo)
        }

    def __enter__(self) -> _Crew:
        return self

    def zygote_ended(self) -> list[str]:
        """When the zygote has ended by itself (its kernels were then started the usual way,
        slower): its exit code, then the last ZYGOTE_LINES lines it wrote on stderr. Nothing
        while it runs, as it does until the build stops it."""
        if self.zygote is None or self.zygote.poll() is None:
            return []
        self.zygote_stderr.seek(0)
        lines = self.zygote_stderr.read().decode("utf-8", "replace").splitlines()
        return [f"exited with code {self.zygote.returncode}", *lines[-ZYGOTE_LINES:]]

    def start_printer(self) -> None:
        """Start the Chromium that prints the PDFs, with a page open for each (at most
        READY_PAGES); nothing when no report has a PDF."""
        from helpers.printing import PdfPrinter

        if self.printed and self.printer is None and not self.stopped:
            self.browser_tmp = _browser_temp_dir()
            self.printer = PdfPrinter(
                temp_dir=self.browser_tmp, ready_pages=min(self.printed, READY_PAGES)
            )

    def __exit__(self, kind: type | None, *rest: object) -> None:
        self.stop(kill=kind is not None)

    def stop(self, kill: bool = False) -> None:
        """Stop the workers (killed with their kernels when `kill`) and the browser; once."""
        if self.stopped:
            return
        self.stopped = True
        try:
            if kill:
                _kill_worker_trees()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            if self.zygote is not None:  # its kernels die with it (PR_SET_PDEATHSIG)
                self.zygote.kill()
                self.zygote.wait()
            self.zygote_stderr.close()
            if self.printer is not None:
                self.printer.close()
            if self.browser_tmp is not None:
                shutil.rmtree(self.browser_tmp, ignore_errors=True)


def _run_and_print(
    todo: list[RunSpec],
    staging: Path,
    crew: _Crew,
    log: Callable[[str], None],
    proven: dict[str, list[int]] | None = None,
    known: dict[str, list] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, dict]:
    """Run the notebooks on the crew's workers; print each report's PDF as soon as its HTML
    exists, in the crew's one Chromium. Stops the crew. `proven`: the table files the checks
    proved plain (`_table_stats`), which the kernels need not prove again; `known`: the data
    files' sha256 the build computed (`HashCache.known`), which they need not compute again.
    `meanwhile`: called once the notebooks are handed over and the browser is starting."""
    progress = sys.stderr.isatty()  # bars at a terminal (runs here, cells in each worker)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="reports", unit="report", position=len(todo), leave=False)
    outcomes: dict[str, dict] = {}
    printing: dict[str, concurrent.futures.Future] = {}
    killed = True
    try:
        futures = {
            crew.pool.submit(run_notebook, spec, staging, progress, proven, known): spec
            for spec in todo
        }
        crew.start_printer()
        if meanwhile is not None:
            meanwhile()
        for future in concurrent.futures.as_completed(futures):
            spec = futures[future]
            try:
                outcomes[spec.name] = future.result()
            except Exception as err:  # a crash of the worker itself
                outcomes[spec.name] = {"ok": False, "message": f"{type(err).__name__}: {err}"}
            _log_outcome(spec.name, outcomes[spec.name], log, crew.zygote is not None)
            if bar is not None:
                bar.update()
            if outcomes[spec.name]["ok"] and crew.printer is not None and "pdf" in spec.formats:
                printing[spec.name] = crew.printer.submit(staging / f"{spec.name}.html")
        for line in crew.zygote_ended():
            log(f"warning: kernel zygote: {line}")
        # the workers have nothing left to do: they exit while the last PDFs print
        crew.pool.shutdown(wait=False)
        _collect_pdfs(printing, outcomes, staging, log)
        killed = False
    finally:
        crew.stop(kill=killed)
        if bar is not None:
            bar.close()
    return outcomes


BROWSER_TMP = "ai-war-chromium-"


def _browser_temp_dir() -> Path:
    """A folder for Chromium's temporary files (its shared memory, as /dev/shm is not used).

    In /tmp (else the system's temporary folder): Chromium's socket paths must stay under 108
    bytes, which a deep staging folder or $TMPDIR would pass. Named after this build's process:
    a build killed before it could remove its folder leaves it to the next build, which removes
    the folders of builds no longer running.
    """
    import psutil

    short = Path("/tmp")
    base = short if short.is_dir() and os.access(short, os.W_OK) else Path(tempfile.gettempdir())
    for stale in base.glob(f"{BROWSER_TMP}*"):
        owner = stale.name.removeprefix(BROWSER_TMP).split("-")[0]
        if owner.isdigit() and not psutil.pid_exists(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{BROWSER_TMP}{os.getpid()}-", dir=base))


def _log_outcome(
    name: str, outcome: dict, log: Callable[[str], None], zygote: bool = False
) -> None:
    """One line for the run; when the build had a `zygote` that did not fork its kernel, why;
    then what its notebook and its kernel wrote on stderr."""
    log(f"{name}: executed" if outcome["ok"] else f"error: {name}: failed")
    launch = outcome.get("launch") or {}
    if zygote and launch.get("forked") is False:
        log(f"{name}: its kernel was started the usual way, not forked: {launch.get('why')}")
    for text in outcome.get("stderr", []):
        for line in text.rstrip().splitlines():
            log(f"warning: {name}: stderr of the notebook (kept out of the report): {line}")
    for line in outcome.get("kernel", []):
        log(f"warning: {name}: kernel stderr: {line}")
    for line in outcome.get("said", []):
        log(f"warning: {name}: {line}")


def _collect_pdfs(
    printing: dict[str, concurrent.futures.Future],
    outcomes: dict[str, dict],
    staging: Path,
    log: Callable[[str], None],
) -> None:
    """Write each printed PDF into staging; a failed print fails its report, and says so."""
    printed = 0
    for name, job in printing.items():
        target = staging / f"{name}.pdf"
        try:
            target.write_bytes(job.result())
        except OSError as err:
            problem = f"cannot write {target}: {err.strerror}"
        except Exception as err:  # Playwright's errors: the browser died, a page crashed
            problem = f"printing its PDF failed: {type(err).__name__}: {err}".splitlines()[0]
        else:
            printed += 1
            continue
        outcomes[name] = {**outcomes[name], "ok": False, "stage": "pdf", "message": problem}
        log(f"error: {name}: {problem}")
    if printing:
        log(f"printed {printed} of {len(printing)} PDF(s) in one Chromium")
