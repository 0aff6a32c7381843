"""The benchmarks' plumbing: data set-up, the naive baseline, verdicts. Never their timings."""

from __future__ import annotations

import base64
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import bench_memory
import bench_pipeline
import bench_startup
import bench_submit
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml.verifier import XMLVerifier

from adapter.his import demo_data
from adapter.signing.testing import ephemeral_key_material


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_large_backlogs_are_clones_under_new_ma_lks(tmp_path: Path) -> None:
    path = bench_pipeline.his_database(7, cache=tmp_path, base=3)
    assert _count(path, "SELECT COUNT(*) FROM his_encounter") == 9          # 3 copies of 3
    assert _count(path, "SELECT COUNT(DISTINCT ma_lk) FROM his_encounter") == 9
    base = tmp_path / f"demo-his-3-seed{bench_pipeline.SEED}.sqlite"
    drugs = "SELECT COUNT(*) FROM his_drug_line"
    assert _count(path, drugs) == 3 * _count(base, drugs)
    assert bench_pipeline.his_database(7, cache=tmp_path, base=3) == path   # cached, not rebuilt


def test_the_naive_baseline_builds_three_tables_and_a_valid_signature() -> None:
    key = ephemeral_key_material(datetime.now(UTC), ma_cskcb="79001")
    encounter = demo_data.generate(encounters=1, seed=3)[0].encounter
    signed = bench_pipeline.naive_claim(encounter, key)
    cert = key.certificate.public_bytes(Encoding.PEM).decode()
    result = XMLVerifier().verify(signed, x509_cert=cert)
    assert not isinstance(result, list)
    verified = result.signed_xml
    assert verified is not None
    files = {f.findtext("LOAIHOSO"): base64.b64decode(f.findtext("NOIDUNGFILE") or "")
             for f in verified.iter("FILEHOSO")}
    assert sorted(files) == ["XML1", "XML2", "XML3"]
    drugs = etree.fromstring(files["XML2"]).findall("DSACH_CHI_TIET_THUOC/CHI_TIET_THUOC")
    assert len(drugs) == len(encounter.drugs)


def _pipeline(one: float, naive_ms: float, two: float) -> dict[str, object]:
    return {"combined_per_s": one, "e2e_per_s": one, "naive_ms": naive_ms, "procs": 2, "mp_per_s": two}


@pytest.mark.parametrize(("one", "naive_ms", "verdict"), [(700.0, 2.0, "PASS"), (550.0, 2.0, "MISS"),
                                                          (700.0, 1.0, "MISS")])
def test_the_one_process_target_needs_600_per_second_and_beating_naive(one: float, naive_ms: float,
                                                                      verdict: str) -> None:
    rows = bench_pipeline.summary_rows(_pipeline(one, naive_ms, 1200.0))
    assert rows[0]["verdict"] == verdict
    assert rows[-1]["verdict"] == "PASS"


def test_submit_verdicts_follow_cpu_and_the_best_drain() -> None:
    def run(name: str, per_s: float, cpu: float) -> dict[str, object]:
        return {"name": name, "files_per_s": per_s, "cpu_ms_per_file": cpu}

    result = {"runs": [run("naive", 0.5, 3.0), run("outbox drain, c=8", 4.0, 0.8),
                       run("outbox drain, c=32", 15.5, 1.2)]}
    rows = {r["measure"]: r["verdict"] for r in bench_submit.summary_rows(result)}
    assert rows["submit: outbox drain, c=8 client CPU"] == "PASS"
    assert rows["submit: outbox drain, c=32 client CPU"] == "MISS"
    assert rows["submit: best outbox drain (c=32)"] == "PASS"


def test_memory_is_flat_within_ten_percent_and_15_mb() -> None:
    assert bench_memory.flat([{"drain_mb": 120.0}, {"drain_mb": 140.0}])
    assert not bench_memory.flat([{"drain_mb": 120.0}, {"drain_mb": 160.0}])


def test_importtime_report_keeps_top_level_modules_only() -> None:
    report = ("import time: self [us] | cumulative | imported package\n"
              "import time:       100 |        300 |   re\n"
              "import time:       200 |        900 | argparse\n"
              "import time:        50 |       4000 | adapter.cli.main\n")
    assert bench_startup.top_level_imports(report) == [("adapter.cli.main", 0.004), ("argparse", 0.0009)]
