"""Migration 0003 creates exactly the tables of ``adapter.registry.store``.

The revision is run on its own (through Alembic's Operations) so that a difference points
at this revision; ``test_chain_to_head_creates_the_registry`` runs the real chain.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, MetaData, inspect

from adapter.registry.store import all_tables

REVISION = Path(__file__).resolve().parents[3] / "adapter" / "migrations" / "versions" / "0003_registry.py"


def _revision() -> ModuleType:
    spec = importlib.util.spec_from_file_location("registry_revision_0003", REVISION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _only_registry() -> MetaData:
    target = MetaData(naming_convention=all_tables()[0].metadata.naming_convention)
    for table in all_tables():
        table.to_metadata(target)
    return target


def test_revision_chain_position() -> None:
    module = _revision()
    assert (module.revision, module.down_revision) == ("0003", "0002")


def test_migrated_schema_equals_the_store_tables(engine: Engine) -> None:
    module = _revision()
    with engine.begin() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        with Operations.context(context):
            module.upgrade()
        diff = compare_metadata(context, _only_registry())
    assert diff == []
    with engine.begin() as conn:
        with Operations.context(MigrationContext.configure(conn)):
            module.downgrade()
    assert not set(inspect(engine).get_table_names()) & {t.name for t in all_tables()}


def test_chain_to_head_creates_the_registry(engine: Engine) -> None:
    from adapter.outbox.migrate import current_revision, upgrade

    upgrade(engine)
    assert current_revision(engine) is not None
    assert {t.name for t in all_tables()} <= set(inspect(engine).get_table_names())
