"""One extraction pass: read changed visits, keep new versions, advance the watermark, atomically.

``extract_changed`` reads from a :class:`~adapter.ports.HisSource` after the stored
watermark and calls ``handle(extracted, digest, conn)`` for every visit that is new
or changed (``digest`` = content hash) and for every visit that could not be read
(``digest`` = None, ``extracted.errors`` set). The handler enqueues (outbox) on the
SAME connection; the content hash and the watermark are written in that transaction,
committed every ``commit_every`` visits. A crash rolls back the enqueues and the
watermark together: nothing is lost, nothing is sent twice.

A visit that could not be read does not hold the watermark back: it is reported, and
re-read when the HIS fixes it (its ``updated_at`` then moves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import Connection, Engine

from adapter.his.state import WatermarkStore, content_hash
from adapter.ports import Extracted, HisSource, Watermark

log = logging.getLogger(__name__)

Handler = Callable[[Extracted, str | None, Connection], None]


@dataclass(frozen=True, kw_only=True, slots=True)
class ExtractionResult:
    read: int
    new_versions: int
    unchanged: int
    unreadable: int
    watermark: Watermark


def extract_changed(source: HisSource, store: WatermarkStore, adapter_engine: Engine, *, ma_cskcb: str,
                    source_name: str, handle: Handler, limit: int = 10_000,
                    commit_every: int = 100) -> ExtractionResult:
    """Read up to ``limit`` changed visits; see the module docstring for the guarantees."""
    mark = store.get(ma_cskcb, source_name)
    counts = {"read": 0, "new": 0, "same": 0, "bad": 0}
    items = source.finished_since(mark, limit=limit)
    while chunk := list(islice(items, commit_every)):
        with adapter_engine.begin() as conn:
            for extracted, _after in chunk:
                counts[_one(store, extracted, conn, ma_cskcb, handle)] += 1
                counts["read"] += 1
            store.advance(ma_cskcb, source_name, chunk[-1][1], conn=conn)
        mark = chunk[-1][1]
    log.info("extraction %s/%s: %d read, %d new version(s), %d unchanged, %d unreadable", ma_cskcb,
             source_name, counts["read"], counts["new"], counts["same"], counts["bad"])
    return ExtractionResult(read=counts["read"], new_versions=counts["new"], unchanged=counts["same"],
                            unreadable=counts["bad"], watermark=mark)


def _one(store: WatermarkStore, extracted: Extracted, conn: Connection, ma_cskcb: str,
         handle: Handler) -> str:
    if extracted.encounter is None:
        handle(extracted, None, conn)
        return "bad"
    digest = content_hash(extracted.encounter)
    if not store.record_extracted(ma_cskcb, extracted.ma_lk, digest, conn=conn,
                                  source_version=extracted.source_version):
        return "same"
    handle(extracted, digest, conn)
    return "new"

