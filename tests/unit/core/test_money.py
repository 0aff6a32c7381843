from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest

from adapter.model import DrugLine, Encounter, Patient, ServiceLine
from adapter.money import episode_totals, line_amounts, r2, split_3176, split_4750


def test_round_half_up_to_cents() -> None:
    assert r2(D("1.005")) == D("1.01")
    assert r2(D("2.004")) == D("2.00")


@pytest.mark.parametrize("split", [split_4750, split_3176])
def test_split_without_other_sources(split: object) -> None:
    # 80 % card, a 120 line of which 100 is in the BHYT price
    assert split(D(120), D(100), D(80), D(0)) == (D("20.00"), D("20.00"), D("80.00"))  # type: ignore[operator]


def test_other_sources_are_deducted_in_order_bntt_bncct_bhtt() -> None:
    assert split_4750(D(120), D(100), D(80), D(30)) == (D("0.00"), D("10.00"), D("80.00"))
    assert split_3176(D(120), D(100), D(80), D(30)) == (D("0.00"), D("10.00"), D("80.00"))
    # more other-source money than patient share: the fund's share shrinks
    assert split_4750(D(100), D(100), D(80), D(30)) == (D("0.00"), D("0.00"), D("70.00"))
    assert split_3176(D(100), D(100), D(80), D(30)) == (D("0.00"), D("0.00"), D("70.00"))


def test_drug_line_amounts_follow_4750_formulas() -> None:
    line = DrugLine(so_luong=D("3"), don_gia=D("1500.5"), tyle_tt_bh=D(100), muc_huong=D(80))
    got = line_amounts(line, "4750")
    assert got.thanh_tien_bv == D("4501.50")
    assert got.thanh_tien_bh == D("4501.50")
    assert got.t_bhtt == D("3601.20")
    assert got.t_bncct == D("900.30")
    assert got.t_bntt == D("0.00")


def test_second_exam_with_service_ratio() -> None:
    # 3176 text example shape: TYLE_TT_DV applies to both prices
    line = ServiceLine(so_luong=D(1), don_gia_bv=D(100000), don_gia_bh=D(40000), tyle_tt_dv=D(30),
                       tyle_tt_bh=D(100), muc_huong=D(100))
    got = line_amounts(line, "3176")
    assert got.thanh_tien_bv == D("30000.00")
    assert got.thanh_tien_bh == D("12000.00")
    assert got.t_bntt == D("18000.00")
    assert got.t_bhtt == D("12000.00")


def test_episode_totals_sum_lines() -> None:
    patient = Patient(ma_bn="1", ho_ten="A", ngay_sinh=datetime(1990, 1, 1), gioi_tinh="1")
    drug = DrugLine(thanh_tien_bv=D(30000), thanh_tien_bh=D(30000), t_bhtt=D(30000), t_bncct=D(0),
                    t_bntt=D(0), ma_pttt="1")
    exam = ServiceLine(thanh_tien_bv=D(38500), thanh_tien_bh=D(38500), t_bhtt=D(38500), t_bncct=D(0),
                       t_bntt=D(0))
    supply = ServiceLine(ma_vat_tu="N01", thanh_tien_bv=D(1000), thanh_tien_bh=D(800), t_bhtt=D(640),
                         t_bncct=D(160), t_bntt=D(200), ma_pttt="2")
    enc = Encounter(ma_lk="X", ma_cskcb="79001", patient=patient, ma_loai_kcb="01", ma_doituong_kcb="1.1",
                    ngay_vao=datetime(2024, 7, 1, 8), ngay_ra=datetime(2024, 7, 1, 9),
                    drugs=(drug,), services=(exam, supply))
    t = episode_totals(enc)
    assert (t.t_thuoc, t.t_vtyt, t.t_tongchi_bv, t.t_tongchi_bh) == (D("30000.00"), D("1000.00"),
                                                                     D("69500.00"), D("69300.00"))
    assert t.t_bncct == D("160.00")
    assert t.t_bhtt == D("69140.00")
    assert t.t_bhtt_gdv == D("68500.00")   # the capitation line (MA_PTTT 2) is excluded
