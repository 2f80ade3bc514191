#!/usr/bin/env bash
# `make test-airflow`: the shipped DAG on real Airflow, as docs/scheduling.md sets it up.
# Airflow goes into its own venv (.venv-airflow, from deploy/airflow/requirements.txt); its home,
# dags folder (a copy of the DAG, not a link) and reports folder are temporary. Checks that a
# copied DAG without AI_WAR_REPORT_ROOT fails to import with a message saying what to set, then
# runs `airflow dags test ai_war_report` and checks what Airflow recorded and what was published.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# AIRFLOW=2.10 tests the pinned Airflow 2.10 instead (deploy/airflow/requirements-2.10.txt);
# EXECUTOR=celery runs the DAG under a real scheduler with the CeleryExecutor and two workers
# (Airflow 3 only: deploy/airflow/requirements-celery.txt, then scripts/test-airflow-celery.sh)
case "${EXECUTOR:-}" in
  "") ;;
  celery)
    if [ -n "${AIRFLOW:-}" ]; then
      echo "error: EXECUTOR=celery runs on Airflow 3 only, not with AIRFLOW=$AIRFLOW" >&2
      exit 2
    fi
    ;;
  *)
    echo "error: EXECUTOR=$EXECUTOR is not tested here (EXECUTOR=celery, or none)" >&2
    exit 2
    ;;
esac
if [ -n "${EXECUTOR:-}" ]; then
  venv=.venv-airflow-$EXECUTOR
  requirements=deploy/airflow/requirements-$EXECUTOR.txt
elif [ -n "${AIRFLOW:-}" ]; then
  venv=.venv-airflow-$AIRFLOW
  requirements=deploy/airflow/requirements-$AIRFLOW.txt
else
  venv=.venv-airflow
  requirements=deploy/airflow/requirements.txt
fi
[ -f "$requirements" ] || { echo "error: no $requirements (AIRFLOW=$AIRFLOW)" >&2; exit 2; }
started=$(date +%s)

if [ ! -x .venv/bin/ai-war ]; then
  echo "error: the project is not set up (.venv/bin/ai-war is missing): run 'make setup' first" >&2
  exit 1
fi
if [ ! -f "$venv/.installed" ] || [ "$requirements" -nt "$venv/.installed" ]; then
  rm -rf "$venv"
  python3.11 -m venv "$venv"
  # apart from the project: no PYTHONPATH of a developer's shell leaks the project into it
  env -u PYTHONPATH "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$requirements" 2>&1 |
    grep -v "is ignored: it is neither a file nor a directory" || true
  "$venv/bin/airflow" version >/dev/null  # the install worked
  touch "$venv/.installed"
fi
installed=$(date +%s)
if [ -n "${EXECUTOR:-}" ]; then
  exec scripts/test-airflow-"$EXECUTOR".sh "$venv" $((installed - started))
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ai-war-airflow.XXXXXX")
trap 'rm -rf "$work"' EXIT
export AIRFLOW_HOME="$work/home"
export AIRFLOW__CORE__DAGS_FOLDER="$work/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
mkdir -p "$AIRFLOW__CORE__DAGS_FOLDER"
cp deploy/airflow/ai_war_report_dag.py "$AIRFLOW__CORE__DAGS_FOLDER/"
airflow="$venv/bin/airflow"
"$airflow" db migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }

echo "== a copied DAG without AI_WAR_REPORT_ROOT: a clear import error"
(unset AI_WAR_REPORT_ROOT; "$airflow" dags reserialize >"$work/reserialize.log" 2>&1) || true
if ! grep -q "set AI_WAR_REPORT_ROOT to the AI-war report project's folder" "$work/reserialize.log"; then
  echo "error: the DAG imported, or failed for another reason, without AI_WAR_REPORT_ROOT:" >&2
  tail -20 "$work/reserialize.log" >&2
  exit 1
fi

echo "== airflow dags test ai_war_report (reports in $work/reports)"
export AI_WAR_REPORT_ROOT="$root" AI_WAR_REPORTS_DIR="$work/reports"
if ! "$airflow" dags test ai_war_report >"$work/dags-test.log" 2>&1; then
  grep -v graphviz "$work/dags-test.log" | tail -60 >&2
  echo "error: airflow dags test failed" >&2
  exit 1
fi
grep -E "Running command|ai-war|running |staged|built|publishing|error" "$work/dags-test.log" |
  grep -v "Pushing xcom" | sed -E 's/^[0-9T:.-]+Z \[[a-z ]+\] +//; s/ +\[airflow[^]]*\].*$//' || true

echo "== what Airflow recorded and what was published"
.venv/bin/python scripts/check_published.py "$work/reports" --airflow-db "$AIRFLOW_HOME/airflow.db"
if [ -n "${AIRFLOW:-}" ]; then
  # Airflow 2's `dags test` runs the tasks in its own process and stops at the first timeout,
  # before the other runs and publish: the timeout case is checked on Airflow 3 only
  echo "test-airflow ($AIRFLOW): passed (install $((installed - started)) s, test $(($(date +%s) - installed)) s)"
  exit 0
fi
echo "== a run longer than its execution_timeout: Airflow's SIGTERM stops it cleanly"
export AIRFLOW_HOME="$work/home-timeout" AI_WAR_REPORTS_DIR="$work/reports-timeout"
export AI_WAR_RUN_TIMEOUT=5 AI_WAR_RUN_RETRIES=0
"$airflow" db migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
if "$airflow" dags test ai_war_report >"$work/dags-test-timeout.log" 2>&1; then
  echo "error: the DAG succeeded although each run had 5 s" >&2
  exit 1
fi
if grep -q "the unfinished run of a killed process" "$work/dags-test-timeout.log"; then
  echo "error: a timed-out run did not clean up after itself (it was killed, not stopped)" >&2
  exit 1
fi
grep -E "Process timed out|Sending SIGTERM|no complete run" "$work/dags-test-timeout.log" |
  sed -E 's/^[0-9T:.-]+Z \[[a-z ]+\] +//; s/ +\[airflow[^]]*\].*$//' || true
.venv/bin/python scripts/check_published.py "$work/reports-timeout" --stopped \
  --airflow-db "$AIRFLOW_HOME/airflow.db"
ended=$(date +%s)
echo "test-airflow: passed (install $((installed - started)) s, test $((ended - installed)) s)"
