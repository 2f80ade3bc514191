"""Airflow DAG: the AI-war reports every morning, the notebook and parameters of `ai-war build`.

Copy (or symlink) this file into Airflow's dags folder on a machine where the project is set up
(`make setup`), and set AI_WAR_REPORT_ROOT to the project's folder if it is not the parent of
this file's parent. The DAG reads reports.toml, so it runs exactly the configured reports:
  validate -> one PapermillOperator per report (the executed notebooks, with Airflow's retries
  and logs) -> publish (`ai-war build`: HTML and PDF, atomically, with the manifest).
"""

import datetime as dt
import os
import tomllib
from pathlib import Path

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.papermill.operators.papermill import PapermillOperator

ROOT = Path(os.environ.get("AI_WAR_REPORT_ROOT", Path(__file__).resolve().parents[2]))
CONFIG = tomllib.loads((ROOT / "reports.toml").read_text(encoding="utf-8"))
DEFAULTS = CONFIG.get("defaults", {})
AI_WAR = ROOT / ".venv" / "bin" / "ai-war"

with DAG(
    dag_id="ai_war_report",
    schedule="0 6 * * *",  # every day at 06:00, like the cron line of docs/scheduling.md
    start_date=dt.datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": dt.timedelta(minutes=10)},
    tags=["reports"],
) as dag:
    validate = BashOperator(task_id="validate", bash_command=f"{AI_WAR} validate")
    publish = BashOperator(task_id="publish", bash_command=f"{AI_WAR} build")
    for report in CONFIG["report"]:
        settings = {**DEFAULTS, **report}
        run = PapermillOperator(
            task_id=f"run_{settings['name'].replace('-', '_')}",
            input_nb=str(ROOT / settings["notebook"]),
            output_nb=str(ROOT / "reports" / "airflow" / f"{settings['name']}.ipynb"),
            parameters=settings.get("parameters", {}),
            kernel_name="ai-war-report",
            execution_timeout=dt.timedelta(seconds=settings.get("cell_timeout", 300) * 20),
        )
        validate >> run >> publish
