"""Open the registry on the adapter's own database, migrated."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from adapter.errors import ConfigError
from adapter.registry.store import RegistryStore


def open_registry(url: str) -> RegistryStore:
    """The registry store on ``url``, its schema brought to head by the Alembic chain (0003)."""
    from adapter.outbox.migrate import upgrade
    from adapter.outbox.open import make_engine

    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        # The URL may hold a password: name the failure, not the URL.
        raise ConfigError(f"cannot open the adapter database ({type(exc.orig).__name__})") from exc
    return RegistryStore(engine)
