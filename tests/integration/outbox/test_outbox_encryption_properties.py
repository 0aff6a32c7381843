"""The outbox state machine again, with payloads encrypted and keys rotated at random moments.

On top of the plain machine's invariants: every stored payload is an envelope under a key of
the current ring, every payload reads back, and after a rekey all of them are under the newest key.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant, rule
from sqlalchemy import select
from test_outbox_properties import OutboxMachine

from adapter.crypto import PayloadCipher, envelope_key_id, key_id
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import outbox_version


class EncryptedOutboxMachine(OutboxMachine):
    def __init__(self) -> None:
        super().__init__()
        self.keys = [os.urandom(32)]
        self.store = OutboxStore(self.engine, cipher=PayloadCipher(keys=self.keys))

    @rule()
    def rotate_and_rekey(self) -> None:
        self.keys = [os.urandom(32), *self.keys]
        self.store = OutboxStore(self.engine, cipher=PayloadCipher(keys=self.keys))
        self.store.rekey(actor="ops", reason="rotation", now=self._tick(), batch_size=2)
        self.keys = self.keys[:1]                       # the old key can go: nothing needs it any more
        self.store = OutboxStore(self.engine, cipher=PayloadCipher(keys=self.keys))
        assert self._key_ids() <= {key_id(self.keys[0])}

    def _key_ids(self) -> set[str | None]:
        with self.engine.connect() as c:
            rows = c.execute(select(outbox_version.c.unsigned_payload, outbox_version.c.signed_payload)).all()
        return {envelope_key_id(bytes(p)) for r in rows for p in r if p is not None}

    @invariant()
    def payloads_are_sealed_under_the_ring_and_readable(self) -> None:
        assert self._key_ids() <= {key_id(k) for k in self.keys}
        for item in self.store.list_items():
            payload = self.store.payload(item.id)
            assert payload is None or payload.startswith(b"<GIAMDINHHS>")


TestEncryptedOutboxMachine = EncryptedOutboxMachine.TestCase
TestEncryptedOutboxMachine.settings = settings(
    max_examples=10, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
