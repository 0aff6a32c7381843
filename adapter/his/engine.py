"""Engines for a HIS database: URL handling, read-only sessions, error translation.

The adapter never writes to a hospital database. The read-only engine enforces it
three ways: SQLite is opened with ``mode=ro``; PostgreSQL sessions start with
``default_transaction_read_only`` and a ``statement_timeout``; MariaDB/MySQL
sessions run ``SET SESSION TRANSACTION READ ONLY`` and ``max_statement_time``.
"""

from __future__ import annotations

import codecs
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from adapter.errors import ConfigError, DataError, SourceUnavailable

if TYPE_CHECKING:
    from typing_extensions import Buffer  # typeshed's; collections.abc.Buffer from Python 3.12


def to_url(target: str | Path) -> URL:
    """A SQLAlchemy URL from a URL string or a plain SQLite file path."""
    text = str(target)
    if "://" in text:
        try:
            return make_url(text)
        except sa_exc.ArgumentError as exc:
            raise ConfigError("the HIS database URL cannot be parsed") from exc
    return make_url(f"sqlite:///{Path(text).as_posix()}")


def _decode_lenient(raw: bytes) -> str:
    # Invalid UTF-8 in one SQLite cell must not fail the whole batch: keep the bad bytes as
    # surrogates; the reader reports them against the one encounter that holds them.
    return raw.decode("utf-8", errors="surrogateescape")


# PyMySQL decodes every text column with ``connection.encoding`` and strict errors; one
# invalid cell (MariaDB keeps e.g. ED A0 80, a UTF-16 surrogate, in utf8mb4) raises mid-result
# and leaves the protocol stream out of step, so the whole batch and every later poll fail.
# A codec of our own, strict UTF-8 on the way out and surrogateescape on the way in, makes
# that cell read like SQLite's: the reader reports HIS_BAD_UTF8 against its encounter.
LENIENT_UTF8 = "adapter_utf8_surrogateescape"
_UTF8 = codecs.lookup("utf-8")


def _lenient_decode(data: Buffer, _errors: str = "strict", /) -> tuple[str, int]:
    raw = bytes(data)
    return raw.decode("utf-8", "surrogateescape"), len(raw)


def _find_lenient(name: str) -> codecs.CodecInfo | None:
    if name != LENIENT_UTF8:
        return None
    return codecs.CodecInfo(name=LENIENT_UTF8, encode=_UTF8.encode, decode=_lenient_decode)


@cache
def _register_lenient_codec() -> None:
    codecs.register(_find_lenient)      # once per process; lookups of other names fall through


def writable_engine(target: str | Path) -> Engine:
    """An engine that may create tables (demo HIS generators and tests only)."""
    url = to_url(target)
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() in ("mysql", "mariadb"):
        kwargs["insertmanyvalues_page_size"] = 100       # stay under max_allowed_packet
        url = url.update_query_dict({"charset": "utf8mb4"})
    return create_engine(url, **kwargs)


def readonly_engine(target: str | Path, *, statement_timeout_s: float = 30.0) -> Engine:
    """The engine the adapter reads a HIS through: read-only sessions with a statement timeout."""
    url = to_url(target)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_readonly(url)
    if backend == "postgresql":
        ms = int(statement_timeout_s * 1000)
        opts = f"-c default_transaction_read_only=on -c statement_timeout={ms}"
        return create_engine(url, pool_pre_ping=True, connect_args={"options": opts})
    if backend in ("mysql", "mariadb"):
        engine = create_engine(url.update_query_dict({"charset": "utf8mb4"}), pool_pre_ping=True,
                               pool_recycle=3600)
        _on_connect(engine, ("SET SESSION TRANSACTION READ ONLY",
                             f"SET SESSION max_statement_time={float(statement_timeout_s)}"))
        if url.get_driver_name() == "pymysql":
            _lenient_pymysql(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_readonly(url: URL) -> Engine:
    path = url.database or ""
    if path in ("", ":memory:"):
        raise ConfigError("a read-only HIS source needs a SQLite file, not an in-memory database")
    # as_uri() percent-encodes spaces, '#' and '?', and writes file:///C:/... on Windows.
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _text(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.text_factory = _decode_lenient

    return engine


def _lenient_pymysql(engine: Engine) -> None:
    _register_lenient_codec()

    @event.listens_for(engine, "connect")
    def _lenient(dbapi_conn: Any, _record: Any) -> None:
        if str(getattr(dbapi_conn, "encoding", "")).replace("-", "").lower() in ("utf8", "utf8mb4"):
            dbapi_conn.encoding = LENIENT_UTF8


def _on_connect(engine: Engine, statements: tuple[str, ...]) -> None:
    @event.listens_for(engine, "connect")
    def _setup(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for statement in statements:
            cur.execute(statement)
        cur.close()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for one batch; database failures become the adapter's errors.

    Operational failures (server down, connection lost, timeout) are retryable
    ``SourceUnavailable``; a profile query that the database refuses (missing table or
    column) is a ``ConfigError`` an operator must fix; text the driver cannot decode is a
    ``DataError`` (rule HIS_BAD_UTF8), never a ``ConfigError``.
    """
    try:
        with engine.connect() as conn:
            try:
                yield conn
            except UnicodeDecodeError as exc:
                # A driver without a lenient decoder met invalid text: the cell is wrong, not
                # the profile, and the connection's protocol state is unknown: never reuse it.
                conn.invalidate()
                raise DataError("HIS text is not valid UTF-8", rule="HIS_BAD_UTF8") from exc
            conn.rollback()
    except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError) as exc:
        raise SourceUnavailable(f"HIS database unavailable: {_reason(exc)}") from exc
    except sa_exc.ProgrammingError as exc:
        raise ConfigError(f"HIS profile query failed: {_reason(exc)}") from exc
    except sa_exc.DBAPIError as exc:
        if exc.connection_invalidated:
            raise SourceUnavailable("HIS database connection lost") from exc
        # Data-conversion errors can quote a cell value: name the type only.
        raise ConfigError(f"HIS profile query failed ({type(exc.orig).__name__})") from exc


def _reason(exc: Exception) -> str:
    """The driver's first message line (server/table/column names, no row data)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).splitlines()
    return (lines[0] if lines else type(orig).__name__)[:200]
