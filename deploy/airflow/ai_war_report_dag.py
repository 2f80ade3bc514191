"""Airflow DAG `ai_war_report`: the editions of reports.toml, one mapped task each, then publish.

    plan ──► run (mapped: one task per edition to rebuild) ──► publish

- `plan` asks the project which editions need a run (`ai-war plan`: what changed since the last
  good publication) and maps one `run` task on each, so a Celery or Kubernetes executor spreads
  the editions over its workers.
- each `run` task executes `ai-war run NAME` in the project's own virtualenv: papermill with the
  project's kernel, the HTML and the PDF, staged complete in reports/.runs/NAME/ or not at all.
  Airflow's retries and `execution_timeout` apply; the SIGTERM of a timeout stops the run, its
  kernel and its Chromium, and leaves nothing that looks complete.
- `publish` runs `ai-war publish NAMES`: the notebooks those tasks executed, their HTML and PDF,
  the manifest and the index, as one unit, under the build lock. It runs even when a `run`
  failed, so that the failure is recorded and the other editions are published; the DAG run
  then fails. A run whose inputs changed after it ran is refused, by name.

Set up (see docs/scheduling.md): the project set up with `make setup` on every worker, at the
same path; AI_WAR_REPORT_ROOT set to that path in the environment of Airflow's DAG processor and
workers (copy this file into the dags folder; a symlink to it inside the project also works
without the variable). AI_WAR_REPORTS_DIR publishes elsewhere than <root>/reports, and
AI_WAR_RUN_TIMEOUT (seconds, default 3600) bounds each run, AI_WAR_RUN_RETRIES (default 1)
sets the retries of every task. Airflow runs none of the project's
Python itself: every step goes through <root>/.venv/bin/ai-war.
"""

import datetime as dt
import json
import os
import shlex
import subprocess
from pathlib import Path

try:  # Airflow 3
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.decorators import task
try:  # the standard provider, shipped with Airflow 3 and installable on 2.10
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2.10 without it
    from airflow.operators.bash import BashOperator

DAG_ID = "ai_war_report"


def _project_root() -> Path:
    """The project: $AI_WAR_REPORT_ROOT, else the folder this file lies in (when it is not a
    copy); an error that says what to set when neither holds a set-up project."""
    candidates = [os.environ.get("AI_WAR_REPORT_ROOT", "")]
    if not candidates[0]:
        candidates.append(str(Path(__file__).resolve().parents[2]))
    for candidate in filter(None, candidates):
        root = Path(candidate).expanduser()
        if (root / "reports.toml").is_file() and (root / ".venv" / "bin" / "ai-war").is_file():
            return root.resolve()
    raise ImportError(
        f"{DAG_ID}: set AI_WAR_REPORT_ROOT to the AI-war report project's folder (one with "
        f"reports.toml and .venv/bin/ai-war, made by `make setup`); tried: "
        f"{', '.join(filter(None, candidates))}"
    )


ROOT = _project_root()
AI_WAR = ROOT / ".venv" / "bin" / "ai-war"
REPORTS = Path(os.environ.get("AI_WAR_REPORTS_DIR") or ROOT / "reports")
RUN_TIMEOUT = dt.timedelta(seconds=float(os.environ.get("AI_WAR_RUN_TIMEOUT") or 3600))
RETRIES = int(os.environ.get("AI_WAR_RUN_RETRIES") or 1)
TARGET = f"--reports {shlex.quote(str(REPORTS))}"
EDITION = "AI_WAR_EDITION"  # the environment variable naming a mapped task's edition


@task
def plan() -> list[dict[str, str]]:
    """The editions to run, as the environment of each mapped `run` task."""
    done = subprocess.run(
        [str(AI_WAR), "plan", "--reports", str(REPORTS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ai-war plan failed ({done.returncode}): {done.stderr.strip()}")
    editions = json.loads(done.stdout)
    for edition in editions:
        print(f"{edition['name']}: {'; '.join(edition['reasons'])}")
    return [{EDITION: edition["name"]} for edition in editions]


with DAG(
    dag_id=DAG_ID,
    schedule="0 6 * * *",  # every day at 06:00, like the cron line of docs/scheduling.md
    start_date=dt.datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": RETRIES, "retry_delay": dt.timedelta(minutes=5)},
    tags=["reports"],
    doc_md=__doc__,
):
    editions = plan()
    runs = BashOperator.partial(
        task_id="run",
        # exec: the SIGTERM of Airflow's timeout reaches ai-war itself, which stops cleanly
        bash_command=f'exec {shlex.quote(str(AI_WAR))} run "${EDITION}" {TARGET}',
        append_env=True,
        cwd=str(ROOT),
        do_xcom_push=False,
        execution_timeout=RUN_TIMEOUT,
        map_index_template="{{ task.env['" + EDITION + "'] }}",
    ).expand(env=editions)
    publish = BashOperator(
        task_id="publish",
        bash_command=(  # the editions `plan` listed; none when `plan` itself failed
            "{% set editions = ti.xcom_pull(task_ids='plan') %}"
            "{% if editions is none %}"
            "echo 'ai_war_report: plan failed, nothing is published' >&2; exit 1"
            "{% else %}"
            f"exec {shlex.quote(str(AI_WAR))} publish "
            "{{ editions | map(attribute='" + EDITION + "') | join(' ') }} "
            f"{TARGET}"
            "{% endif %}"
        ),
        cwd=str(ROOT),
        do_xcom_push=False,
        trigger_rule="all_done",  # a failed edition is recorded; the others are published
        execution_timeout=dt.timedelta(hours=2),  # the lock waits an hour at most
    )
    runs >> publish
