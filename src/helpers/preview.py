"""`ai-war preview`: one edition served on 127.0.0.1, run again on every edit, for analysts.

One Jupyter kernel (the project's `ai-war-report`) stays warm for the whole session, so pandas and
matplotlib are imported once. Each run drops the project's own `helpers` modules from the
kernel, so edited code, templates and catalogues are read again, then executes the notebook with
the edition's parameters (papermill's parameter cell, nbclient in that kernel) and renders the
page through the build's own path (`helpers.build`: checks, nbconvert template). The page that is
served carries a small script that reloads it when a new version is ready; published reports
never do. A bad edit shows its message (file, row, field) instead of the report, with a link to
the last good version.

Changes are found by polling the modification times of the watched files every POLL seconds:
about a hundred files, so a poll costs about a millisecond, and it needs no new dependency and
works on any file system (bind mounts, network folders) where inotify may not.
"""

import asyncio
import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.config import CONFIG_FILE, ConfigError, RunSpec, load_config, select
from helpers.paths import DATA_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, TEMPLATES_DIR

DEFAULT_PORT = 8765
POLL = 0.1  # seconds between two looks at the watched files
SETTLE = 0.1  # seconds the files must stay unchanged before a run: an editor saving in steps
LONG_POLL = 20.0  # seconds /version waits for a new version before it answers the same one
STOP_WAIT = 10.0  # seconds the kernel has to stop before it is killed
KEPT_FIGURES = 60  # charts kept in the figure cache: the current ones, and those of recent edits
HELPER_SUFFIXES = {".py", ".j2", ".toml", ".css", ".mplstyle", ".json", ".html"}

# Run in the kernel before each run: the project's modules go (edited code, templates, catalogues
# and data caches are read again), third-party modules stay imported; the names the notebook
# defined and the open figures go too, as in a fresh kernel. (IPython's own reset would also run
# a full garbage collection, 0.1-0.4 s here: not needed to forget names.)
FORGET_PROJECT = """\
def _forget_project():
    import importlib, sys
    for name in [n for n in sys.modules if n == "helpers" or n.startswith("helpers.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    shell = get_ipython()
    hidden = shell.user_ns_hidden
    for name in [n for n in shell.user_ns if not n.startswith("_") and n not in hidden]:
        del shell.user_ns[name]
_forget_project()
del _forget_project
"""


def prune(folder: Path, keep: int) -> None:
    """Keep the `keep` most recently used files of `folder` (the figure cache), drop the rest."""
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("*.svg"), key=lambda path: path.stat().st_mtime_ns)
        for path in files[:-keep] if keep else files:
            path.unlink(missing_ok=True)


class Stop(BaseException):
    """SIGTERM or Ctrl-C: stop the server and the kernel."""


# --- what is watched -----------------------------------------------------------------------------


def watched_files(spec: RunSpec, config: Path, data_dir: Path) -> list[Path]:
    """The files whose change re-runs the edition: data, notebooks, helpers, the configuration."""
    found = [config, spec.notebook]
    for folder, keep in (
        (data_dir, lambda path: True),
        (spec.notebook.parent, lambda path: path.suffix == ".ipynb"),
        (PACKAGE_DIR, lambda path: path.suffix in HELPER_SUFFIXES),
    ):
        found += [
            path
            for path in folder.rglob("*")
            if keep(path)
            and "__pycache__" not in path.parts
            and ".ipynb_checkpoints" not in path.parts
        ]
    return sorted(set(found))


def snapshot(paths: list[Path]) -> dict[Path, tuple[int, int, int]]:
    """(inode, size, modification time) of each file: any save changes one of them."""
    seen = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:  # removed: its absence is the change
            continue
        seen[path] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return seen


# --- what is served ------------------------------------------------------------------------------


@functools.cache
def _templates():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "preview"),
        autoescape=True,
        undefined=StrictUndefined,
    )


def reload_script(version: int) -> str:
    """The script that reloads a served page once the edition's version is no longer `version`."""
    return _templates().get_template("reload.html.j2").render(version=version)


def with_reload(page: str, version: int) -> str:
    """`page` with the reload script just before its closing body tag (at the end if none)."""
    script = reload_script(version)
    where = page.lower().rfind("</body>")
    return page + script if where < 0 else page[:where] + script + page[where:]


def message_page(
    name: str, message: str, version: int, *, failed: bool, last_good: bool, when: str = ""
) -> str:
    """The page shown instead of the report: still preparing, or the message of a bad edit."""
    from markupsafe import Markup

    return (
        _templates()
        .get_template("message.html.j2")
        .render(
            title="The edition cannot be shown" if failed else "Preparing the edition",
            name=name,
            message=message,
            failed=failed,
            last_good=last_good,
            when=when,
            reload=Markup(reload_script(version)),
        )
    )


@dataclass
class State:
    """What the server shows, shared by the runner and the request handlers."""

    name: str
    version: int = 0
    page: str = ""  # the current good page, '' while failed or preparing
    message: str = "The notebook is running for the first time."
    failed: bool = False
    last_good: str = ""
    when: str = ""
    timings: dict = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, page: str = "", message: str = "", timings: dict | None = None) -> None:
        """A new version: the page of a good run, or the message of a failed one."""
        with self.changed:
            self.version += 1
            self.page, self.message, self.failed = page, message, not page
            if page:
                self.last_good = page
            self.when = time.strftime("%H:%M:%S")
            self.timings = timings or {}
            self.changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version

    def body(self, path: str) -> str:
        with self.changed:
            if path == "/last-good" and self.last_good:
                return with_reload(self.last_good, self.version)
            if self.page:
                return with_reload(self.page, self.version)
            return message_page(
                self.name,
                self.message,
                self.version,
                failed=self.failed,
                last_good=bool(self.last_good),
                when=self.when,
            )

    def status(self) -> dict:
        with self.changed:
            return {
                "name": self.name,
                "version": self.version,
                "ok": bool(self.page),
                "message": self.message if not self.page else "",
                "seconds": self.timings,
            }


def _handler(state: State) -> type:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "ai-war-preview"

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            if url.path in ("/", "/last-good"):
                self._send(200, "text/html; charset=utf-8", state.body(url.path))
            elif url.path == "/version":
                query = urllib.parse.parse_qs(url.query)
                since = query.get("since", [""])[0]
                version = state.version
                if since.lstrip("-").isdigit():
                    version = state.wait_past(int(since), LONG_POLL)
                self._send(200, "application/json", json.dumps({"version": version}))
            elif url.path == "/status":
                self._send(200, "application/json", json.dumps(state.status()))
            else:
                self._send(404, "text/plain; charset=utf-8", "not found\n")

        def _send(self, code: int, kind: str, text: str) -> None:
            data = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per run is logged, not one per request

    return Handler


# --- the runs ------------------------------------------------------------------------------------


def _cell_label(notebook, index: int) -> str:
    """'cell N (`first line`)', N counting the configured notebook's cells (papermill's not)."""
    cell = notebook.cells[index]
    if "injected-parameters" in cell.metadata.get("tags", []):
        return "the injected parameters"
    cells = [c for c in notebook.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    number = next(n for n, c in enumerate(cells, start=1) if c is cell)
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return f"cell {number} (`{first[:80]}`)"


class Runner:
    """The warm kernel and the loop that runs the edition when a watched file changes."""

    def __init__(
        self,
        name: str | None,
        config: Path,
        data_dir: Path,
        state: State,
        log: Callable[[str], None],
    ) -> None:
        self.name, self.config, self.data_dir = name, config, data_dir
        self.state, self.log = state, log
        self.stopping = threading.Event()
        self.folder = Path(tempfile.mkdtemp(prefix="ai-war-preview-"))  # connection, stderr
        self.km = None
        self.kc = None
        self.kernel_pid: int | None = None
        self.exporters: dict[str, object] = {}  # one nbconvert exporter per language, reused
        self._stderr = None
        self._stderr_seen = 0
        self.thread: threading.Thread | None = None

    # the kernel

    async def start_kernel(self) -> None:
        from helpers.build import KERNEL_NAME, _kernel_manager_class

        self._stderr = (self.folder / "kernel-stderr").open("ab")
        manager = _kernel_manager_class(self._stderr, self.folder / "kernel.json")
        self.km = manager(kernel_name=KERNEL_NAME)
        # the kernel keeps the charts it draws by content key: an edit redraws only those it
        # changed (helpers.report.figure_key); the build sets no cache and draws every chart
        env = {**os.environ, "AI_WAR_FIGURE_CACHE": str(self.folder / "figures")}
        await self.km.start_kernel(cwd=str(NOTEBOOKS_DIR), env=env)
        self.kernel_pid = getattr(self.km.provisioner, "pid", None)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=60)

    async def stop_kernel(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            with contextlib.suppress(Exception):
                await self.km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                await self.km.cleanup_resources()
            self.km = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    async def _kernel_alive(self) -> bool:
        return self.km is not None and await self.km.is_alive()

    def _kernel_stderr(self) -> None:
        """Log what the kernel process wrote on stderr since the last run (its own log)."""
        from helpers.build import KERNEL_NOISE

        path = self.folder / "kernel-stderr"
        with contextlib.suppress(OSError):
            text = path.read_bytes()[self._stderr_seen :]
            self._stderr_seen += len(text)
            for line in text.decode("utf-8", "replace").splitlines():
                if line.strip() and not any(noise in line for noise in KERNEL_NOISE):
                    self.log(f"kernel stderr: {line}")

    # one run

    def _spec(self) -> RunSpec:
        return select(load_config(self.config), [self.name] if self.name else [])[0]

    async def run_once(self) -> dict:
        """Check, execute and render the edition once; publish its page or its message."""
        from helpers.build import BuildError, _check_before_kernels

        timings: dict[str, float] = {}
        started = time.perf_counter()

        def check() -> RunSpec:
            spec = self._spec()
            _check_before_kernels([spec], self.data_dir)
            timings["check"] = time.perf_counter() - started
            return spec

        # the checks run here while the kernel forgets the project's modules: no cell runs before
        # both are done
        checking = asyncio.create_task(asyncio.to_thread(check))
        try:
            await self._forget_project(timings)
            spec = await checking
        except (ConfigError, BuildError) as err:
            message = str(err).replace(", nothing was built", "").replace("; nothing was built", "")
            self.state.publish(message=message)
            return {"ok": False, "message": message}
        except _RunFailed as failure:
            self.state.publish(message=str(failure))
            return {"ok": False, "message": str(failure)}
        finally:
            if not checking.done():
                checking.cancel()
        try:
            page = await self._execute_and_render(spec, timings)
        except _RunFailed as failure:
            self.state.publish(message=str(failure))
            return {"ok": False, "message": str(failure)}
        finally:
            self._kernel_stderr()
        timings["total"] = time.perf_counter() - started
        self.state.publish(page=page, timings=timings)
        prune(self.folder / "figures", KEPT_FIGURES)
        return {"ok": True, "seconds": timings}

    async def _execute_and_render(self, spec: RunSpec, timings: dict) -> str:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        from helpers.build import KERNEL_NAME, html_of_notebook

        clock = time.perf_counter()
        notebook = parameterize_notebook(
            load_notebook_node(str(spec.notebook)), spec.parameters, report_mode=False
        )
        client = NotebookClient(
            notebook,
            km=self.km,
            kernel_name=KERNEL_NAME,
            timeout=spec.cell_timeout,
            interrupt_on_timeout=True,
        )
        client.kc = self.kc  # the warm kernel's channels, kept across runs
        cells: list[tuple[int, float]] = []
        running = {"index": 0}
        execute_cell = client.async_execute_cell

        async def timed_cell(cell, index, **kwargs):
            running["index"] = index
            begun = time.perf_counter()
            try:
                return await execute_cell(cell, index, **kwargs)
            finally:
                if cell.cell_type == "code":
                    cells.append((index, time.perf_counter() - begun))

        client.async_execute_cell = timed_cell
        try:
            await client.async_execute()
        except CellExecutionError as err:
            where = _cell_label(notebook, running["index"])
            raise _RunFailed(f"{where} raised {err.ename}: {err.evalue}") from None
        except CellTimeoutError:
            where = _cell_label(notebook, running["index"])
            raise _RunFailed(
                f"{where} ran longer than cell_timeout ({spec.cell_timeout} s)"
            ) from None
        except DeadKernelError:
            where = _cell_label(notebook, running["index"])
            await self.stop_kernel()
            raise _RunFailed(
                f"the kernel died while running {where}; a new one starts on the next edit"
            ) from None
        timings["execute"] = time.perf_counter() - clock
        timings["cells"] = {_cell_label(notebook, i): round(s, 3) for i, s in cells}
        clock = time.perf_counter()
        lang = str(spec.parameters.get("lang", "fr"))
        stderr: list[str] = []
        page = html_of_notebook(notebook, lang, stderr, exporter=self._exporter(lang))
        for text in stderr:
            for line in text.rstrip().splitlines():
                self.log(f"stderr of the notebook (kept out of the report): {line}")
        timings["render"] = time.perf_counter() - clock
        return page

    async def _forget_project(self, timings: dict) -> None:
        """A kernel that is alive (a new one if it died), without the project's modules."""
        clock = time.perf_counter()
        if not await self._kernel_alive():
            if self.km is not None:
                self.log("the kernel had died: starting a new one")
                await self.stop_kernel()
            await self.start_kernel()
            timings["kernel_start"] = time.perf_counter() - clock
            clock = time.perf_counter()
        reply = await self.kc.execute_interactive(
            FORGET_PROJECT, silent=True, store_history=False, timeout=30
        )
        if reply["content"]["status"] != "ok":
            raise _RunFailed(f"the kernel could not be reset: {reply['content'].get('evalue')}")
        timings["reset"] = time.perf_counter() - clock

    def _exporter(self, lang: str):
        from nbconvert import HTMLExporter

        from helpers.build import exporter_config

        if lang not in self.exporters:
            self.exporters[lang] = HTMLExporter(config=exporter_config(lang))
        return self.exporters[lang]

    # the loop

    async def watch(self) -> None:
        """Run the edition, then again whenever a watched file changes (and has settled)."""
        try:
            await self.start_kernel()
            seen = None
            while not self.stopping.is_set():
                try:
                    spec = self._spec()
                except ConfigError:
                    spec = None
                paths = watched_files(spec, self.config, self.data_dir) if spec else [self.config]
                now = snapshot(paths)
                if now != seen:
                    await asyncio.sleep(SETTLE)
                    settled = snapshot(paths)
                    if settled != now:
                        continue  # still being written
                    seen = now  # a change from here on (even during the run) runs it again
                    outcome = await self.run_once()
                    self._report(outcome)
                    continue
                await asyncio.sleep(POLL)
        finally:
            await self.stop_kernel()

    def _report(self, outcome: dict) -> None:
        name = self.state.name
        if not outcome["ok"]:
            self.log(f"{name}: not shown: {outcome['message']}")
            return
        seconds = outcome["seconds"]
        parts = ", ".join(
            f"{key} {value:.2f}"
            for key, value in seconds.items()
            if key not in ("total", "cells") and isinstance(value, float)
        )
        self.log(f"{name}: refreshed in {seconds['total']:.2f} s ({parts})")

    def run_in_thread(self) -> threading.Thread:
        def main() -> None:
            try:
                asyncio.run(self.watch())
            except Exception as err:  # the loop itself failed: say so, the server stops
                self.log(f"error: the preview stopped: {type(err).__name__}: {err}")

        self.thread = threading.Thread(target=main, name="ai-war-preview-runner", daemon=True)
        self.thread.start()
        return self.thread

    def kill_kernel(self) -> None:
        """Stop the kernel and anything it started, from another thread, without waiting on it."""
        import psutil

        if self.kernel_pid is None:
            return
        try:
            kernel = psutil.Process(self.kernel_pid)
            if kernel.ppid() != os.getpid():  # gone already, and its number reused
                return
            doomed = [kernel, *kernel.children(recursive=True)]
        except psutil.Error:
            return
        for process in doomed:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        _, alive = psutil.wait_procs(doomed, timeout=STOP_WAIT)
        for process in alive:
            with contextlib.suppress(psutil.Error):
                process.kill()


class _RunFailed(Exception):
    """A run that gave no page; the message says which cell and what."""


def _on_signal(signum: int, frame: object) -> None:
    raise Stop(signal.Signals(signum).name)


def serve(
    name: str | None = None,
    *,
    port: int = DEFAULT_PORT,
    config: Path = CONFIG_FILE,
    data_dir: Path = DATA_DIR,
    log: Callable[[str], None] = print,
) -> int:
    """Serve the edition `name` (the first of `config` when None) on 127.0.0.1:`port` until
    SIGTERM or Ctrl-C; return the exit status. `port` 0 picks a free port."""
    spec = select(load_config(config), [name] if name else [])[0]  # a ConfigError says why
    state = State(spec.name)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    except OSError as err:
        log(f"error: cannot listen on 127.0.0.1:{port}: {err.strerror} (try --port 0)")
        return 2
    server.daemon_threads = True
    runner = Runner(spec.name, config, data_dir, state, log)
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    serving = threading.Thread(target=server.serve_forever, name="ai-war-preview-http")
    serving.daemon = True
    try:
        serving.start()
        host, bound = server.server_address[:2]
        log(f"preview of {spec.name}: http://{host}:{bound}/ (Ctrl-C stops it)")
        running = runner.run_in_thread()
        while running.is_alive():
            running.join(0.5)
        return 1  # the runner stopped by itself: its error was logged
    except Stop as stop:
        log(f"stopping ({stop})")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        runner.stopping.set()
        server.shutdown()
        server.server_close()
        with state.changed:
            state.changed.notify_all()
        if runner.thread is not None:
            runner.thread.join(1.0)
            if runner.thread.is_alive():  # in the middle of a run: stop the kernel under it
                runner.kill_kernel()
                runner.thread.join(STOP_WAIT)
        runner.kill_kernel()
        shutil.rmtree(runner.folder, ignore_errors=True)
