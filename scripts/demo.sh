#!/usr/bin/env bash
# Install, create the SQLite database under ./var, load the demo data and serve
# the platform at http://127.0.0.1:8000 (the demo logins are printed first).
set -euo pipefail
. "$(dirname "$0")/venv.sh"
export ZWGK_DEBUG="${ZWGK_DEBUG:-1}"
zwgk migrate --noinput
zwgk demo
exec zwgk runserver "${ZWGK_ADDR:-127.0.0.1:8000}"
