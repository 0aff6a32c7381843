#!/usr/bin/env bash
# Make sure the database servers the integration tests use answer on 127.0.0.1; start the
# local ones when they are installed but stopped (as root). Never fails: a test that needs
# a missing server skips locally with the reason, and fails in CI (tests/conftest.py).
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432 && [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
  done
fi
if ! port_open 3306 && [ "$(id -u)" = "0" ] && [ -x /usr/sbin/mariadbd ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do port_open 3306 && break; sleep 0.5; done
fi
for p in 5432:PostgreSQL 3306:MariaDB; do
  port_open "${p%%:*}" && echo "services: ${p#*:} answers on 127.0.0.1:${p%%:*}" \
    || echo "services: ${p#*:} is not reachable on 127.0.0.1:${p%%:*}; its tests will skip (fail in CI)"
done
exit 0
