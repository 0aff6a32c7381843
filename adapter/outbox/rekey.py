"""Key rotation: re-encrypt stored payloads with the current key, in batches, each batch audited.

A batch is one transaction: its re-encrypted rows and its audit row commit together, so
an interrupted rekey leaves every row readable (old or new key) and can simply be run
again. Each UPDATE is conditional on the bytes read and on the version not being pruned,
so a concurrent prune or signature is never overwritten by a stale copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, select, tuple_, update

from adapter.crypto import Cipher, associated_data, envelope_key_id
from adapter.errors import ConfigError
from adapter.outbox import actions
from adapter.outbox.tables import outbox_version

log = logging.getLogger(__name__)

_COLUMNS = (("unsigned", "unsigned_payload"), ("signed", "signed_payload"))


@dataclass(frozen=True, kw_only=True, slots=True)
class RekeyReport:
    key_id: str
    scanned: int          # versions holding at least one payload
    rewritten: int        # payload columns re-encrypted (or encrypted for the first time)
    batches: int

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def rekey(engine: Engine, cipher: Cipher, *, actor: str, reason: str, now: datetime,
          batch_size: int = 50) -> RekeyReport:
    """Seal every payload not already sealed with ``cipher.current_key_id``."""
    kid = cipher.current_key_id
    if kid is None:
        raise ConfigError("encryption is off (outbox.encryption_key_files is empty): nothing to rekey")
    after: tuple[int, int] = (0, 0)
    scanned = rewritten = batches = 0
    while True:
        with engine.begin() as c:
            rows = _batch(c, after, batch_size)
            if not rows:
                break
            done = sum(_rekey_row(c, cipher, kid, r) for r in rows)
            if done:
                batches += 1
                actions.audit(c, now=now, actor=actor, action="rekey", reason=reason,
                              detail={"key_id": kid, "payloads": done,
                                      "from": [rows[0].item_id, rows[0].version],
                                      "to": [rows[-1].item_id, rows[-1].version]})
        scanned += len(rows)
        rewritten += done
        after = (rows[-1].item_id, rows[-1].version)
    log.info("outbox rekey key=%s scanned=%s rewritten=%s batches=%s", kid, scanned, rewritten, batches)
    return RekeyReport(key_id=kid, scanned=scanned, rewritten=rewritten, batches=batches)


def _batch(c: Connection, after: tuple[int, int], size: int) -> list[Any]:
    v = outbox_version.c
    return list(c.execute(
        select(v.item_id, v.version, v.unsigned_payload, v.signed_payload)
        .where(tuple_(v.item_id, v.version) > tuple_(*after),
               v.pruned_at.is_(None), or_(v.unsigned_payload.is_not(None), v.signed_payload.is_not(None)))
        .order_by(v.item_id, v.version).limit(size)).all())


def _rekey_row(c: Connection, cipher: Cipher, kid: str, r: Any) -> int:
    done = 0
    for label, name in _COLUMNS:
        stored = getattr(r, name)
        if stored is None or envelope_key_id(bytes(stored)) == kid:
            continue
        aad = associated_data(r.item_id, r.version, label)
        plain = cipher.decrypt(bytes(stored), aad=aad,
                               what=f"outbox item {r.item_id} version {r.version} ({label} payload)")
        column = outbox_version.c[name]
        done += c.execute(update(outbox_version).where(and_(
            outbox_version.c.item_id == r.item_id, outbox_version.c.version == r.version,
            outbox_version.c.pruned_at.is_(None), column == stored,
        )).values({name: cipher.encrypt(plain, aad=aad)})).rowcount
    return done
