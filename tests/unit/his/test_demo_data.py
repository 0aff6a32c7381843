"""The demo HIS data: deterministic, realistic, and money/bed-day rules of spec §4.3 respected."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, is_dataclass
from datetime import datetime
from decimal import Decimal

import pytest

from adapter.his import demo_data
from adapter.his.demo_data import GeneratedEncounter, generate
from adapter.his.state import content_hash
from adapter.model import DrugLine, ServiceLine
from adapter.money import episode_totals, line_amounts

CARD = re.compile(r"^(?P<group>[A-Z]{2})(?P<benefit>[1-5])(?P<province>\d{2})\d{10}$")
ICD10 = re.compile(r"^[A-Z]\d{2}(?:\.\d{1,3})?$")
BED_GROUPS = ("14", "15", "16")


@pytest.fixture(scope="module")
def demo() -> list[GeneratedEncounter]:
    return generate(encounters=400, seed=7)


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, tuple):
        return [s for item in obj for s in _strings(item)]
    if is_dataclass(obj) and not isinstance(obj, type):
        return [s for f in fields(obj) for s in _strings(getattr(obj, f.name))]
    return []


def test_same_seed_same_encounters_other_seed_differs() -> None:
    first = [content_hash(g.encounter) for g in generate(encounters=30, seed=11)]
    again = [content_hash(g.encounter) for g in generate(encounters=30, seed=11)]
    other = [content_hash(g.encounter) for g in generate(encounters=30, seed=12)]
    assert first == again
    assert first != other


def test_every_text_is_nfc_and_names_have_diacritics(demo: list[GeneratedEncounter]) -> None:
    texts = [s for g in demo for s in _strings(g.encounter)]
    assert all(unicodedata.is_normalized("NFC", s) for s in texts)
    assert any(not g.encounter.patient.ho_ten.isascii() for g in demo)


def test_cccd_structure_matches_birth_year_and_sex(demo: list[GeneratedEncounter]) -> None:
    checked = 0
    for g in demo:
        p = g.encounter.patient
        if p.so_cccd is None:
            continue
        assert re.fullmatch(r"\d{12}", p.so_cccd)
        digit, yy = int(p.so_cccd[3]), int(p.so_cccd[4:6])
        assert 1900 + 100 * (digit // 2) + yy == p.ngay_sinh.year
        assert (digit % 2 == 0) == (p.gioi_tinh == "1")
        checked += 1
    assert checked > 300


def test_cards_are_15_characters_with_dkbd_and_validity(demo: list[GeneratedEncounter]) -> None:
    insured = [g.encounter for g in demo if g.encounter.cards]
    assert 0 < len(insured) < len(demo)          # a few visits without BHYT
    for e in insured:
        card = e.cards[0]
        assert CARD.fullmatch(card.ma_the_bhyt)
        assert re.fullmatch(r"\d{5}", card.ma_dkbd)
        assert card.gt_the_den is not None and card.gt_the_tu <= e.ngay_vao.date() <= card.gt_the_den


def test_visit_types_and_diagnoses(demo: list[GeneratedEncounter]) -> None:
    kinds = {g.encounter.ma_loai_kcb for g in demo}
    assert {"01", "03"} <= kinds and kinds <= {"01", "02", "03", "04"}
    assert all(ICD10.fullmatch(g.encounter.ma_benh_chinh or "") for g in demo)
    assert all(g.encounter.ngay_ra >= g.encounter.ngay_vao for g in demo)


def test_line_counts(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        assert 3 <= len(g.encounter.drugs) <= 10
        assert 3 <= len(g.encounter.services) <= 15


def test_line_money_is_what_the_formulas_give(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        profile = demo_data.money_profile(g.encounter.ngay_ra)
        for line in g.encounter.cost_lines():
            a = line_amounts(line, profile)
            assert (line.thanh_tien_bv, line.thanh_tien_bh, line.t_bntt, line.t_bncct, line.t_bhtt) == \
                (a.thanh_tien_bv, a.thanh_tien_bh, a.t_bntt, a.t_bncct, a.t_bhtt)


def test_muc_huong_follows_card_benefit_and_the_15_percent_rule(demo: list[GeneratedEncounter]) -> None:
    seen = set()
    for g in demo:
        e = g.encounter
        levels = {line.muc_huong for line in e.cost_lines()}
        assert len(levels) == 1
        level = levels.pop()
        if not e.cards:
            assert level == 0
            continue
        benefit = demo_data.cat.BENEFIT[int(e.cards[0].ma_the_bhyt[2])]
        small = episode_totals(e).t_tongchi_bh < demo_data.base_salary(e.ngay_ra) * Decimal("0.15")
        assert level == (Decimal(100) if small else benefit)
        seen.add(level)
    assert {Decimal(80), Decimal(100)} <= seen


def test_totals_are_consistent(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        t = episode_totals(g.encounter)
        assert t.t_tongchi_bv == t.t_bntt + t.t_bncct + t.t_bhtt
        assert t.t_bhtt == sum((x.t_bhtt or Decimal(0) for x in g.encounter.cost_lines()), Decimal(0))


def _beds(lines: tuple[ServiceLine, ...]) -> list[ServiceLine]:
    return [s for s in lines if s.ma_nhom in BED_GROUPS]


def test_bed_days_follow_the_rules(demo: list[GeneratedEncounter]) -> None:
    inpatients = 0
    for g in demo:
        e = g.encounter
        beds = _beds(e.services)
        exams = [s for s in e.services if s.ma_nhom == "13"]
        assert all(b.so_luong is not None and b.so_luong <= 1 for b in beds)
        if e.ma_loai_kcb in ("01", "02"):
            assert not beds
            continue
        inpatients += 1
        assert len(exams) == 1
        assert e.so_ngay_dtri == (e.ngay_ra.date() - e.ngay_vao.date()).days + 1
        assert sum((b.so_luong or Decimal(0) for b in beds), Decimal(0)) < e.so_ngay_dtri
        assert e.discharge is not None and e.summary is not None and e.clinical_notes
    assert inpatients > 50


def test_lab_services_have_results_and_performers(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        labs = [s for s in g.encounter.services if s.ma_nhom == "1"]
        result_codes = {r.ma_dich_vu for r in g.encounter.lab_results}
        assert {s.ma_dich_vu for s in labs} <= result_codes
        for s in g.encounter.services:
            if s.ma_nhom in ("1", "2", "3", "8", "18"):
                assert s.nguoi_thuc_hien and s.ngay_th_yl and s.ngay_yl and s.ngay_th_yl >= s.ngay_yl


def test_referenced_practitioners_are_on_the_encounter(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        codes = {p.code for p in g.encounter.practitioners}
        refs = {x.ma_bac_si for x in g.encounter.cost_lines()} | \
            {s.nguoi_thuc_hien for s in g.encounter.services if s.nguoi_thuc_hien}
        assert refs <= codes


def test_some_referrals_appointments_tricky_texts_and_open_visits(demo: list[GeneratedEncounter]) -> None:
    encs = [g.encounter for g in demo]
    assert any(e.referral is not None and e.ma_loai_rv == "2" for e in encs)
    assert any(e.appointment is not None and e.ngay_tai_kham for e in encs)
    tricky = [s for e in encs for s in _strings(e) if "]]>" in s]
    assert tricky and any("<" in s and "&" in s for s in tricky)
    open_ = [g for g in demo if not g.finished]
    assert 0 < len(open_) < len(demo) // 10
    assert all(g.encounter.ngay_ttoan is None for g in open_)


def test_lines_are_within_the_visit(demo: list[GeneratedEncounter]) -> None:
    for g in demo:
        e = g.encounter
        for line in e.cost_lines():
            assert isinstance(line, DrugLine | ServiceLine)
            assert line.ngay_yl is not None and e.ngay_vao <= line.ngay_yl <= e.ngay_ra


def test_start_moves_the_visits() -> None:
    start = datetime(2024, 5, 1, 7, 0)
    first = generate(encounters=3, seed=1, start=start)[0].encounter
    assert first.ngay_vao.date() == start.date()
    assert demo_data.money_profile(first.ngay_ra) == "4750"
