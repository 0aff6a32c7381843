"""``claim_tables``: the rows written with each document are what a parser reads back from it.

Validation of what the mapper just wrote uses these rows instead of parsing the documents
again, so the two must agree exactly: CDATA split around ``]]>``, escapes, CR kept as a
reference, NFC, control characters removed, empty elements as "".
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import mapper_samples as s
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapter.mappers import (
    TablePolicy,
    build_claim,
    claim_envelope,
    claim_files,
    claim_tables,
    tables_for,
    text_changes,
)
from adapter.mappers.plans import plan
from adapter.mappers.sources import table_rows as source_rows
from adapter.mappers.sources import xml1_values
from adapter.model import Encounter
from adapter.text import normalize
from adapter.validation.parse import parse_table

# Text that exercises every writing path: markup characters, the CDATA terminator, CR/LF,
# controls the normaliser removes, decomposed Vietnamese, characters outside the BMP.
_TRICKY = st.lists(st.sampled_from(
    ["a", "Z", "7", " ", "<", ">", "&", "]", "]]>", "\r", "\n", "\t", "\x00", "\x0b", "\x7f", "\x85",
     "\ufffe", "e\u0302\u0301", "ế", "Đ", "😀", "&#0;", "<![CDATA[", ";"]),
    max_size=12).map("".join) | st.text(max_size=8)
_AMOUNTS = st.decimals(min_value=Decimal(-10**6), max_value=Decimal(10**12), allow_nan=False,
                       allow_infinity=False, places=4)
_WHEN = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2099, 12, 31))


def _value(draw: st.DrawFn, current: object) -> object:
    if isinstance(current, str):
        return draw(_TRICKY)
    if isinstance(current, Decimal):
        return draw(_AMOUNTS)
    if isinstance(current, datetime):
        return draw(_WHEN)
    if isinstance(current, date):
        return draw(_WHEN).date()
    return current


def _scrambled(draw: st.DrawFn, obj: Any) -> Any:
    """``obj`` with some of its attributes replaced by drawn values (None included)."""
    changes = {}
    for f in dataclasses.fields(obj):
        current = getattr(obj, f.name)
        if dataclasses.is_dataclass(current) or isinstance(current, tuple) or f.name == "ma_lk":
            continue
        choice = draw(st.integers(0, 3))
        if choice == 1:
            changes[f.name] = _value(draw, current)
        elif choice == 2 and current is not None and not isinstance(current, datetime):
            changes[f.name] = None
    return dataclasses.replace(obj, **changes)


@st.composite
def encounters(draw: st.DrawFn) -> tuple[str, Encounter]:
    profile = draw(st.sampled_from(["4750", "3176"]))
    enc = s.full(profile)
    enc = dataclasses.replace(
        _scrambled(draw, enc), patient=_scrambled(draw, enc.patient),
        drugs=tuple(_scrambled(draw, d) for d in enc.drugs),
        services=tuple(_scrambled(draw, x) for x in enc.services),
        clinical_notes=tuple(_scrambled(draw, x) for x in enc.clinical_notes),
        discharge=_scrambled(draw, enc.discharge))
    return profile, enc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters())
def test_rows_equal_what_the_parser_reads_from_the_documents(case: tuple[str, Encounter]) -> None:
    profile, enc = case
    policy = TablePolicy(xml8="always")
    tables = claim_tables(enc, s.facility(profile), profile, policy)
    for number, (document, rows) in tables.items():
        parsed = parse_table(document)
        assert parsed.table == number
        assert rows == tuple(dict(r) for r in parsed.rows), f"XML{number}"


def test_documents_equal_claim_files_and_rows_follow_the_lines() -> None:
    enc, policy = s.full("3176"), TablePolicy(xml8="always")
    tables = claim_tables(enc, s.facility("3176"), "3176", policy)
    assert {n: doc for n, (doc, _) in tables.items()} == claim_files(enc, s.facility("3176"), "3176", policy)
    drugs = tables[2][1]
    assert [r["STT"] for r in drugs] == ["1", "2"]
    assert all(r["MA_LK"] == enc.ma_lk for r in drugs)


def test_text_is_normalised_in_rows_as_in_the_document() -> None:
    enc = dataclasses.replace(s.outpatient("3176"), ghi_chu="a]]>b\r\x00c", ly_do_vv="e\u0302")
    xml1 = claim_tables(enc, s.facility("3176"), "3176", TablePolicy())[1][1][0]
    assert xml1["GHI_CHU"] == "a]]>b\rc"
    assert xml1["LY_DO_VV"] == "ê"


def test_claim_envelope_equals_build_claim() -> None:
    enc, policy, day = s.full("4750"), TablePolicy(), date(2025, 7, 2)
    tables = claim_tables(enc, s.facility("4750"), "4750", policy)
    assert claim_envelope("79001", day, tables) == build_claim(enc, s.facility("4750"), "4750",
                                                                created_on=day, policy=policy)


def _naive_changes(enc: Encounter, profile: str,
                   tables: tuple[int, ...]) -> list[tuple[str, int | None, str]]:
    """Every str value checked one by one (what text_changes did before its whole-row test)."""
    out = []
    for number in tables:
        p = plan(number, profile)
        if number == 1:
            values = xml1_values(enc, profile, s.facility(profile))
            rows = [(None, [(f.name, values.get(f.base)) for f in p.fields])]
        else:
            listed = p.is_list
            rows = [(i if listed else None, list(zip([f.name for f in p.values], p.read(obj), strict=True)))
                    for i, obj in enumerate(source_rows(number, enc), start=1)]
        out += [(p.spec.code, row, name) for row, pairs in rows for name, value in pairs
                if isinstance(value, str) and normalize(value).changed]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encounters())
def test_text_changes_are_those_of_each_value_checked_alone(case: tuple[str, Encounter]) -> None:
    profile, enc = case
    tables = tuple(n for n in tables_for(enc, TablePolicy(xml8="always")) if n != 0)
    found = [(c.table, c.row, c.field) for c in text_changes(enc, profile, tables, s.facility(profile))]
    assert found == _naive_changes(enc, profile, tables)
