from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from adapter import catalogue
from adapter.model import Encounter, Patient
from adapter.model_tables import TABLE_CLASSES

ROOT = Path(__file__).resolve().parents[3]


def test_catalogue_has_446_produced_fields_in_each_profile_base() -> None:
    assert sum(len(catalogue.fields(t, "4750")) for t in catalogue.PRODUCED_TABLES) == 446


def test_3176_renames_and_removals_in_xml13() -> None:
    names = [f.name for f in catalogue.fields(13, "3176")]
    assert "MA_CSKCB_DI" in names and "MA_NOI_DI" not in names
    assert "TINH_TRANG_CT" in names and "TEN_THUOC" not in names
    assert catalogue.field(13, "3176", "MA_NOI_DI").name == "MA_CSKCB_DI"


def test_profile_sizes_differ_where_the_decisions_differ() -> None:
    assert catalogue.field(1, "4750", "MA_TTDV").size == 10
    assert catalogue.field(1, "3176", "MA_TTDV").size == 255
    assert catalogue.field(1, "3176", "SO_CCCD").size is None


def test_fields_are_in_catalogue_order() -> None:
    for t in catalogue.PRODUCED_TABLES:
        orders = [f.order for f in catalogue.fields(t, "3176")]
        assert orders == sorted(orders)


@pytest.mark.parametrize("table", sorted(TABLE_CLASSES))
def test_every_detail_field_is_a_model_attribute(table: int) -> None:
    attrs = {f.name for f in dataclasses.fields(TABLE_CLASSES[table])}
    for spec in catalogue.fields(table, "4750"):
        if spec.base_name not in ("MA_LK", "STT"):
            assert spec.attr in attrs, f"XML{table}.{spec.base_name} missing from the model"


def test_xml1_fields_are_reachable_from_the_encounter() -> None:
    attrs = {f.name for f in dataclasses.fields(Encounter)} | {f.name for f in dataclasses.fields(Patient)}
    attrs |= {"ma_the_bhyt", "ma_dkbd", "gt_the_tu", "gt_the_den", "stt", "du_phong"}
    computed = {"t_thuoc", "t_vtyt", "t_tongchi_bv", "t_tongchi_bh", "t_bntt", "t_bncct", "t_bhtt",
                "t_nguonkhac", "t_bhtt_gdv"}
    missing = [f.base_name for f in catalogue.fields(1, "4750") if f.attr not in attrs | computed]
    assert missing == []


def test_generated_model_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_model_tables.py"), "--check"],
                            check=False)
    assert result.returncode == 0, "run scripts/gen_model_tables.py"


def test_model_objects_are_frozen() -> None:
    p = Patient(ma_bn="1", ho_ten="Nguyễn Văn A", ngay_sinh=__import__("datetime").datetime(1990, 1, 1),
                gioi_tinh="1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.ho_ten = "x"  # type: ignore[misc]
