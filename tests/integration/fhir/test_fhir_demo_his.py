"""Bundles of every encounter of a generated demo HIS, and the CLI run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fhir_receiver import Receiver, running_receiver

from adapter.cli.main import main
from adapter.his.demo import generate_demo_his
from adapter.his.engine import readonly_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.mappers.fhir import FhirPolicy, build_bundle, validate_bundle
from adapter.mappers.fhir.demo import demo_facility
from adapter.model import Encounter
from adapter.ports import Watermark

AT = "2026-03-09T11:00:00+07:00"


@pytest.fixture(scope="module")
def his_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fhir_his") / "his.db"
    generate_demo_his(f"sqlite:///{path}", encounters=40, seed=7)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def encounters(his_url: str) -> list[Encounter]:
    engine = readonly_engine(his_url)
    try:
        source = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001")
        found = [x.encounter for x, _ in source.finished_since(Watermark(), limit=100)]
    finally:
        engine.dispose()
    return [e for e in found if e is not None]


def test_every_demo_encounter_gives_a_valid_deterministic_bundle(encounters: list[Encounter]) -> None:
    assert len(encounters) >= 30
    for enc in encounters:
        first = build_bundle(enc, demo_facility(), policy=FhirPolicy(), generated_at=datetime(2026, 3, 9))
        validate_bundle(first)
        again = build_bundle(enc, demo_facility(), policy=FhirPolicy(), generated_at=datetime(2026, 3, 9))
        assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
        assert json.loads(json.dumps(first)) == first


def _cli(args: list[str], his_url: str, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTER_")}
    environ.update(ADAPTER_HIS__URL=his_url, ADAPTER_WORKDIR=str(tmp), **env)
    return subprocess.run([sys.executable, "-m", "adapter.cli.main", "fhir", *args], env=environ,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.mark.slow
def test_the_cli_prints_a_valid_bundle_and_the_same_one_twice(
        encounters: list[Encounter], his_url: str, tmp_path: Path) -> None:
    ma_lk = encounters[-1].ma_lk
    printed = _cli([ma_lk, "--generated-at", AT], his_url, tmp_path)
    assert printed.returncode == 0, printed.stderr
    bundle: dict[str, Any] = json.loads(printed.stdout)
    validate_bundle(bundle)
    assert bundle["timestamp"] == AT
    enc_ids = [e["resource"]["identifier"][0]["value"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "Encounter"]
    assert enc_ids == [ma_lk]
    [org] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert org["name"] == "Bệnh viện Đa khoa Demo Sài Gòn"      # the HIS facility row, not a default
    out = tmp_path / "b.json"
    assert main(["fhir", ma_lk, "--generated-at", AT, "--out", str(out), "--url", his_url]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == bundle


def test_an_unknown_encounter_exits_1_naming_only_the_key(
        his_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fhir", "NO-SUCH-LK", "--url", his_url]) == 1
    captured = capsys.readouterr()
    assert "NO-SUCH-LK" in captured.err and "FHIR-NOT-FOUND" in captured.err
    assert captured.out == ""


@pytest.mark.slow
def test_the_cli_sends_to_the_configured_endpoint(
        encounters: list[Encounter], his_url: str, tmp_path: Path, receiver: Receiver) -> None:
    ma_lk = encounters[0].ma_lk
    out = tmp_path / "sent.json"
    result = _cli([ma_lk, "--generated-at", AT, "--out", str(out), "--send", "--mode", "transaction"],
                  his_url, tmp_path, ADAPTER_FHIR__ENDPOINT=receiver.base_url)
    assert result.returncode == 0, result.stderr
    [got] = receiver.received
    assert got.path == "/fhir" and got.body["type"] == "transaction"
    sent = json.loads(out.read_text(encoding="utf-8"))
    assert [e["resource"] for e in got.body["entry"]] == [e["resource"] for e in sent["entry"]]


def test_sending_without_an_endpoint_is_a_configuration_error(
        encounters: list[Encounter], his_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x.json")
    code = main(["fhir", encounters[0].ma_lk, "--send", "--out", out, "--url", his_url])
    assert code == 2
    assert "endpoint" in capsys.readouterr().err


def test_a_vendor_schema_without_a_facility_query_uses_the_configured_facility(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from adapter.his.vendor import generate_vendor_his

    url = f"sqlite:///{tmp_path / 'vendor.db'}"
    generate_vendor_his(url, encounters=6, seed=5, ma_cskcb="79001", start=None)
    facilities = '[{"ma_cskcb": "79001", "name": "BV Cấu hình", "username": "u"}]'
    monkeypatch.setenv("ADAPTER_FACILITIES", facilities)
    engine = readonly_engine(url)
    try:
        source = SqlHisSource(engine, SourceProfile.load("vendor_xml130"), ma_cskcb="79001")
        ma_lk = next(x.ma_lk for x, _ in source.finished_since(Watermark(), limit=10) if x.encounter)
    finally:
        engine.dispose()
    assert main(["fhir", ma_lk, "--url", url, "--profile", "vendor_xml130", "--generated-at", AT]) == 0
    bundle = json.loads(capsys.readouterr().out)
    validate_bundle(bundle)
    [org] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert org["name"] == "BV Cấu hình"
