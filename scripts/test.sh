#!/usr/bin/env bash
# Install with the test extras and run every quality gate and the whole test
# suite.  ZWGK_DATABASE_URL chooses the database (default: SQLite).
# Extra arguments go to pytest.
set -euo pipefail
. "$(dirname "$0")/venv.sh" "[test]"
export DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH="$PWD"
echo "== ruff"
ruff check .
ruff format --check .
echo "== zwgk check"
zwgk check --fail-level WARNING
zwgk makemigrations --check --dry-run
echo "== pytest (${ZWGK_DATABASE_URL:-sqlite})"
pytest "$@"
