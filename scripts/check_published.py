"""Check a reports folder that a scheduler published (used by `make test-airflow`).

Every configured edition must be published whole: its files as the manifest records them (same
sha256), the executed notebook that ran with its configured parameters, a good run in the
history, a link on the index; no staged run, staging folder or journal left behind. With
--airflow-db (Airflow's SQLite database) or --airflow-records (the same rows as JSON, dumped from
another database), Airflow's own records must show one DAG run, succeeded, one mapped `run` task
per edition, each succeeded, and `publish` succeeded; with --workers N as well, the runs must have
been executed on N different hosts (Airflow records each task's hostname). With --stopped,
the DAG ran with a timeout shorter than a run instead: every run task failed, nothing is
published or staged, and no process the DAG started is left (each inherits AI_WAR_REPORTS_DIR,
the reports folder). Exits 1 naming every problem.
"""

import argparse
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

import nbformat
import psutil

from helpers.build import EXECUTED, JOURNAL, RUNS, _sha256, read_manifest, read_run
from helpers.config import CONFIG_FILE, load_config


def problems_in(reports: Path, config: Path = CONFIG_FILE) -> list[str]:
    """What is wrong with the publication in `reports` of the editions of `config`."""
    found = []
    manifest = read_manifest(reports)
    specs = load_config(config)
    index = (reports / "index.html").read_text(encoding="utf-8")
    good_runs = {run["name"] for run in manifest["history"] if run["status"] == "built"}
    for spec in specs:
        entry = manifest["reports"].get(spec.name)
        if not entry or entry.get("status") != "ok":
            found.append(f"{spec.name}: not published as ok in the manifest")
            continue
        for fmt in spec.formats:
            output = entry["outputs"].get(fmt, {})
            path = reports / output.get("file", f"{spec.name}.{fmt}")
            if not path.is_file() or _sha256(path) != output.get("sha256"):
                found.append(f"{spec.name}: {path.name} missing or not the file recorded")
        if "pdf" in spec.formats and (reports / f"{spec.name}.pdf").read_bytes()[:5] != b"%PDF-":
            found.append(f"{spec.name}: its PDF is not a PDF")
        executed = reports / EXECUTED / f"{spec.name}.ipynb"
        if not executed.is_file():
            found.append(f"{spec.name}: no executed notebook {executed}")
        else:
            ran = nbformat.read(executed, as_version=4).metadata.get("papermill", {})
            if ran.get("parameters") != spec.parameters:
                found.append(f"{spec.name}: the notebook ran with {ran.get('parameters')}")
        if spec.name not in good_runs:
            found.append(f"{spec.name}: no good run in the manifest's history")
        if f'href="{spec.name}.html"' not in index:
            found.append(f"{spec.name}: index.html does not link {spec.name}.html")
        if read_run(reports / RUNS / spec.name, spec.name) is not None:
            found.append(f"{spec.name}: its staged run was not consumed")
    leftovers = [p.name for p in reports.glob(".staging-*")] + (
        [JOURNAL] if (reports / JOURNAL).exists() else []
    )
    if leftovers:
        found.append(f"left in {reports}: {', '.join(leftovers)}")
    return found


def airflow_records(database: Path) -> dict[str, list[dict]]:
    """The rows of Airflow's SQLite `database` about the DAG, as `--airflow-records` holds them."""
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        tasks = db.execute(
            "SELECT task_id, map_index, state, rendered_map_index, hostname FROM task_instance "
            "WHERE dag_id = 'ai_war_report'"
        ).fetchall()
        runs = db.execute("SELECT state FROM dag_run WHERE dag_id = 'ai_war_report'").fetchall()
    return {"task_instances": [dict(row) for row in tasks], "dag_runs": [dict(row) for row in runs]}


def airflow_problems(
    records: dict[str, list[dict]], names: list[str], workers: int = 0
) -> list[str]:
    """What Airflow's records say went wrong in the last run of the DAG; with `workers`, also
    whether the mapped runs were spread over that many hosts (as many as there are runs at most)."""
    rows = records.get("task_instances") or []
    found = []
    mapped = [row for row in rows if row["task_id"] == "run" and row["map_index"] >= 0]
    states = sorted((row["rendered_map_index"], row["state"]) for row in mapped)
    if states != sorted((name, "success") for name in names):
        found.append(f"mapped run tasks {states}, expected one succeeded task for each of {names}")
    if not any(row["task_id"] == "publish" and row["state"] == "success" for row in rows):
        found.append(f"publish did not succeed: {rows}")
    runs = [row["state"] for row in records.get("dag_runs") or []]
    if runs != ["success"]:
        found.append(f"DAG runs: {runs}, expected one that succeeded")
    hosts = {row["hostname"] for row in mapped}
    if workers and len(hosts) < min(workers, len(names)):
        on = ", ".join(f"{row['rendered_map_index']} on {row['hostname']!r}" for row in mapped)
        found.append(f"the runs were not spread over {workers} workers: {on}")
    return found


def stopped_problems(reports: Path, database: Path, names: list[str]) -> list[str]:
    """What a DAG run whose runs all timed out left that it should not have."""
    found = []
    tasks = airflow_records(database)["task_instances"]
    rows = [(row["rendered_map_index"], row["state"]) for row in tasks if row["task_id"] == "run"]
    if sorted(rows) != sorted((name, "failed") for name in names):
        found.append(f"run tasks {rows}: expected each of {names} failed by its timeout")
    left = [p.name for p in (reports / RUNS).iterdir() if not p.name.endswith(".lock")]
    if left:
        found.append(f"left in {reports / RUNS}: {', '.join(left)}")
    published = [p.name for p in reports.glob("*.html") if p.name != "index.html"]
    if published or list(reports.glob(".staging-*")):
        found.append(f"published or staged after the timeouts: {published}")
    deadline = time.monotonic() + 30  # a kernel notices its worker's death within seconds
    while (survivors := _started_for(reports)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if survivors:
        found.append(f"processes left: {survivors}")
    return found


def _started_for(reports: Path) -> list[str]:
    """The live processes whose environment names `reports` as AI_WAR_REPORTS_DIR."""
    found = []
    for process in psutil.process_iter():
        try:
            if (
                process.pid != os.getpid()  # this check inherits the variable too
                and process.environ().get("AI_WAR_REPORTS_DIR") == str(reports)
                and process.status() != psutil.STATUS_ZOMBIE
            ):
                found.append(f"{process.pid} {process.name()}")
        except psutil.Error:
            continue
    return found


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("reports", type=Path)
    options.add_argument("--airflow-db", type=Path, help="Airflow's SQLite database")
    options.add_argument("--airflow-records", type=Path, help="Airflow's rows, as JSON")
    options.add_argument("--workers", type=int, default=0, help="hosts the runs must be spread on")
    options.add_argument("--stopped", action="store_true", help="the runs were timed out")
    args = options.parse_args(argv)
    names = [spec.name for spec in load_config()]
    if args.stopped:
        found = stopped_problems(args.reports, args.airflow_db, names)
        for problem in found:
            print(f"error: {problem}", file=sys.stderr)
        if not found:
            print(f"{', '.join(names)}: stopped by their timeout, nothing staged or left running")
        return 1 if found else 0
    found = problems_in(args.reports)
    records = None
    if args.airflow_records:
        records = json.loads(args.airflow_records.read_text(encoding="utf-8"))
    elif args.airflow_db:
        records = airflow_records(args.airflow_db)
    if records is not None:
        found += airflow_problems(records, names, args.workers)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if not found:
        manifest = json.loads((args.reports / "manifest.json").read_text(encoding="utf-8"))
        hosts = {
            row["rendered_map_index"]: row["hostname"]
            for row in (records or {}).get("task_instances", [])
            if row["task_id"] == "run"
        }
        for name in names:
            files = ", ".join(o["file"] for o in manifest["reports"][name]["outputs"].values())
            short = manifest["reports"][name]["fingerprint"][:12]
            ran = f", run on {hosts[name]}" if args.workers and name in hosts else ""
            print(f"{name}: published ({files}), fingerprint {short}{ran}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
