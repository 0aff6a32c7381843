"""The use cases with doubles passed in through constructors (no patching of our code)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from adapter.errors import CertificateError, DataError, SignerUnavailable
from adapter.model import Encounter, Facility, Patient
from adapter.ports import DocumentKind, Extracted, FixedClock, Watermark
from adapter.services import ClaimPreparer, Extraction, Prepared, content_hash
from adapter.validation.issues import Issue, Severity

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def encounter(ma_lk: str) -> Encounter:
    patient = Patient(ma_bn="1", ho_ten="Nguyễn Văn A", ngay_sinh=datetime(1990, 1, 1), gioi_tinh="1")
    return Encounter(ma_lk=ma_lk, ma_cskcb="79001", patient=patient, ma_loai_kcb="01", ma_doituong_kcb="1.1",
                     ngay_vao=datetime(2026, 11, 20, 8), ngay_ra=datetime(2026, 11, 20, 9))


class Signer:
    def __init__(self, error: Exception | None = None) -> None:
        self.error, self.signed = error, 0

    @property
    def certificate_fingerprint(self) -> str:
        return "ab" * 32

    def sign(self, document: bytes) -> bytes:
        if self.error is not None:
            raise self.error
        self.signed += 1
        return document.replace(b"<CHUKYDONVI/>", b"<CHUKYDONVI><Signature/></CHUKYDONVI>")


def tables(enc: Encounter, facility: Facility, profile: str, policy: Any) -> dict[int, Any]:
    return {1: (f"<TONG_HOP><MA_LK>{enc.ma_lk}</MA_LK></TONG_HOP>".encode(), ({"MA_LK": enc.ma_lk},))}


def wrap(code: str, on: date, files: dict[int, Any]) -> bytes:
    day = on.isoformat().encode()
    return b"<GIAMDINHHS><NGAYLAP>" + day + b"</NGAYLAP>" + files[1][0] + b"<CHUKYDONVI/></GIAMDINHHS>"


def no_issues(t: Mapping[int, Any], profile: str, ma_lk: str) -> Sequence[Issue]:
    return []


def blocking_for(bad: str) -> Any:
    def validate(t: Mapping[int, Any], profile: str, ma_lk: str) -> Sequence[Issue]:
        return [Issue(rule="FIELD_REQUIRED", severity=Severity.BLOCKING, table="XML1", field="HO_TEN",
                      ma_lk=ma_lk)] if ma_lk == bad else []
    return validate


def preparer(signer: Signer, validator: Any = no_issues) -> ClaimPreparer:
    return ClaimPreparer(facility=Facility(ma_cskcb="79001", name="BV"), signer=signer, validator=validator,
                         build_tables=tables, wrap=wrap, choose_profile=lambda e: "3176", policy=None,
                         clock=FixedClock(at=NOW))


class Source:
    def __init__(self, items: list[Extracted]) -> None:
        self.items = items

    def finished_since(self, mark: Watermark, *, limit: int) -> Iterator[tuple[Extracted, Watermark]]:
        start = int(mark.ma_lk or 0)
        for n, item in enumerate(self.items[start:start + limit], start=start + 1):
            yield item, Watermark(changed_at=NOW, ma_lk=str(n))

    def encounters(self, ma_lks: Sequence[str]) -> list[Extracted]:
        return [i for i in self.items if i.ma_lk in ma_lks]


class Marks:
    def __init__(self) -> None:
        self.mark = Watermark()

    def get(self, ma_cskcb: str, source: str) -> Watermark:
        return self.mark

    def advance(self, ma_cskcb: str, source: str, mark: Watermark, *, conn: Any) -> None:
        conn.append(("advance", mark.ma_lk))
        self.pending = mark


class Sink:
    """An outbox double: a transaction is a list of operations, committed only when the block ends."""

    def __init__(self, marks: Marks) -> None:
        self.committed: list[Any] = []
        self.marks = marks

    @contextlib.contextmanager
    def transaction(self) -> Iterator[list[Any]]:
        ops: list[Any] = []
        yield ops
        self.committed.extend(ops)
        self.marks.mark = self.marks.pending

    def enqueue(self, new: Prepared, *, now: Any, conn: Any = None) -> Any:
        conn.append(new)
        return type("R", (), {"created": True})()


def extraction(items: list[Extracted], signer: Signer, validator: Any = no_issues) -> tuple[Extraction, Sink]:
    marks = Marks()
    sink = Sink(marks)
    return Extraction(source=Source(items), source_name="his", ma_cskcb="79001", watermarks=marks, sink=sink,
                      preparer=preparer(signer, validator), to_version=lambda p: p, clock=FixedClock(at=NOW),
                      batch_size=2), sink


def ok(ma_lk: str) -> Extracted:
    return Extracted(ma_lk=ma_lk, ma_cskcb="79001", encounter=encounter(ma_lk))


def test_content_hash_ignores_the_creation_date() -> None:
    a = wrap("79001", date(2026, 1, 1), {1: (b"<X/>", ())})
    b = wrap("79001", date(2026, 1, 2), {1: (b"<X/>", ())})
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(wrap("79001", date(2026, 1, 1), {1: (b"<Y/>", ())}))


def test_clean_encounters_are_signed_and_queued_with_the_watermark() -> None:
    job, sink = extraction([ok("A"), ok("B"), ok("C")], Signer())
    report = job.poll()
    assert (report.extracted, report.queued, report.needs_fix) == (3, 3, 0)
    queued = [op for op in sink.committed if isinstance(op, Prepared)]
    assert all(p.signed and b"<Signature/>" in p.signed for p in queued)
    assert ("advance", "3") in sink.committed


def test_blocking_issue_holds_only_that_encounter_unsigned() -> None:
    signer = Signer()
    job, sink = extraction([ok("A"), ok("B")], signer, blocking_for("B"))
    report = job.poll()
    assert (report.queued, report.needs_fix) == (1, 1)
    held = next(p for p in sink.committed if isinstance(p, Prepared) and p.ma_lk == "B")
    assert held.signed is None and held.blocking and held.issues[0].field == "HO_TEN"
    assert signer.signed == 1


def test_his_row_errors_become_located_blocking_issues() -> None:
    bad = Extracted(ma_lk="X", ma_cskcb="79001", encounter=None,
                    errors=(DataError("impossible date", record="X", field="NGAY_RA", rule="HIS_DATE"),))
    job, sink = extraction([bad, ok("A")], Signer())
    report = job.poll()
    assert (report.queued, report.needs_fix) == (1, 1)
    held = next(p for p in sink.committed if isinstance(p, Prepared) and p.ma_lk == "X")
    assert (held.issues[0].rule, held.issues[0].table, held.issues[0].field) == ("HIS_DATE", "HIS", "NGAY_RA")
    assert held.kind is DocumentKind.CLAIM


def test_a_permanent_signing_refusal_is_held_with_its_reason() -> None:
    job, sink = extraction([ok("A")], Signer(CertificateError("certificate expired")))
    report = job.poll()
    assert report.failed == 1 and report.needs_fix == 1
    held = next(p for p in sink.committed if isinstance(p, Prepared))
    assert held.issues[0].rule == "PREPARE_FAILED" and "CertificateError" in held.issues[0].message_en


def test_an_unplugged_token_stops_the_poll_without_moving_the_watermark() -> None:
    job, sink = extraction([ok("A"), ok("B")], Signer(SignerUnavailable("token absent")))
    with pytest.raises(SignerUnavailable):
        job.poll()
    assert sink.committed == []            # nothing queued, watermark not advanced: retried next poll
