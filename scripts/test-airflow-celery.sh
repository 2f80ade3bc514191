#!/usr/bin/env bash
# `make test-airflow EXECUTOR=celery` (run by scripts/test-airflow.sh once it has installed
# deploy/airflow/requirements-celery.txt into the venv $1; $2 is the seconds the install took).
#
# The DAG under a real Airflow 3 deployment on this machine, as a Celery cluster runs it: a
# PostgreSQL server (Airflow's metadata database and Celery's result backend) and a Redis server
# (Celery's broker), both private to this test and reached by Unix sockets only; Airflow's
# api-server (the task execution API), scheduler and dag-processor; two Celery workers, celery-a
# and celery-b, one task at a time each. Airflow records as each task's hostname the name of the
# worker that ran it ([core] hostname_callable, set per worker). The DAG is unpaused, and its run
# must succeed with the two mapped `run` tasks on different workers; then the published folder is
# checked as the other modes check it. Every wait is bounded, and on exit, failed or not, every
# process the test started is stopped: the test makes itself the subreaper of its descendants
# (PR_SET_CHILD_SUBREAPER), so that a process whose parent ends (pg_ctl's PostgreSQL, a task's
# children) is handed to the test rather than to init, and every process the test started stays
# under it, where the clean-up finds it.
# PostgreSQL and Redis are Debian's; as root on Debian, missing ones are installed with apt-get.
set -euo pipefail
if [ -z "${AI_WAR_CELERY_SUBREAPER:-}" ]; then  # the same script, as the subreaper (kept by exec)
  export AI_WAR_CELERY_SUBREAPER=1
  exec python3 -c 'import ctypes, os, sys
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0):  # PR_SET_CHILD_SUBREAPER
    sys.exit(f"error: prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}")
os.execv(sys.argv[1], sys.argv[1:])' "$(realpath "$0")" "$@"
fi
unset AI_WAR_CELERY_SUBREAPER
cd "$(dirname "$0")/.."
root=$(pwd)
venv=$1
install_seconds=${2:-0}
begun=$(date +%s)
airflow="$root/$venv/bin/airflow"
RUN_LIMIT=${AI_WAR_CELERY_RUN_LIMIT:-900}  # seconds the DAG run may take, in all

install_debian() { # install_debian PACKAGE: apt-get as root on Debian, else say what to install
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "error: EXECUTOR=celery needs $1 (Debian: apt-get install $1); run as root to install it" >&2
    exit 1
  fi
  echo "== installing $1 (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! timeout 600 apt-get install -y -q --no-install-recommends "$1" >/dev/null; then
    timeout 600 apt-get update -q >/dev/null
    timeout 600 apt-get install -y -q --no-install-recommends "$1" >/dev/null
  fi
}
pg_bin() { find /usr/lib/postgresql -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -1; }
[ -n "$(pg_bin)" ] || install_debian postgresql
command -v redis-server >/dev/null || install_debian redis-server
pgbin=$(pg_bin)

work=$(mktemp -d "${TMPDIR:-/tmp}/ai-war-celery.XXXXXX")
mkdir -p "$work/logs" "$work/pg" "$work/pylib" "$work/dags"
as_pg=()
if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root: its own account runs it
  pguser=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  chmod 711 "$work"
  chown "$pguser" "$work/pg"
  as_pg=(runuser -u "$pguser" --)
fi

under_test() { # under_test [PID...]: the live processes under this test, but under PID...
  local self=$BASHPID  # the subshell of $(under_test), its ps and awk
  ps -e -o pid=,ppid=,stat= | awk -v top=$$ -v skip="$self $*" '
    BEGIN { split(skip, list, " "); for (i in list) skipped[list[i]] = 1 }
    $3 !~ /^Z/ { up[$1] = $2 }
    END {
      for (p in up) {
        q = p
        while (q in up && q != top && !(q in skipped)) q = up[q]
        if (q == top && p != top) print p
      }
    }'
}
stop() { # stop PID...: SIGTERM, at most 30 s to end, then SIGKILL
  local deadline=$(($(date +%s) + 30)) pid
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  done
  kill -KILL "$@" 2>/dev/null || true
}
cleanup() {
  local status=$? postmaster="" left deadline
  trap - EXIT INT TERM
  [ -f "$work/pg/data/postmaster.pid" ] && postmaster=$(head -1 "$work/pg/data/postmaster.pid")
  # Airflow's components, Redis and what they started; then PostgreSQL; then anything left
  stop $(under_test $postmaster)
  if [ -n "$postmaster" ]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -t 30 stop >/dev/null 2>&1 || true
  fi
  stop $(under_test)
  wait 2>/dev/null || true
  deadline=$(($(date +%s) + 5))  # a killed process is gone a moment after its SIGKILL
  while [ -n "$(under_test)" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  left=$(under_test)
  if [ -n "$left" ]; then
    echo "error: processes left running after the test:" >&2
    ps -o pid,args -p "$(echo $left | tr ' ' ,)" >&2 || true
    status=1
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_components() { # the end of each component's log, for a failure
  local name
  for name in "${names[@]}"; do
    echo "--- $name (last 20 lines)" >&2
    grep -v -E "graphviz|DeprecationWarning" "$work/logs/$name.log" | tail -20 | cut -c1-300 >&2 || true
  done
}
show_tasks() { # the last events each task logged (Airflow writes JSON lines), for a failure
  find "$work/home/logs" -path '*dag_id=ai_war_report*' -name '*.log' 2>/dev/null | sort |
    while read -r log; do
      echo "--- ${log#"$work/home/logs/dag_id=ai_war_report/"} (last 8 events)" >&2
      python3 - "$log" >&2 <<'PY'
import json
import sys

for line in open(sys.argv[1], encoding="utf-8").read().splitlines()[-8:]:
    try:
        event = json.loads(line)
        print(f"  {event.get('level', ''):7} {str(event.get('event', ''))[:300]}")
    except (ValueError, AttributeError):
        print(f"  {line[:300]}")
PY
    done
}
pids=()
names=()
start() { # start NAME COMMAND...: in the background, its output in logs/NAME.log
  local name=$1
  shift
  "$@" >"$work/logs/$name.log" 2>&1 &
  pids+=("$!")
  disown  # the clean-up stops it; bash need not report how it ended
  names+=("$name")
}
alive() { # every component started so far still runs, or say which stopped
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "error: ${names[$i]} stopped" >&2
      return 1
    fi
  done
}
wait_for() { # wait_for SECONDS WHAT COMMAND...: COMMAND each second until it succeeds, bounded
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    if ! alive || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "error: waited $limit s at most for $what" >&2
      show_components
      show_tasks
      exit 1
    fi
    sleep 1
  done
}
sql() { PGCONNECT_TIMEOUT=10 timeout 60 "$pgbin/psql" -h "$work/pg" -U airflow -d airflow -XAtq -c "$1"; }

echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') and Redis $(redis-server --version | sed -E 's/.* v=([^ ]+).*/\1/'), private, on Unix sockets in $work"
timeout 120 "${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -U airflow -A trust -E UTF8 \
  --no-locale --no-sync >"$work/logs/initdb.log" 2>&1 || { cat "$work/logs/initdb.log"; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 60 \
  -o "-k $work/pg -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null ||
  { cat "$work/pg/postgres.log"; exit 1; }
PGCONNECT_TIMEOUT=10 timeout 60 "$pgbin/createdb" -h "$work/pg" -U airflow airflow
start redis redis-server --port 0 --unixsocket "$work/redis.sock" --unixsocketperm 700 \
  --save "" --appendonly no --dir "$work"
wait_for 30 "Redis to listen" test -S "$work/redis.sock"

export AIRFLOW_HOME="$work/home"
export AIRFLOW__CORE__DAGS_FOLDER="$work/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow@/airflow?host=$work/pg"
export AIRFLOW__CELERY__BROKER_URL="redis+socket://$work/redis.sock"
export AIRFLOW__CELERY__RESULT_BACKEND="db+$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$port/execution/"
# every component signs and checks the tasks' tokens with the same secrets
AIRFLOW__API_AUTH__JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
AIRFLOW__API__SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export AIRFLOW__API_AUTH__JWT_SECRET AIRFLOW__API__SECRET_KEY
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
export AI_WAR_REPORT_ROOT="$root" AI_WAR_REPORTS_DIR="$work/reports"
cp deploy/airflow/ai_war_report_dag.py "$AIRFLOW__CORE__DAGS_FOLDER/"
timeout 600 "$airflow" db migrate >"$work/logs/migrate.log" 2>&1 || { cat "$work/logs/migrate.log"; exit 1; }

echo "== Airflow: api-server on 127.0.0.1:$port, scheduler, dag-processor, workers celery-a and celery-b"
start api-server "$airflow" api-server --host 127.0.0.1 --port "$port" --workers 1
start scheduler "$airflow" scheduler --skip-serve-logs
start dag-processor "$airflow" dag-processor
# each worker names itself: Airflow records this name as the hostname of the tasks it runs
cat >"$work/pylib/ai_war_celery_worker.py" <<'EOF'
import os


def hostname() -> str:
    return os.environ["AI_WAR_CELERY_WORKER"]
EOF
for worker in celery-a celery-b; do
  start "$worker" env AI_WAR_CELERY_WORKER="$worker" \
    AIRFLOW__CORE__HOSTNAME_CALLABLE=ai_war_celery_worker.hostname \
    PYTHONPATH="$work/pylib${PYTHONPATH:+:$PYTHONPATH}" \
    "$airflow" celery worker --celery-hostname "$worker@%h" --concurrency 1 --skip-serve-logs
done
health() { python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/v2/monitor/health', timeout=5)"; }
wait_for 180 "the api-server to answer" health
for worker in celery-a celery-b; do
  wait_for 180 "the worker $worker to be ready" grep -q "$worker@.* ready" "$work/logs/$worker.log"
done
parsed() { [ "$(sql "SELECT count(*) FROM dag WHERE dag_id = 'ai_war_report'")" = 1 ]; }
wait_for 180 "the dag-processor to parse the DAG" parsed
ready=$(date +%s)
echo "   ready in $((ready - begun)) s"

echo "== airflow dags unpause ai_war_report: the scheduler starts today's run (reports in $work/reports)"
timeout 120 "$airflow" dags unpause ai_war_report >"$work/logs/unpause.log" 2>&1 ||
  { cat "$work/logs/unpause.log"; exit 1; }
ended() { sql "SELECT state FROM dag_run WHERE dag_id = 'ai_war_report'" | grep -q -E "success|failed"; }
wait_for "$RUN_LIMIT" "the DAG run to end" ended
sql "SELECT task_id, map_index, rendered_map_index, state, hostname,
            round(extract(epoch FROM end_date - start_date)) FROM task_instance
     WHERE dag_id = 'ai_war_report' ORDER BY start_date" |
  awk -F'|' '{printf "   %-7s %-10s %-8s on %s, %s s\n", $1, ($2 >= 0 ? $3 : ""), $4, $5, $6}'
if [ "$(sql "SELECT state FROM dag_run WHERE dag_id = 'ai_war_report'")" != success ]; then
  echo "error: the DAG run failed; its tasks' logs:" >&2
  show_tasks
fi

echo "== what Airflow recorded and what was published"
sql "SELECT json_build_object(
       'task_instances', (SELECT coalesce(json_agg(t), '[]') FROM (
         SELECT task_id, map_index, state, rendered_map_index, hostname FROM task_instance
         WHERE dag_id = 'ai_war_report') t),
       'dag_runs', (SELECT coalesce(json_agg(r), '[]') FROM (
         SELECT state FROM dag_run WHERE dag_id = 'ai_war_report') r))" >"$work/records.json"
timeout 300 .venv/bin/python scripts/check_published.py "$work/reports" \
  --airflow-records "$work/records.json" --workers 2
echo "test-airflow (celery): passed (install $install_seconds s, test $(($(date +%s) - begun)) s)"
