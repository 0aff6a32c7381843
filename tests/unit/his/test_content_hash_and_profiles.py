"""Content hash stability and source-profile loading."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from adapter.errors import ConfigError
from adapter.his.demo_data import generate
from adapter.his.profile import REQUIRED_QUERIES, SourceProfile
from adapter.his.state import content_hash
from adapter.model import Encounter


@pytest.fixture(scope="module")
def encounter() -> Encounter:
    return next(g.encounter for g in generate(encounters=20, seed=5) if len(g.encounter.drugs) > 2)


def test_hash_ignores_row_order_number_scale_and_change_marker(encounter: Encounter) -> None:
    base = content_hash(encounter)
    reordered = dataclasses.replace(encounter, drugs=tuple(reversed(encounter.drugs)), source_version="v2")
    first = encounter.drugs[0]
    rescaled = dataclasses.replace(first, so_luong=Decimal(str(first.so_luong)) + Decimal("0.000"))
    scaled = dataclasses.replace(encounter, drugs=(rescaled, *encounter.drugs[1:]))
    assert len(base) == 64
    assert content_hash(reordered) == base
    assert content_hash(scaled) == base


def test_hash_changes_with_a_late_line_or_an_edit(encounter: Encounter) -> None:
    base = content_hash(encounter)
    late = dataclasses.replace(encounter, drugs=(*encounter.drugs, encounter.drugs[0]))
    edited = dataclasses.replace(encounter, chan_doan_rv="Viêm phổi")
    assert len({base, content_hash(late), content_hash(edited)}) == 3


@pytest.mark.parametrize("name", ["demo", "vendor_xml130"])
def test_builtin_profiles_load_with_every_required_query(name: str) -> None:
    profile = SourceProfile.load(name)
    assert set(REQUIRED_QUERIES) <= set(profile.query_names())
    assert profile.parameters("encounters_changed") == {"ma_cskcb", "since_changed", "since_ma_lk", "limit"}
    assert "ma_lks" in profile.parameters("drug_lines")


def test_a_folder_profile_with_dialect_overrides(tmp_path: Path) -> None:
    for name in REQUIRED_QUERIES:
        (tmp_path / f"{name}.sql").write_text(f"SELECT 1 AS x -- {name}\n", encoding="utf-8")
    (tmp_path / "cards.postgresql.sql").write_text("SELECT 2 AS x WHERE 1 = :ma_cskcb::int", encoding="utf-8")
    profile = SourceProfile.load(tmp_path)
    assert profile.sql("cards", "postgresql").startswith("SELECT 2")
    assert profile.sql("cards", "sqlite").startswith("SELECT 1")
    assert profile.parameters("cards", "postgresql") == {"ma_cskcb"}


def test_missing_queries_and_unknown_profiles_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "cards.sql").write_text("SELECT 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="encounters_changed"):
        SourceProfile.load(tmp_path)
    with pytest.raises(ConfigError):
        SourceProfile.load("no_such_profile")
    with pytest.raises(ConfigError):
        SourceProfile.load("../etc")
