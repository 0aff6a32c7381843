"""The adapter's own database: one ``MetaData`` that every store defines its tables on.

Tables are defined in the store modules (``adapter.outbox.store``,
``adapter.his.state``, ``adapter.registry.store``); ``TABLE_MODULES`` lists them so
that Alembic and the schema test see every table. Migrations live in
``adapter/migrations`` (chain: 0001 outbox, 0002 his state, 0003 registry).
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

TABLE_MODULES: tuple[str, ...] = (
    "adapter.outbox.store",
    "adapter.his.state",
    "adapter.registry.store",
)


def load_all_tables() -> MetaData:
    """Import every store module so that all tables are on ``metadata``."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return metadata
