"""Drop folder: XML a HIS already exports is validated, signed, queued and sent; bad files are refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from adapter.bootstrap import bootstrap
from adapter.his.demo_data import generate
from adapter.mappers.envelope import build_checkin, build_claim, table_document
from adapter.mappers.policy import TablePolicy
from adapter.model import Facility
from adapter.outbox.values import ItemFilter

from .conftest import demo_settings


def test_exported_files_are_taken_in(tmp_path: Path, simulator: Any) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    facility = Facility(ma_cskcb="79001", name="BV Demo")
    encs = [g.encounter for g in generate(encounters=4, seed=3) if g.encounter.ngay_ra]
    claim = build_claim(encs[0], facility, "3176", created_on=date(2026, 11, 22), policy=TablePolicy())
    (inbox / "claim.xml").write_bytes(claim)
    (inbox / "checkin.xml").write_bytes(build_checkin(encs[1], "3176"))
    (inbox / "table.xml").write_bytes(table_document(2, encs[2], "3176", facility))
    (inbox / "broken.xml").write_bytes(claim[: len(claim) // 2])  # truncated export
    (inbox / "xxe.xml").write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                    b"<TONG_HOP>&x;</TONG_HOP>")

    settings = demo_settings(tmp_path / "work", tmp_path / "unused.sqlite")
    settings = settings.model_copy(update={"his": settings.his.model_copy(
        update={"url": None, "drop_folder": inbox, "drop_folder_settle_s": 0.0})})
    app = bootstrap(settings, base_url=simulator.base_url)
    try:
        simulator.state.register_certificate("79001", _pem(app))
        app.poll_his()
        done = sorted(p.name for p in (inbox / "done").glob("*.xml"))
        failed = sorted(p.name for p in (inbox / "failed").glob("*.xml"))
        assert done == ["checkin.xml", "claim.xml", "table.xml"]
        assert failed == ["broken.xml", "xxe.xml"]
        claim_report = json.loads((inbox / "done" / "claim.xml.report.json").read_text(encoding="utf-8"))
        assert json.dumps(claim_report).find(encs[0].patient.ho_ten) < 0      # ids only in reports
        kinds = {str(r.kind) for r in app.outbox.list_items(ItemFilter())}
        assert kinds == {"claim", "checkin"}
        assert app.drain().accepted == 2
    finally:
        app.close()


def _pem(app: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return app.signer().certificate.public_bytes(Encoding.PEM)  # type: ignore[no-any-return]
