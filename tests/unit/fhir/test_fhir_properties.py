"""Property tests: any encounter builds; validation passes or names a problem (DataError only)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from fhir_fixtures import GENERATED_AT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapter.errors import DataError
from adapter.mappers.fhir import FhirPolicy, build_bundle, validate_bundle
from adapter.mappers.fhir.demo import demo_encounter, demo_facility
from adapter.model import DrugLine, LabResult

TEXT = st.one_of(st.none(), st.text(max_size=30),
                 st.sampled_from(["<b>&amp;]]>", "Nguyễn\u0301", "HIV", "a\tb\nc", " "]))
CODE = st.one_of(st.none(), st.sampled_from(["1", "2", "3", "5", "8", "01", "03", "99", "", "K35.8", "b20"]))
ICDS = st.one_of(st.none(), st.lists(st.sampled_from(["K35.8", "I10", "B20", "Z21", "E11.9", "x"]),
                                     max_size=4).map(";".join))


@st.composite
def encounters(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    base = demo_encounter(with_hiv=draw(st.booleans()))
    drug = DrugLine(ma_thuoc=draw(CODE), ten_thuoc=draw(TEXT), lieu_dung=draw(TEXT), duong_dung=draw(CODE),
                    so_luong=draw(st.one_of(st.none(), st.decimals(0, 1000, places=3))))
    lab = LabResult(ma_dich_vu=draw(CODE), ten_chi_so=draw(TEXT), gia_tri=draw(TEXT), don_vi_do=draw(TEXT),
                    ket_luan=draw(TEXT))
    return replace(base, ly_do_vv=draw(TEXT), chan_doan_rv=draw(TEXT), ma_benh_chinh=draw(ICDS),
                   ma_benh_kt=draw(ICDS), ket_qua_dtri=draw(CODE), ma_loai_rv=draw(CODE),
                   ngay_tai_kham=draw(st.one_of(st.none(), st.text(max_size=20))),
                   can_nang=draw(st.one_of(st.none(), st.decimals(0, 300, places=2))),
                   drugs=(*base.drugs, drug), lab_results=(*base.lab_results, lab))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(enc=encounters(), include_hiv=st.booleans())
def test_any_encounter_builds_and_validation_only_ever_raises_data_error(enc, include_hiv) -> None:  # type: ignore[no-untyped-def]
    policy = FhirPolicy(include_hiv=include_hiv)
    bundle = build_bundle(enc, demo_facility(), policy=policy, generated_at=GENERATED_AT)
    assert json.loads(json.dumps(bundle)) == bundle
    try:
        validate_bundle(bundle)
    except DataError as exc:
        assert exc.rule.startswith("FHIR-") and exc.field
    if not include_hiv:
        lines = json.dumps(bundle, ensure_ascii=False, indent=0).splitlines()
        leaks = [line for line in lines if "B20" in line or "Z21" in line or "HIV" in line.upper()]
        assert leaks == []


def test_decimal_values_stay_exact_in_json() -> None:
    enc = replace(demo_encounter(), can_nang=Decimal("3.25"))
    bundle = build_bundle(enc, demo_facility(), policy=FhirPolicy(), generated_at=GENERATED_AT)
    assert '"value": 3.25' in json.dumps(bundle)
