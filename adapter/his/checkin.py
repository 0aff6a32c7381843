"""Check-in triggers (XML0, spec §1.2): which open or finished visits need a check-in now.

A check-in is due after the FIRST cost line of a visit, and again after admission to
inpatient / day-care / outpatient-treatment care (``NGAY_VAO_NOI_TRU`` set). None for
emergencies (``MA_DOITUONG_KCB`` = "2", QĐ 4750 Art. 2). Which check-ins were already
queued is kept in the adapter database (``his_checkin_sent``); the caller marks each
event with :meth:`WatermarkStore.mark_checkin` in the transaction that enqueues it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from adapter.his import profile as q
from adapter.his.assemble import lower_keys
from adapter.his.convert import BadValue, to_datetime
from adapter.his.engine import reading
from adapter.his.profile import SourceProfile
from adapter.his.state import STAGE_FIRST, STAGE_INPATIENT, WatermarkStore

EMERGENCY = "2"
TREATMENT_TYPES = frozenset({"02", "03", "04", "06", "09"})   # QĐ 824 codes with a treatment department


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckinEvent:
    ma_lk: str
    inpatient: bool                     # the second check-in, at admission to treatment care
    first_cost_at: datetime | None = None
    changed_at: datetime | None = None

    @property
    def stage(self) -> str:
        return STAGE_INPATIENT if self.inpatient else STAGE_FIRST


class CheckinTrigger:
    """Finds due check-ins of one facility through the profile's ``checkins`` query."""

    def __init__(self, engine: Engine, profile: SourceProfile, store: WatermarkStore, *,
                 ma_cskcb: str) -> None:
        self._engine, self._profile, self._store, self._ma_cskcb = engine, profile, store, ma_cskcb

    def checkins_due(self, since: datetime) -> list[CheckinEvent]:
        """Events for visits changed since ``since`` that have a cost line and no check-in yet."""
        if not self._profile.has(q.CHECKINS):
            return []
        rows = self._rows(since)
        sent = self._store.sent_checkins(self._ma_cskcb, [str(r["ma_lk"]) for r in rows])
        events: list[CheckinEvent] = []
        for row in rows:
            events += [e for e in _events(row) if (e.ma_lk, e.stage) not in sent]
        return events

    def _rows(self, since: datetime) -> list[dict[str, object]]:
        statement = self._profile.statement(q.CHECKINS, self._engine.dialect.name)
        used = self._profile.parameters(q.CHECKINS, self._engine.dialect.name)
        params = {k: v for k, v in {"ma_cskcb": self._ma_cskcb, "since_changed": since}.items() if k in used}
        with reading(self._engine) as conn:
            return [lower_keys(r) for r in conn.execute(statement, params).mappings()]


def _when(value: object) -> datetime | None:
    try:
        return to_datetime(value) if value not in (None, "") else None
    except BadValue:
        return None


def _events(row: dict[str, object]) -> list[CheckinEvent]:
    ma_lk = str(row.get("ma_lk") or "")
    if not ma_lk or str(row.get("ma_doituong_kcb") or "") == EMERGENCY:
        return []
    costs = [t for t in (_when(row.get("first_drug_at")), _when(row.get("first_service_at"))) if t]
    first = min(costs) if costs else None
    changed = _when(row.get("updated_at"))
    events = [CheckinEvent(ma_lk=ma_lk, inpatient=False, first_cost_at=first, changed_at=changed)]
    if _when(row.get("ngay_vao_noi_tru")) and str(row.get("ma_loai_kcb") or "") in TREATMENT_TYPES:
        events.append(CheckinEvent(ma_lk=ma_lk, inpatient=True, first_cost_at=first, changed_at=changed))
    return events
