"""Fresh PostgreSQL / MariaDB databases for the corpus (``adapter_t_badinput_<name>``), dropped after use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError

ADMIN = {
    "postgres": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql?charset=utf8mb4",
}
URL = {
    "postgres": "postgresql+psycopg://postgres@127.0.0.1:5432/{db}",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4",
}


@contextmanager
def server_database(kind: str, name: str) -> Iterator[str]:
    """A fresh, empty database on the local test server; skips with the reason when it is down."""
    db = f"adapter_t_badinput_{name}"
    admin = create_engine(ADMIN[kind], isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _drop(conn, kind, db)
            charset = (
                "ENCODING 'UTF8'"
                if kind == "postgres"
                else "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            conn.execute(text(f"CREATE DATABASE {db} {charset}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"{kind} server not reachable on 127.0.0.1 ({type(exc.orig).__name__})")
    try:
        yield URL[kind].format(db=db)
    finally:
        with admin.connect() as conn:
            _drop(conn, kind, db)
        admin.dispose()


def _drop(conn: Connection, kind: str, db: str) -> None:
    if kind == "postgres":
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"), {"db": db}
        )
    conn.execute(text(f"DROP DATABASE IF EXISTS {db}"))
