"""Alembic environment for the adapter's own database (every table on ``adapter.storage.metadata``).

Two ways in:

* programmatically: ``adapter.outbox.migrate.upgrade(engine)`` puts an open connection
  in ``config.attributes["connection"]`` and this file runs inside it;
* from the command line: ``alembic -c adapter/migrations/alembic.ini upgrade head``
  with the URL from ``-x url=...``, else ``sqlalchemy.url``, else the adapter settings
  (``ADAPTER_CONFIG`` / ``ADAPTER_DATABASE_URL``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from adapter.storage import load_all_tables

config = context.config
target_metadata = load_all_tables()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from adapter.settings import load_settings

    return load_settings().resolved_database_url()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",   # SQLite cannot ALTER most things
        compare_type=True,
    )


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
