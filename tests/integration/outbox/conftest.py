"""Fixtures for the outbox: real SQLite files and a real PostgreSQL database, and a scripted gateway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from adapter.outbox.open import make_engine
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import OUTBOX_TABLES
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.ports import DocumentKind
from adapter.storage import metadata

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def now() -> datetime:
    return NOW


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


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{(tmp_path / 'outbox.db').as_posix()}")
    create_outbox_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(sqlite_engine: Engine) -> OutboxStore:
    return OutboxStore(sqlite_engine)


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_ADMIN, connect_args={"connect_timeout": 2})
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    if not _pg_available():
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is not reachable")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = "adapter_t_outbox"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", pool_size=10)
    yield engine
    engine.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def make_version() -> Callable[..., NewVersion]:
    return new_version
