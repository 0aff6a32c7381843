"""Codes used by claims (files and the outbox) feed the catalogue usage part of the report."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from pathlib import Path

from registry_samples import DOCTOR, FACILITY, NURSE, STAFF
from sqlalchemy import Engine

from adapter.outbox.migrate import upgrade
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.ports import DocumentKind, SystemClock
from adapter.registry.quality import quality_report
from adapter.registry.report import claim_codes, claim_codes_from_outbox
from adapter.signing.config import SigningSettings
from adapter.signing.factory import build_signer

XML3 = (
    "<CHITIEU_CHITIET_DVKT_VTYT><DSACH_CHI_TIET_DVKT>"
    f"<CHI_TIET_DVKT><MA_LK>LK1</MA_LK><STT>1</STT><MA_BAC_SI>{DOCTOR.code}.HD.48002</MA_BAC_SI>"
    f"<NGUOI_THUC_HIEN>{NURSE.code};000555/DNA-GPHN</NGUOI_THUC_HIEN></CHI_TIET_DVKT>"
    "</DSACH_CHI_TIET_DVKT></CHITIEU_CHITIET_DVKT_VTYT>"
)


def envelope() -> bytes:
    b64 = base64.b64encode(XML3.encode()).decode()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS><THONGTINDONVI><MACSKCB>48001</MACSKCB>'
        "</THONGTINDONVI><THONGTINHOSO><NGAYLAP>20250602</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO>"
        f"<DANHSACHHOSO><HOSO><FILEHOSO><LOAIHOSO>XML3</LOAIHOSO><NOIDUNGFILE>{b64}</NOIDUNGFILE></FILEHOSO>"
        "</HOSO></DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>"
    ).encode()


EXPECTED = {DOCTOR.code, NURSE.code, "000555/DNA-GPHN"}


def test_codes_from_envelope_and_table_files(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "env.xml").write_bytes(envelope())
    (tmp_path / "xml3.xml").write_bytes(XML3.encode())
    assert claim_codes([tmp_path / "claims"]) == EXPECTED
    assert claim_codes([tmp_path / "xml3.xml"]) == EXPECTED


def test_codes_from_signed_claims_in_the_outbox(sqlite_engine: Engine, tmp_path: Path) -> None:
    upgrade(sqlite_engine)
    outbox = OutboxStore(sqlite_engine)
    signer = build_signer(
        SigningSettings(kind="demo"),
        workdir=tmp_path,
        ma_cskcb="48001",
        facility_name="x",
        clock=SystemClock(),
    )
    document = envelope()
    outbox.enqueue(
        NewVersion(
            ma_cskcb="48001",
            ma_lk="LK1",
            kind=DocumentKind.CLAIM,
            profile="3176",
            content_hash=sha256_hex(document),
            unsigned=document,
            signed=signer.sign(document),
            cert_fingerprint=signer.certificate_fingerprint,
        ),
        now=datetime(2026, 11, 22, tzinfo=UTC),
    )
    used = claim_codes_from_outbox(outbox, ma_cskcb="48001")
    assert used == EXPECTED
    assert claim_codes_from_outbox(outbox, ma_cskcb="79001") == set()
    findings = quality_report(FACILITY, STAFF, today=date(2026, 11, 22), used=used)
    assert {(f.rule, f.practitioner) for f in findings if f.rule.startswith(("CLAIM", "CATALOGUE"))} == {
        ("CLAIM_CODE_NOT_IN_CATALOGUE", "000555/DNA-GPHN"),
        ("CATALOGUE_ROW_UNUSED", "000465/HCM-GPHN"),
    }
