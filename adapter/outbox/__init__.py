"""The durable outbox: one item per (facility, MA_LK, document kind), versions, attempts, audit.

Public API (import from the modules; this package imports nothing itself, so the pure
modules stay free of SQLAlchemy):

* ``states``: ``Status``, ``TRANSITIONS``, ``check(frm, to)``, ``route_new_version(...)`` (pure)
* ``retry``: ``RetryPolicy.decide(error, attempts, now, rng) -> Decision`` (pure)
* ``values``: ``NewVersion``, ``EnqueueResult``, ``ClaimedItem``, ``ItemFilter``, ...
* ``store``: ``OutboxStore(engine, replacement_policy=..., cipher=...)``; payload columns are
  sealed with ``adapter.crypto`` (``NullCipher`` when encryption is off); ``rekey(...)``
* ``worker``: ``Worker(...).drain(...) -> DrainReport``
* ``open``: ``make_engine(url)``, ``open_store(settings)``, ``sending_facilities(settings)``,
  ``permission_problems(settings) -> list[str]``
* ``rekey``: ``rekey(engine, cipher, actor=, reason=, now=, batch_size=) -> RekeyReport``
* ``migrate``: ``upgrade(engine_or_connection, revision="head")``
"""
