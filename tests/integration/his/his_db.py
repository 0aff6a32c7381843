"""Server databases for the HIS tests (a module of its own: other areas also have a ``conftest``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MARIA_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/mysql?charset=utf8mb4"


@contextmanager
def server_database(kind: str, name: str) -> Iterator[str]:
    """A fresh database URL on the PostgreSQL or MariaDB test server."""
    db = f"adapter_t_his_{name}"
    admin_url = PG_ADMIN if kind == "postgres" else MARIA_ADMIN
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _recreate(conn, kind, db)
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"{kind} server not reachable on 127.0.0.1 ({type(exc.orig).__name__})")
    try:
        if kind == "postgres":
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
        else:
            yield f"mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4"
    finally:
        with admin.connect() as conn:
            _drop(conn, kind, db)
        admin.dispose()


def _drop(conn: Connection, kind: str, db: str) -> None:
    if kind == "postgres":
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
                     {"db": db})
    conn.execute(text(f"DROP DATABASE IF EXISTS {db}"))


def _recreate(conn: Connection, kind: str, db: str) -> None:
    _drop(conn, kind, db)
    if kind == "postgres":
        conn.execute(text(f"CREATE DATABASE {db} ENCODING 'UTF8'"))
    else:
        conn.execute(text(f"CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
