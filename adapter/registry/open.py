"""Open the registry on the adapter's own database, migrated."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import OperationalError

from adapter.errors import ConfigError
from adapter.registry.store import RegistryStore

_REVISION = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0003_registry.py"


def open_registry(url: str) -> RegistryStore:
    """The registry store on ``url``: the Alembic chain to head, then the registry tables.

    While revision 0003 is parked (it needs 0002 first) the tables are created directly;
    once 0003 is in the chain, Alembic alone creates them.
    """
    from adapter.outbox.migrate import upgrade
    from adapter.outbox.open import make_engine

    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        # The URL may hold a password: name the failure, not the URL.
        raise ConfigError(f"cannot open the adapter database ({type(exc.orig).__name__})") from exc
    store = RegistryStore(engine)
    if not _REVISION.exists():
        store.create_tables()
    return store
