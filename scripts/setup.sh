#!/usr/bin/env bash
# Set up the project's environment on a fresh machine: .venv with the locked dependencies, the
# project installed editable, its Jupyter kernel and nbconvert template registered, and a
# Chromium for PDF output. Called by the Makefile; safe to run again.
# PYTHON=python3.13 picks the interpreter (3.11 to 3.13), VENV=folder another venv than .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${VENV:-.venv}
kernel=ai-war-report

is_debian_root() { [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# A Python 3.11, 3.12 or 3.13, as pyproject.toml requires: $PYTHON if set (e.g. PYTHON=python3.13),
# else the first of python3.11 (what CI uses), python3.12, python3.13, python3 that is one.
supported() { "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; }
python=""
for candidate in ${PYTHON:-python3.11 python3.12 python3.13 python3}; do
  if command -v "$candidate" >/dev/null && supported "$candidate"; then
    python=$(command -v "$candidate"); break
  fi
done
if [ -z "$python" ]; then
  echo "error: Python 3.11, 3.12 or 3.13 is needed (${PYTHON:-python3.11 or python3 on PATH}); install it, or name it with PYTHON=..." >&2
  exit 1
fi
# The venv is made again when PYTHON names another version than the one it was made with.
version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
if [ -n "${PYTHON:-}" ] && [ -x "$venv/bin/python" ] && [ "$(version "$venv/bin/python")" != "$(version "$python")" ]; then
  echo "Making $venv again with $python ($(version "$python"))" >&2
  rm -rf "$venv"
fi

# Debian splits venv/ensurepip out of the interpreter package.
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if is_debian_root; then
      echo "Installing Debian's python3-venv ..." >&2
      apt_install python3-venv
      "$python" -m venv "$venv"
    else
      echo "error: '$python -m venv' failed; install your system's venv package (Debian: python3-venv)." >&2
      exit 1
    fi
  fi
fi

"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r requirements.lock
"$venv/bin/python" -m pip install --quiet --no-deps -e .
# The project's own bytecode, as pip writes it for the packages it installs: a scheduled build
# with nothing to do then compiles nothing, even where Python may not write bytecode itself
# (PYTHONDONTWRITEBYTECODE, a read-only checkout). An edited module is compiled again on import.
"$venv/bin/python" -m compileall -q src >/dev/null
"$venv/bin/python" -m ipykernel install --sys-prefix --name "$kernel" \
  --display-name "Python 3 ($kernel)" >/dev/null
# The nbconvert template `report`, so that `jupyter nbconvert --template report` finds it anywhere.
"$venv/bin/python" -m helpers.nbtemplate >/dev/null
# The pre-commit hook that keeps notebooks without outputs, in a git checkout.
if git rev-parse --git-dir >/dev/null 2>&1; then git config core.hooksPath .githooks; fi
echo "Chromium for PDF: $("$venv/bin/python" -m helpers.browser)"
