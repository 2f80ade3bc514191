#!/usr/bin/env bash
# Check the project on another Python than CI's 3.11: `make check-python PYTHON=python3.13`.
# Sets up a venv of its own (.venv-<version>, .venv stays as it is) with the locked dependencies,
# then runs, on that Python: the build, parameter, validation, log and exporter tests, one
# edition grid test (worker processes), and one real `ai-war build` of one edition. A fork of a
# multi-threaded process (Python 3.12+ DeprecationWarning) fails the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PYTHON:-}" ]; then
  echo "error: name the Python to check, e.g. make check-python PYTHON=python3.13" >&2
  exit 2
fi
version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=${VENV:-.venv-$version}
PYTHON="$PYTHON" VENV="$venv" scripts/setup.sh
echo "== Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())') in $venv"
"$venv/bin/python" -m pytest -q -p no:cacheprovider -W "error:This process:DeprecationWarning" \
  tests/test_build.py tests/test_params.py tests/test_validate.py tests/test_logs.py \
  tests/test_pdf_export.py tests/test_kernels.py \
  "tests/test_editions.py::test_every_as_of_renders_whole_pages_in_both_languages_with_and_without_the_record"
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
"$venv/bin/ai-war" build report-en --reports "$reports"
test -s "$reports/report-en.html" && test -s "$reports/report-en.pdf"
echo "== Python $version: checked"
