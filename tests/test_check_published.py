"""The checker of `make test-airflow` (scripts/check_published.py) on Airflow's records: a DAG run
passes only when every edition's `run` succeeded and, with --workers, when the runs were spread
over that many workers. Its use on a real Airflow database is `make test-airflow` itself."""

import importlib.util
import sqlite3

from helpers.paths import PROJECT_ROOT

spec = importlib.util.spec_from_file_location(
    "check_published", PROJECT_ROOT / "scripts" / "check_published.py"
)
check_published = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_published)

NAMES = ["report-fr", "report-en"]


def records(hosts: dict[str, str], state: str = "success") -> dict[str, list[dict]]:
    """A DAG run as Airflow records it: plan, one mapped run per edition on its host, publish."""
    tasks = [{"task_id": "plan", "map_index": -1, "state": "success", "hostname": "a"}]
    for index, (name, host) in enumerate(hosts.items()):
        tasks.append(
            {"task_id": "run", "map_index": index, "rendered_map_index": name, "state": state}
            | {"hostname": host}
        )
    tasks.append({"task_id": "publish", "map_index": -1, "state": "success", "hostname": "a"})
    for task in tasks:
        task.setdefault("rendered_map_index", None)
    return {"task_instances": tasks, "dag_runs": [{"state": "success"}]}


def test_runs_on_two_workers_pass():
    spread = records({"report-fr": "celery-b", "report-en": "celery-a"})
    assert check_published.airflow_problems(spread, NAMES, workers=2) == []


def test_runs_on_one_worker_fail_naming_where_each_ran():
    (problem,) = check_published.airflow_problems(
        records({"report-fr": "celery-a", "report-en": "celery-a"}), NAMES, workers=2
    )
    assert "not spread over 2 workers" in problem
    assert "report-fr on 'celery-a'" in problem and "report-en on 'celery-a'" in problem


def test_one_worker_is_enough_without_workers():
    same = records({"report-fr": "vm", "report-en": "vm"})
    assert check_published.airflow_problems(same, NAMES) == []


def test_a_failed_run_or_dag_run_is_named():
    failed = records({"report-fr": "celery-a", "report-en": "celery-b"}, state="failed")
    failed["dag_runs"] = [{"state": "failed"}]
    found = check_published.airflow_problems(failed, NAMES, workers=2)
    assert any("('report-fr', 'failed')" in problem for problem in found)
    assert any("DAG runs: ['failed']" in problem for problem in found)


def test_a_missing_edition_is_named():
    found = check_published.airflow_problems(records({"report-fr": "celery-a"}), NAMES)
    assert found and "report-en" in found[0]


def test_sqlite_records_read_as_json_records(tmp_path):
    """The rows read from a SQLite database of Airflow's shape are the JSON that a dump of
    another database gives: both go through the same check."""
    database = tmp_path / "airflow.db"
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE task_instance (dag_id TEXT, task_id TEXT, map_index INTEGER, "
            "state TEXT, rendered_map_index TEXT, hostname TEXT, pid INTEGER)"
        )
        db.execute("CREATE TABLE dag_run (dag_id TEXT, state TEXT)")
        for task in records({"report-fr": "celery-b", "report-en": "celery-a"})["task_instances"]:
            db.execute(
                "INSERT INTO task_instance VALUES ('ai_war_report', ?, ?, ?, ?, ?, 1)",
                [task[key] for key in ("task_id", "map_index", "state")]
                + [task["rendered_map_index"], task["hostname"]],
            )
        db.execute("INSERT INTO task_instance VALUES ('other', 'run', 0, 'failed', 'x', 'h', 1)")
        db.execute("INSERT INTO dag_run VALUES ('ai_war_report', 'success')")
    read = check_published.airflow_records(database)
    assert read == records({"report-fr": "celery-b", "report-en": "celery-a"})
    assert check_published.airflow_problems(read, NAMES, workers=2) == []
