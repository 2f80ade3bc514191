"""Build the configured reports: fast, incremental, parallel, and safe to run unattended.

For each report of reports.toml, Papermill runs the notebook and nbconvert writes the HTML; one
Chromium then prints every PDF from that same HTML. A report whose inputs (notebook, data, helper
code, parameters, locked versions) did not change since its last good build is left alone.
Everything is written in a staging folder and moved into reports/ only when complete; a failed
run keeps the last good report and its executed notebook with Papermill's error banner.
Parameters and data are checked before any kernel starts; a lock keeps two builds apart.
"""

import concurrent.futures
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helpers.changes import compare, facts_digest, read_digest
from helpers.config import CONFIG_FILE, RunSpec, load_config, select
from helpers.i18n import label
from helpers.params import ParameterError, check_parameters
from helpers.paths import (
    DATA_DIR,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    PROJECT_ROOT,
    REPORT_NOTEBOOK,
    REPORTS_DIR,
    TEMPLATES_DIR,
)

KERNEL_NAME = "ai-war-report"  # registered by the Makefile's set-up into .venv
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
MANIFEST = "manifest.json"
EXECUTED = "executed"  # folder of reports/ that keeps the executed notebooks
HISTORY_LENGTH = 50  # runs kept in the manifest's history


class BuildError(RuntimeError):
    """A build that could not start or finish; the message says what and where."""


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


def _data_file_hash(path: Path, data_dir: Path) -> str:
    """Hash of a data file; one the checks refuse (linked from outside, too big) is not read."""
    from helpers.validate import MAX_FILE_BYTES

    stat = path.stat()
    if stat.st_size > MAX_FILE_BYTES or not path.resolve().is_relative_to(data_dir.resolve()):
        where = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        return hashlib.sha256(where.encode()).hexdigest()
    return _sha256(path)


def _files_under(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    found = {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    return sorted(path for path in found if "__pycache__" not in path.parts)


def input_hashes(spec: RunSpec, data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Hash of everything a report depends on, by name: a change to any of them rebuilds it."""
    inputs = {"notebook": _sha256(spec.notebook), "requirements.lock": _sha256(LOCK_FILE)}
    for path in _files_under(data_dir, ("**/*",)):
        inputs[f"data/{path.relative_to(data_dir)}"] = _data_file_hash(path, data_dir)
    for path in _files_under(PACKAGE_DIR, ("**/*",)):  # code, templates, catalogues, style
        inputs[f"helpers/{path.relative_to(PACKAGE_DIR)}"] = _sha256(path)
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


def read_manifest(reports_dir: Path) -> dict:
    """The manifest of published reports (empty when there is none yet)."""
    path = reports_dir / MANIFEST
    if not path.exists():
        return {"reports": {}, "history": []}
    return json.loads(path.read_text(encoding="utf-8"))


def write_atomically(path: Path, content: bytes) -> None:
    """Write `path` so that a reader sees the old or the new content, never half of it."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(content)
    os.replace(handle.name, path)


def up_to_date(spec: RunSpec, current: str, manifest: dict, reports_dir: Path) -> bool:
    """Whether the published report was built from exactly these inputs and is still intact."""
    entry = manifest["reports"].get(spec.name)
    if not entry or entry.get("status") != "ok" or entry.get("fingerprint") != current:
        return False
    outputs = entry.get("outputs", {})
    if set(outputs) != set(spec.formats):
        return False
    return all(
        (reports_dir / output["file"]).is_file()
        and (reports_dir / output["file"]).stat().st_size == output["bytes"]
        for output in outputs.values()
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


def check_run(spec: RunSpec, data_dir: Path = DATA_DIR) -> None:
    """Raise ParameterError unless the run's parameters suit the notebook and the data."""
    from helpers.data import actor_ids
    from helpers.params import check_against, declared_parameters

    check_against(declared_parameters(spec.notebook), spec.parameters)
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


def html_of(executed: Path, lang: str) -> str:
    """The report's HTML from an executed notebook."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = label("page.title", lang)
    body, _ = HTMLExporter(config=exporter_config(lang)).from_notebook_node(notebook)
    return body


def run_notebook(spec: RunSpec, staging: Path, progress: bool) -> dict:
    """Execute the notebook of `spec` into `staging` and write its HTML there.

    Runs in a worker process; returns a plain dict (picklable) saying what happened.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError

    executed = staging / f"{spec.name}.ipynb"
    started = time.monotonic()
    try:
        papermill.execute_notebook(
            str(spec.notebook),
            str(executed),
            parameters=spec.parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(NOTEBOOKS_DIR),
            progress_bar=progress,
            execution_timeout=spec.cell_timeout,
        )
    except papermill.PapermillExecutionError as err:
        return {"ok": False, "message": f"cell {err.exec_count} raised {err.ename}: {err.evalue}"}
    except CellTimeoutError:
        return {
            "ok": False,
            "message": f"a cell ran longer than cell_timeout ({spec.cell_timeout} s)",
        }
    lang = str(spec.parameters.get("lang", "fr"))
    (staging / f"{spec.name}.html").write_text(html_of(executed, lang), encoding="utf-8")
    return {"ok": True, "seconds": time.monotonic() - started}


# --- the build -----------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(reports_dir: Path, log: Callable[[str], None]) -> Iterator[None]:
    """Hold the reports folder for this build; a second build waits its turn."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    with open(reports_dir / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("waiting for another build of these reports to finish ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish(spec: RunSpec, staging: Path, reports_dir: Path) -> dict[str, dict]:
    """Move a complete run from staging into reports/: each file replaced in one step."""
    executed_dir = reports_dir / EXECUTED
    executed_dir.mkdir(exist_ok=True)
    outputs = {}
    for fmt in spec.formats:
        staged = staging / f"{spec.name}.{fmt}"
        target = reports_dir / staged.name
        os.replace(staged, target)
        outputs[fmt] = {
            "file": target.name,
            "sha256": _sha256(target),
            "bytes": target.stat().st_size,
        }
    os.replace(staging / f"{spec.name}.ipynb", executed_dir / f"{spec.name}.ipynb")
    (executed_dir / f"{spec.name}.failed.ipynb").unlink(missing_ok=True)
    return outputs


def _keep_failed(spec: RunSpec, staging: Path, reports_dir: Path) -> None:
    executed = staging / f"{spec.name}.ipynb"
    if executed.exists():
        (reports_dir / EXECUTED).mkdir(exist_ok=True)
        os.replace(executed, reports_dir / EXECUTED / f"{spec.name}.failed.ipynb")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def build(
    names: list[str] | None = None,
    *,
    config: Path = CONFIG_FILE,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    jobs: int | None = None,
    log: Callable[[str], None] = print,
    data_dir: Path = DATA_DIR,
) -> list[RunResult]:
    """Build the configured reports named in `names` (all when empty); return what happened.

    `data_dir` is the fact base the checks read and the kernels load ($AI_WAR_DATA_DIR).
    """
    specs = select(load_config(config), names or [])
    with build_lock(reports_dir, log):
        for stale in reports_dir.glob(".staging-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        manifest = read_manifest(reports_dir)
        inputs = {spec.name: input_hashes(spec, data_dir) for spec in specs}
        current = {name: fingerprint(hashes) for name, hashes in inputs.items()}
        todo = [
            s for s in specs if force or not up_to_date(s, current[s.name], manifest, reports_dir)
        ]
        results = {s.name: RunResult(s.name, "up to date") for s in specs if s not in todo}
        if not todo:
            log(f"nothing to do: {len(specs)} report(s) up to date")
            return list(results.values())
        _check_before_kernels(todo, data_dir)
        started_at, started = _now(), time.monotonic()
        # the digest of the facts (for 'what changed') is read while the kernels run
        digesting = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        digest_job = digesting.submit(facts_digest, data_dir)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        log(f"building {', '.join(s.name for s in todo)} ({workers} at a time)")
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=reports_dir))
        try:
            outcomes = _run_and_print(todo, staging, workers, log, data_dir)
            digest = digest_job.result()
            digesting.shutdown()
            for spec in todo:
                outcome = outcomes[spec.name]
                entry = {
                    "notebook": spec.notebook.name,
                    "parameters": spec.parameters,
                    "formats": list(spec.formats),
                    "fingerprint": current[spec.name],
                    "inputs": inputs[spec.name],
                    "versions": versions(),
                    "started": started_at,
                    "ended": _now(),
                    "seconds": round(time.monotonic() - started, 2),
                }
                if outcome["ok"]:
                    outputs = _publish(spec, staging, reports_dir)
                    digest_file = reports_dir / "state" / f"{spec.name}.facts.json"
                    changed = compare(read_digest(digest_file), digest)
                    digest_file.parent.mkdir(exist_ok=True)
                    write_atomically(digest_file, json.dumps(digest, sort_keys=True).encode())
                    manifest["reports"][spec.name] = {
                        **entry,
                        "status": "ok",
                        "outputs": outputs,
                        "changes": changed,
                    }
                    results[spec.name] = RunResult(
                        spec.name,
                        "built",
                        outputs={f: reports_dir / o["file"] for f, o in outputs.items()},
                        seconds=entry["seconds"],
                    )
                else:
                    _keep_failed(spec, staging, reports_dir)
                    message = (
                        f"{spec.name} failed: {outcome['message']}; the executed notebook is "
                        f"kept as reports/executed/{spec.name}.failed.ipynb and the last good "
                        "report stays published"
                    )
                    previous = manifest["reports"].get(spec.name)
                    manifest["reports"][spec.name] = previous or {
                        **entry,
                        "status": "failed",
                        "outputs": {},
                    }
                    entry = {**entry, "error": outcome["message"]}
                    results[spec.name] = RunResult(spec.name, "failed", message)
                manifest["history"].append(
                    {
                        "name": spec.name,
                        "status": results[spec.name].status,
                        "started": entry["started"],
                        "ended": entry["ended"],
                        "fingerprint": current[spec.name],
                        **({"error": entry["error"]} if "error" in entry else {}),
                    }
                )
            manifest["history"] = manifest["history"][-HISTORY_LENGTH:]
            write_atomically(
                reports_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode()
            )
            from helpers.index import write_index

            write_index(reports_dir, manifest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return [results[spec.name] for spec in specs]


def _check_before_kernels(todo: list[RunSpec], data_dir: Path) -> None:
    from helpers.validate import validate

    problems = validate(data_dir)
    if problems:
        listing = "\n".join(f"  data/{problem}" for problem in problems)
        raise BuildError(f"{len(problems)} problem(s) in data/, nothing was built:\n{listing}")
    for spec in todo:
        try:
            check_run(spec, data_dir)
        except ParameterError as err:
            raise BuildError(f"report {spec.name!r}: {err}; nothing was built") from None


def _use_data(data_dir: str) -> None:
    """Worker initializer: the kernels this worker starts load the fact base in `data_dir`."""
    os.environ["AI_WAR_DATA_DIR"] = data_dir


def _run_and_print(
    todo: list[RunSpec],
    staging: Path,
    workers: int,
    log: Callable[[str], None],
    data_dir: Path = DATA_DIR,
) -> dict[str, dict]:
    """Run the notebooks `workers` at a time; print each report's PDF as soon as its HTML exists.

    One Chromium, started while the first kernels start, prints every PDF of the build.
    """
    from helpers.pdf_export import PdfPrinter

    progress = sys.stderr.isatty()  # bars at a terminal (runs here, cells in each worker)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="reports", unit="report", position=len(todo), leave=False)
    outcomes: dict[str, dict] = {}
    printing: dict[str, concurrent.futures.Future] = {}
    printer = PdfPrinter() if any("pdf" in spec.formats for spec in todo) else None
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, initializer=_use_data, initargs=(str(data_dir),)
        ) as pool:
            futures = {pool.submit(run_notebook, spec, staging, progress): spec for spec in todo}
            for future in concurrent.futures.as_completed(futures):
                spec = futures[future]
                try:
                    outcomes[spec.name] = future.result()
                except Exception as err:  # a crash of the worker itself
                    outcomes[spec.name] = {"ok": False, "message": f"{type(err).__name__}: {err}"}
                ok = outcomes[spec.name]["ok"]
                log(f"{spec.name}: {'executed' if ok else 'failed'}")
                if bar is not None:
                    bar.update()
                if ok and printer is not None and "pdf" in spec.formats:
                    printing[spec.name] = printer.submit(staging / f"{spec.name}.html")
        for name, job in printing.items():
            try:
                (staging / f"{name}.pdf").write_bytes(job.result())
            except Exception as err:
                outcomes[name] = {"ok": False, "message": f"PDF printing failed: {err}"}
        if printing:
            log(f"printed {len(printing)} PDF(s) in one Chromium")
    finally:
        if printer is not None:
            printer.close()
        if bar is not None:
            bar.close()
    return outcomes
