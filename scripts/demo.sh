#!/usr/bin/env bash
# README command 1: set up, then run the whole pipeline on the embedded defaults
# (demo HIS in SQLite, built-in gateway simulator, generated demo certificate).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/bhyt-adapter demo "$@"
