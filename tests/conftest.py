"""Suite-wide hooks.

In CI (``CI=true``) or with ``ADAPTER_REQUIRE_SERVICES=1``, a test skipped because a
service or tool is missing fails the run: locally a skip is a clear message, in CI it
is a defect (PostgreSQL, MariaDB, SoftHSM2 and xmlsec1 are all installed there).
"""

from __future__ import annotations

import os

import pytest

_skipped: list[str] = []


def _strict() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or \
        os.environ.get("ADAPTER_REQUIRE_SERVICES") == "1"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and _strict() and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped and _strict():
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) skipped in CI, where every service must be present:", red=True)
        for line in _skipped:
            terminalreporter.write_line(f"  {line}", red=True)
