"""Helpers shared by the outbox tests (a uniquely named module: test folders have no __init__.py,
so ``conftest`` is not importable by name when several folders run together)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text

from adapter.outbox.open import make_engine
from adapter.outbox.tables import OUTBOX_TABLES
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.ports import DocumentKind
from adapter.storage import metadata

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MARIA_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/mysql"


def new_version(
    ma_lk: str = "LK1",
    body: str = "v1",
    *,
    kind: DocumentKind = DocumentKind.CLAIM,
    signed: bool = True,
    blocking: bool = False,
    facility: str = "79001",
) -> NewVersion:
    unsigned = f"<GIAMDINHHS><MA_LK>{ma_lk}</MA_LK><X>{body}</X></GIAMDINHHS>".encode()
    return NewVersion(
        ma_cskcb=facility,
        ma_lk=ma_lk,
        kind=kind,
        profile="3176",
        content_hash=sha256_hex(unsigned),
        unsigned=unsigned,
        signed=unsigned + b"<!--sig-->" if signed else None,
        cert_fingerprint="ab:cd" if signed else None,
        issues=({"rule": "R1", "severity": "blocking", "table": "XML1", "field": "T_BHTT"},)
        if blocking
        else (),
        blocking=blocking,
    )


def create_outbox_tables(engine: Engine) -> None:
    """Only the outbox tables: store tests must not depend on other areas' migrations.

    The migration chain itself is exercised in test_migrations.py.
    """
    metadata.create_all(engine, tables=[metadata.tables[name] for name in OUTBOX_TABLES])


def _reachable(url: str) -> bool:
    try:
        eng = create_engine(url, connect_args={"connect_timeout": 2})
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


SERVERS = {
    "postgres": (
        PG_ADMIN,
        "postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
        'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        'CREATE DATABASE "{name}"',
    ),
    "mariadb": (
        MARIA_ADMIN,
        "mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4",
        "DROP DATABASE IF EXISTS `{name}`",
        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4",
    ),
}


@contextmanager
def server_database(kind: str, name: str) -> Iterator[Engine]:
    """A fresh database on a real server, dropped afterwards; skips if the server is not there."""
    admin_url, url, drop, create = SERVERS[kind]
    if not _reachable(admin_url):
        pytest.skip(f"{kind} server is not reachable on 127.0.0.1")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(drop.format(name=name)))
        c.execute(text(create.format(name=name)))
    engine = make_engine(url.format(name=name), pool_size=10)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(drop.format(name=name)))
        admin.dispose()


def empty_outbox_tables(engine: Engine) -> None:
    """Delete every outbox row and restart the ids at 1 (tests name items by id)."""
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text(f"TRUNCATE {', '.join(OUTBOX_TABLES)} RESTART IDENTITY CASCADE"))
            return
        if engine.dialect.name in ("mysql", "mariadb"):
            c.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
            for table in OUTBOX_TABLES:
                c.execute(text(f"TRUNCATE TABLE {table}"))
            c.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
            return
        for table in reversed(metadata.sorted_tables):
            if table.name in OUTBOX_TABLES:
                c.execute(table.delete())
