"""02/DM submission: real demo certificate, real outbox, verified by the independent xmlsec1."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from registry_samples import FACILITY, STAFF
from sqlalchemy import Engine

from adapter.outbox.migrate import upgrade
from adapter.outbox.store import OutboxStore
from adapter.ports import DocumentKind, SystemClock
from adapter.registry.service import catalogue_key, staff_catalogue, submit_catalogue
from adapter.registry.staff_xml import parse_staff_catalogue, structure_problems
from adapter.registry.store import RegistryStore
from adapter.signing.config import SigningSettings
from adapter.signing.factory import build_signer, load_key_material

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)


def _registry(engine: Engine) -> RegistryStore:
    upgrade(engine)  # the real migration chain creates the outbox and registry tables
    store = RegistryStore(engine)
    store.sync_practitioners(STAFF, ma_cskcb="48001", effective=TODAY, now=NOW)
    store.save_facility(FACILITY, effective=date(2020, 1, 1), now=NOW)
    return store


@pytest.mark.xmlsec1
def test_signed_catalogue_is_queued_once_and_verifies(sqlite_engine: Engine, tmp_path: Path) -> None:
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 CLI not installed (Debian package xmlsec1)")
    store = _registry(sqlite_engine)
    settings = SigningSettings(kind="demo")
    signer = build_signer(
        settings, workdir=tmp_path, ma_cskcb="48001", facility_name=FACILITY.name, clock=SystemClock()
    )
    document = staff_catalogue(store, ma_cskcb="48001", since=TODAY, created_on=TODAY)
    outbox = OutboxStore(sqlite_engine)
    first = submit_catalogue(outbox, signer, document, ma_cskcb="48001", created_on=TODAY, now=NOW)
    again = submit_catalogue(outbox, signer, document, ma_cskcb="48001", created_on=TODAY, now=NOW)
    assert first.created and not again.created and again.item_id == first.item_id
    item = outbox.list_items()[0]
    assert (item.kind, item.ma_lk) == (DocumentKind.STAFF.value, catalogue_key(TODAY))
    signed = outbox.payload(first.item_id)
    assert signed is not None
    assert structure_problems(signed) == []
    assert len(parse_staff_catalogue(signed)) == 3
    cert = tmp_path / "trusted.pem"
    material = load_key_material(settings, workdir=tmp_path, ma_cskcb="48001", facility_name=FACILITY.name)
    cert.write_bytes(material.certificate.public_bytes(serialization.Encoding.PEM))
    doc = tmp_path / "signed.xml"
    doc.write_bytes(signed)
    result = subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(cert), str(doc)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    doc.write_bytes(signed.replace("Trần Thị Bác Sĩ".encode(), "Trần Thị Bác Sỹ".encode()))
    tampered = subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(cert), str(doc)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert tampered.returncode != 0
