#!/usr/bin/env bash
# README command 2: set up, then run the gates and the whole test suite against the
# real services of this machine (PostgreSQL, MariaDB, SoftHSM2, xmlsec1).
# With CI=true a test skipped for a missing service fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
echo "== ruff" && .venv/bin/ruff check adapter tests scripts bench
echo "== mypy (strict)" && .venv/bin/mypy adapter
echo "== import contracts" && .venv/bin/lint-imports
echo "== generated files are current"
.venv/bin/python scripts/gen_model_tables.py --check || { echo "adapter/model_tables.py is stale: run scripts/gen_model_tables.py"; exit 1; }
echo "== pytest"
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
