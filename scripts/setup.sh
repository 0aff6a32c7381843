#!/usr/bin/env bash
# Set up everything the adapter and its tests need on a fresh Debian/Ubuntu machine:
# system packages (xmlsec1, SoftHSM2, OpenSC) when missing and running as root, a
# virtual environment in .venv, and the package with its development extras.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
need_pkgs=()
command -v xmlsec1 >/dev/null 2>&1 || need_pkgs+=(xmlsec1)
command -v softhsm2-util >/dev/null 2>&1 || need_pkgs+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need_pkgs+=(opensc)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_pkgs[*]} from Debian packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: missing ${need_pkgs[*]}; install them (sudo apt-get install ${need_pkgs[*]})." >&2
    echo "setup: tests that need them will be skipped locally (and fail in CI)." >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.adapter-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing the package and its development tools into .venv (log: .venv/pip-install.log)" >&2
  if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"; } \
       > .venv/pip-install.log 2>&1; then
    tail -n 40 .venv/pip-install.log >&2
    echo "setup: pip install failed (full log: .venv/pip-install.log)" >&2
    exit 1
  fi
  .venv/bin/python -c "import adapter, lxml, signxml, sqlalchemy, httpx, pkcs11"
  echo "$want" > "$stamp"
fi
