"""Use cases. They depend on small ports and pure functions, never on concrete engines or clients.

* ``ClaimPreparer`` turns one extracted encounter into the next outbox version:
  map -> validate -> (blocking issues: needs-fix, unsigned) or sign + self-verify.
* ``Extraction`` polls a HIS source from its watermark and enqueues every prepared
  version in the SAME transaction that advances the watermark: a crash at any point
  loses nothing and queues nothing twice.
* ``CheckinPreparer`` does the same for XML0 check-ins.

Logs carry MA_LK, rule codes and counts; never patient data.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from adapter.errors import AdapterError, DataError, RetryableError
from adapter.model import Encounter, Facility
from adapter.ports import Clock, DocumentKind, Extracted, HisSource, Signer, Watermark
from adapter.validation.issues import Issue, Severity

log = logging.getLogger(__name__)

# Each produced table as (document bytes, rows as element name -> text), by table number.
Tables = dict[int, tuple[bytes, tuple[dict[str, str], ...]]]
Validator = Callable[[Tables, str, str], Sequence[Issue]]   # tables, profile, MA_LK


class VersionSink(Protocol):
    """Where prepared versions go (the outbox store), in a transaction shared with the watermark."""

    def transaction(self) -> Any: ...

    def enqueue(self, new: Any, *, now: Any, conn: Any = None) -> Any: ...


class WatermarkPort(Protocol):
    def get(self, ma_cskcb: str, source: str) -> Watermark: ...

    def advance(self, ma_cskcb: str, source: str, mark: Watermark, *, conn: Any) -> None: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class Prepared:
    """What the pipeline made of one encounter, ready for the outbox."""

    ma_cskcb: str
    ma_lk: str
    kind: DocumentKind
    profile: str
    content_hash: str
    unsigned: bytes
    signed: bytes | None
    cert_fingerprint: str | None
    issues: tuple[Issue, ...]

    @property
    def blocking(self) -> bool:
        return any(i.blocking for i in self.issues)


def content_hash(document: bytes) -> str:
    """SHA-256 of the unsigned document minus its creation date, so unchanged content hashes the same."""
    return hashlib.sha256(_without_creation_date(document)).hexdigest()


def _without_creation_date(document: bytes) -> bytes:
    start = document.find(b"<NGAYLAP>")
    if start < 0:
        return document
    end = document.find(b"</NGAYLAP>", start)
    return document[:start] + document[end:] if end > 0 else document


def extraction_issues(extracted: Extracted) -> tuple[Issue, ...]:
    """HIS row errors as blocking issues, located by record and field."""
    return tuple(
        Issue(rule=e.rule or "HIS_ROW_INVALID", severity=Severity.BLOCKING, table="HIS", field=e.field,
              ma_lk=extracted.ma_lk, message_vi="Dữ liệu HIS không hợp lệ", message_en=str(e))
        for e in extracted.errors)


@dataclass(kw_only=True)
class ClaimPreparer:
    """map -> validate -> sign for claim envelopes (GIAMDINHHS).

    The tables are validated as the documents they are (each parsed once, safely), then
    wrapped: the envelope itself is built by code whose structure the tests pin down.
    """

    facility: Facility
    signer: Signer
    validator: Validator
    build_tables: Callable[..., Tables]
    wrap: Callable[[str, date, Tables], bytes]
    choose_profile: Callable[[Encounter], str]
    policy: Any
    clock: Clock
    text_scan: Callable[[Encounter, str, Iterable[int]], Sequence[Issue]] | None = None

    def prepare(self, extracted: Extracted) -> Prepared:
        if extracted.encounter is None:
            return self._held(extracted)
        enc = extracted.encounter
        profile = self.choose_profile(enc)
        tables = self.build_tables(enc, self.facility, profile, self.policy)
        issues = tuple(self.validator(tables, profile, enc.ma_lk))
        if self.text_scan is not None:
            # What the normaliser removed or recomposed is no longer visible in the documents.
            issues += tuple(self.text_scan(enc, profile, tables.keys()))
        unsigned = self.wrap(self.facility.ma_cskcb, self.clock.now().date(), tables)
        blocking = any(i.blocking for i in issues)
        signed = None if blocking else self.signer.sign(unsigned)
        return Prepared(ma_cskcb=enc.ma_cskcb, ma_lk=enc.ma_lk, kind=DocumentKind.CLAIM, profile=profile,
                        content_hash=content_hash(unsigned), unsigned=unsigned, signed=signed,
                        cert_fingerprint=None if signed is None else self.signer.certificate_fingerprint,
                        issues=issues)

    def _held(self, extracted: Extracted) -> Prepared:
        issues = extraction_issues(extracted)
        marker = "|".join(f"{i.rule}:{i.field}" for i in issues).encode()
        return Prepared(ma_cskcb=extracted.ma_cskcb, ma_lk=extracted.ma_lk, kind=DocumentKind.CLAIM,
                        profile="", content_hash=hashlib.sha256(marker).hexdigest(), unsigned=b"",
                        signed=None, cert_fingerprint=None, issues=issues)


@dataclass(kw_only=True)
class HealthBook:
    """The electronic health-book record (FHIR R4B bundle) of each encounter, beside its claim.

    Written to a folder, queued for a FHIR endpoint, or both. A bundle that fails our
    checks is never written or sent; its claim is not affected.
    """

    build: Callable[[Encounter], dict[str, Any]]
    validate: Callable[[dict[str, Any]], None]
    to_bytes: Callable[[dict[str, Any]], bytes]
    write: Callable[[str, bytes], None] | None = None
    enqueue: bool = False

    def prepare(self, encounter: Encounter) -> Prepared | None:
        from adapter.errors import DataError

        try:
            bundle = self.build(encounter)
            self.validate(bundle)
        except DataError as exc:
            log.warning("health-book record not produced ma_lk=%s rule=%s field=%s",
                        encounter.ma_lk, exc.rule, exc.field)
            if not self.enqueue:
                return None
            issue = Issue(rule=exc.rule or "FHIR_INVALID", severity=Severity.BLOCKING, table="FHIR",
                          field=exc.field, ma_lk=encounter.ma_lk,
                          message_vi="Bản ghi sổ sức khỏe không hợp lệ",
                          message_en=str(exc))
            return self._prepared(encounter, b"", (issue,))
        payload = self.to_bytes(bundle)
        if self.write is not None:
            self.write(encounter.ma_lk, payload)
        return self._prepared(encounter, payload, ()) if self.enqueue else None

    @staticmethod
    def _prepared(encounter: Encounter, payload: bytes, issues: tuple[Issue, ...]) -> Prepared:
        digest = hashlib.sha256(payload or repr([i.rule for i in issues]).encode()).hexdigest()
        return Prepared(ma_cskcb=encounter.ma_cskcb, ma_lk=encounter.ma_lk, kind=DocumentKind.FHIR,
                        profile="R4B", content_hash=digest, unsigned=payload,
                        signed=payload if payload else None, cert_fingerprint=None, issues=issues)


@dataclass(kw_only=True)
class PollReport:
    """Counts of one poll of a HIS source."""

    extracted: int = 0
    queued: int = 0
    needs_fix: int = 0
    unchanged: int = 0
    failed: int = 0
    ma_lks: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Extraction:
    """Polls one HIS source for one facility and enqueues what it prepares, transactionally."""

    source: HisSource
    source_name: str
    ma_cskcb: str
    watermarks: WatermarkPort
    sink: VersionSink
    preparer: ClaimPreparer
    to_version: Callable[[Prepared], Any]
    clock: Clock
    batch_size: int = 200
    health_book: HealthBook | None = None

    def poll(self, *, max_batches: int | None = None) -> PollReport:
        report = PollReport()
        batches = 0
        while max_batches is None or batches < max_batches:
            mark = self.watermarks.get(self.ma_cskcb, self.source_name)
            batch = list(self.source.finished_since(mark, limit=self.batch_size))
            if not batch:
                break
            self._commit_batch(batch, report)
            batches += 1
        return report

    def _commit_batch(self, batch: Sequence[tuple[Extracted, Watermark]], report: PollReport) -> None:
        prepared = [self._prepare(extracted, report) for extracted, _ in batch]
        if self.health_book is not None:
            prepared += [self.health_book.prepare(e.encounter) for e, _ in batch if e.encounter is not None]
        now = self.clock.now()
        with self.sink.transaction() as conn:
            for item in prepared:
                if item is not None:
                    self._enqueue(item, now, conn, report)
            self.watermarks.advance(self.ma_cskcb, self.source_name, batch[-1][1], conn=conn)

    def _prepare(self, extracted: Extracted, report: PollReport) -> Prepared | None:
        report.extracted += 1
        try:
            return self.preparer.prepare(extracted)
        except RetryableError:
            # The token is unplugged or busy: stop this poll without advancing the watermark,
            # so the whole batch is prepared again on the next run. Nothing is lost or held.
            raise
        except AdapterError as exc:
            # A signing or mapping failure for one encounter must not block the batch:
            # it is held as needs-fix with the reason (no patient data in the message).
            report.failed += 1
            log.warning("prepare failed ma_lk=%s error=%s", extracted.ma_lk, type(exc).__name__)
            located = isinstance(exc, DataError)
            issue = Issue(rule=(exc.rule if located else "") or "PREPARE_FAILED",  # type: ignore[attr-defined]
                          severity=Severity.BLOCKING, table="ENVELOPE",
                          field=exc.field if located else "",  # type: ignore[attr-defined]
                          ma_lk=extracted.ma_lk, message_vi="Không lập hoặc ký được hồ sơ",
                          message_en=f"{type(exc).__name__}: {exc}")
            return Prepared(ma_cskcb=extracted.ma_cskcb, ma_lk=extracted.ma_lk, kind=DocumentKind.CLAIM,
                            profile="", content_hash=hashlib.sha256(str(exc).encode()).hexdigest(),
                            unsigned=b"", signed=None, cert_fingerprint=None, issues=(issue,))

    def _enqueue(self, item: Prepared, now: Any, conn: Any, report: PollReport) -> None:
        result = self.sink.enqueue(self.to_version(item), now=now, conn=conn)
        if item.kind is not DocumentKind.CLAIM:
            return
        if not getattr(result, "created", True):
            report.unchanged += 1
        elif item.blocking:
            report.needs_fix += 1
            log.info("needs fix ma_lk=%s rules=%s", item.ma_lk,
                     ",".join(sorted({i.rule for i in item.issues if i.blocking})))
        else:
            report.queued += 1
            report.ma_lks.append(item.ma_lk)


@dataclass(kw_only=True)
class CheckinReport:
    due: int = 0
    queued: int = 0
    skipped: int = 0


@dataclass(kw_only=True)
class Checkins:
    """XML0 check-ins: after the first cost, and again at admission to treatment care (spec §1.2).

    Each due event is built, signed and queued in the transaction that marks it sent,
    so a crash neither loses nor duplicates a check-in.
    """

    trigger: Any                    # adapter.his.checkin.CheckinTrigger
    source: HisSource
    marks: Any                      # adapter.his.state.WatermarkStore (mark_checkin)
    sink: VersionSink
    signer: Signer
    build_checkin: Callable[..., bytes]
    choose_profile: Callable[[Encounter], str]
    to_version: Callable[[Prepared], Any]
    clock: Clock
    ma_cskcb: str

    def send(self, since: Any) -> CheckinReport:
        report = CheckinReport()
        events = self.trigger.checkins_due(since)
        report.due = len(events)
        found = {e.ma_lk: e.encounter for e in self.source.encounters(sorted({ev.ma_lk for ev in events}))}
        now = self.clock.now()
        with self.sink.transaction() as conn:
            for event in events:
                encounter = found.get(event.ma_lk)
                if encounter is None:
                    report.skipped += 1
                    log.warning("check-in skipped ma_lk=%s: encounter not readable", event.ma_lk)
                    continue
                version = self.to_version(self._prepare(encounter, event.inpatient))
                self.sink.enqueue(version, now=now, conn=conn)
                self.marks.mark_checkin(self.ma_cskcb, event.ma_lk, event.stage, conn=conn, at=now)
                report.queued += 1
        return report

    def _prepare(self, encounter: Encounter, inpatient: bool) -> Prepared:
        profile = self.choose_profile(encounter)
        unsigned = self.build_checkin(encounter, profile, inpatient=inpatient)
        signed = self.signer.sign(unsigned)
        kind = DocumentKind.CHECKIN_INPATIENT if inpatient else DocumentKind.CHECKIN
        return Prepared(ma_cskcb=encounter.ma_cskcb, ma_lk=encounter.ma_lk, kind=kind, profile=profile,
                        content_hash=content_hash(unsigned), unsigned=unsigned, signed=signed,
                        cert_fingerprint=self.signer.certificate_fingerprint, issues=())


@dataclass(kw_only=True)
class DropImport:
    """Files a HIS already exports, taken from a drop folder: validated, signed and queued.

    A whole ``GIAMDINHHS`` file becomes a claim, an XML0 file a check-in; a lone table can
    only be validated (the gateway takes one episode per envelope). A file with blocking
    issues is refused with its located issues in the report beside it; nothing is queued.
    """

    ma_cskcb: str
    validate: Callable[[bytes], Any]          # -> ValidationReport (kind, ma_lk, profile, issues)
    prepare_slot: Callable[[bytes], bytes]    # unsigned document with an empty CHUKYDONVI last
    signer: Signer
    sink: VersionSink
    to_version: Callable[[Prepared], Any]
    clock: Clock

    def __call__(self, name: str, data: bytes) -> Any:
        from adapter.his.drop_folder import DropVerdict

        report = self.validate(data)
        issues = [i.as_dict() for i in report.issues]
        details = {"kind": report.kind, "ma_lk": report.ma_lk, "profile": report.profile, "issues": issues}
        kind = {"GIAMDINHHS": DocumentKind.CLAIM, "XML0": DocumentKind.CHECKIN}.get(report.kind)
        if report.blocking or kind is None or not report.ma_lk:
            why = "blocking issues" if report.blocking else "not a whole envelope or check-in: validated only"
            return DropVerdict(ok=not report.blocking and kind is None, details={**details, "queued": False,
                                                                                   "reason": why})
        unsigned = self.prepare_slot(data)
        signed = self.signer.sign(unsigned)
        item = Prepared(ma_cskcb=self.ma_cskcb, ma_lk=report.ma_lk, kind=kind, profile=report.profile,
                        content_hash=content_hash(unsigned), unsigned=unsigned, signed=signed,
                        cert_fingerprint=self.signer.certificate_fingerprint, issues=tuple(report.issues))
        with self.sink.transaction() as conn:
            result = self.sink.enqueue(self.to_version(item), now=self.clock.now(), conn=conn)
        return DropVerdict(ok=True, details={**details, "queued": True,
                                             "outbox_item": getattr(result, "item_id", None)})


def issues_as_dicts(issues: Iterable[Issue]) -> tuple[dict[str, Any], ...]:
    return tuple(i.as_dict() for i in issues)
