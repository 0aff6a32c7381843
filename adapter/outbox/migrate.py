"""Run the adapter's Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` inside one transaction on ``bind``."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            _run(conn, revision)
    else:
        _run(bind, revision)


def _run(conn: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def current_revision(bind: Engine | Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return MigrationContext.configure(bind).get_current_revision()
