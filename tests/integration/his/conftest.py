"""Databases for the HIS reader tests: a temp SQLite file, or a fresh PostgreSQL/MariaDB database.

Server databases are named ``adapter_t_his_<name>``, created for the test and dropped after.
A missing server skips the test with the reason (the suite-wide hook turns that into a
failure in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from his_db import server_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("mariadb", marks=pytest.mark.mariadb)])
def his_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty HIS database on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "his.db")
        return
    with server_database(request.param, request.node.name.split("[")[0][-20:].lower()) as url:
        yield url
