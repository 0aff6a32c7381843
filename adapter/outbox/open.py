"""Open the outbox from settings: the engine (with SQLite made safe for a queue) and migrations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from adapter.crypto import cipher_from_files, exposed, private_dir, touch_private
from adapter.errors import ConfigError
from adapter.outbox.migrate import upgrade
from adapter.outbox.store import OutboxStore
from adapter.settings import Settings

log = logging.getLogger(__name__)


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
    """The outbox on ``settings.resolved_database_url()``, migrated to head, payloads sealed if asked."""
    cipher = cipher_from_files(settings.outbox.encryption_key_files)   # a bad key file fails first
    url = settings.resolved_database_url()
    if settings.database_url is None:          # the default SQLite file lives in the workdir
        private_dir(settings.workdir)
    _create_private_sqlite(url)
    for problem in permission_problems(settings):
        log.warning("insecure permissions: %s", problem)
    engine = make_engine(url)
    if migrate:
        try:
            upgrade(engine)
        except OperationalError as exc:
            # The URL may hold a password: name the failure, not the URL.
            raise ConfigError(f"cannot open the adapter database ({type(exc.orig).__name__})") from exc
    return OutboxStore(engine, replacement_policy=settings.outbox.replacement_policy, cipher=cipher)


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _create_private_sqlite(url: str) -> None:
    # SQLite creates the -wal, -shm and -journal files with the mode of the database file,
    # so creating the database 0600 ourselves keeps all of them private (POSIX).
    path = sqlite_path(url)
    if path is not None:
        private_dir(path.parent)
        touch_private(path)


def permission_problems(settings: Settings) -> list[str]:
    """Secret-bearing files readable by group/others (POSIX; always empty on Windows, where the
    installer sets ACLs). Messages name paths only, never contents."""
    return [p for path in _secret_paths(settings) if (p := exposed(path)) is not None]


def _secret_paths(settings: Settings) -> list[Path]:
    signing = settings.signing
    paths = [*settings.outbox.encryption_key_files,
             *(f.password_file for f in settings.facilities if f.password_file is not None),
             *(p for p in (signing.password_file, signing.pkcs11_pin_file, signing.pkcs12_path,
                           signing.pem_key_path) if p is not None)]
    db = sqlite_path(settings.resolved_database_url())
    if db is not None:
        paths += [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    return [p for p in paths if p.exists()]


def sending_facilities(settings: Settings) -> set[str]:
    """Facilities whose account has sending enabled (the DB pause switch is applied by the store)."""
    return {f.ma_cskcb for f in settings.facilities if f.sending_enabled}
