"""Open the outbox from settings: the engine (with SQLite made safe for a queue) and migrations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from adapter.errors import ConfigError
from adapter.outbox.migrate import upgrade
from adapter.outbox.store import OutboxStore
from adapter.settings import Settings


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the adapter's own DB. SQLite: WAL, busy timeout, BEGIN IMMEDIATE."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    # Every call has a timeout: a dead database must fail the job, not hang the service.
    connect_args: dict[str, Any] = kwargs.pop("connect_args", {})
    if url.startswith(("mysql", "mariadb")):
        kwargs.setdefault("insertmanyvalues_page_size", 100)   # stay under max_allowed_packet
        connect_args = {"connect_timeout": 10, "read_timeout": 120, "write_timeout": 120} | connect_args
    elif url.startswith("postgresql"):
        connect_args = {"connect_timeout": 10} | connect_args
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    memory = ":memory:" in url or url in ("sqlite://", "sqlite:///")
    connect_args: dict[str, Any] = {"timeout": 30}
    if memory:
        # One shared connection: every pooled connection to ":memory:" would be a new, empty DB.
        kwargs.setdefault("poolclass", StaticPool)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Take the write lock at BEGIN: two claimers serialise instead of failing on upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_store(settings: Settings, *, migrate: bool = True) -> OutboxStore:
    """The outbox on ``settings.resolved_database_url()``, migrated to head."""
    if settings.database_url is None:          # the default SQLite file lives in the workdir
        settings.workdir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        try:
            upgrade(engine)
        except OperationalError as exc:
            # The URL may hold a password: name the failure, not the URL.
            raise ConfigError(f"cannot open the adapter database ({type(exc.orig).__name__})") from exc
    return OutboxStore(engine, replacement_policy=settings.outbox.replacement_policy)


def sending_facilities(settings: Settings) -> set[str]:
    """Facilities whose account has sending enabled (the DB pause switch is applied by the store)."""
    return {f.ma_cskcb for f in settings.facilities if f.sending_enabled}
