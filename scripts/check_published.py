"""Check a reports folder that a scheduler published (used by `make test-airflow`).

Every configured edition must be published whole: its files as the manifest records them (same
sha256), the executed notebook that ran with its configured parameters, a good run in the
history, a link on the index; no staged run, staging folder or journal left behind. With
--airflow-db, Airflow's own records must show one mapped `run` task per edition, each
succeeded, and `publish` succeeded. Exits 1 naming every problem.
"""

import argparse
import json
import sqlite3
import sys
from pathlib import Path

import nbformat

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


def airflow_problems(database: Path, names: list[str]) -> list[str]:
    """What Airflow's database says went wrong in the last run of the DAG."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT task_id, map_index, state, rendered_map_index FROM task_instance "
            "WHERE dag_id = 'ai_war_report'"
        ).fetchall()
        runs = db.execute("SELECT state FROM dag_run WHERE dag_id = 'ai_war_report'").fetchall()
    found = []
    mapped = sorted((row[3], row[2]) for row in rows if row[0] == "run" and row[1] >= 0)
    if mapped != sorted((name, "success") for name in names):
        found.append(f"mapped run tasks {mapped}, expected one succeeded task for each of {names}")
    if ("publish", -1, "success") not in [row[:3] for row in rows]:
        found.append(f"publish did not succeed: {rows}")
    if runs != [("success",)]:
        found.append(f"DAG runs: {runs}")
    return found


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("reports", type=Path)
    options.add_argument("--airflow-db", type=Path)
    args = options.parse_args(argv)
    found = problems_in(args.reports)
    names = [spec.name for spec in load_config()]
    if args.airflow_db:
        found += airflow_problems(args.airflow_db, names)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if not found:
        manifest = json.loads((args.reports / "manifest.json").read_text(encoding="utf-8"))
        for name in names:
            files = ", ".join(o["file"] for o in manifest["reports"][name]["outputs"].values())
            short = manifest["reports"][name]["fingerprint"][:12]
            print(f"{name}: published ({files}), fingerprint {short}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
