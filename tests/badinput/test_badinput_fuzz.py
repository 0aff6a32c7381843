"""Issue 10 item 6, fuzzed: HIS rows and XML input never crash the pipeline.

HIS rows: hypothesis overwrites a few cells of a real demo encounter's contract rows
(header, card, drug, service, lab, note) with hostile values, then runs the same code the
poll runs: ``assemble`` (row -> model) and ``ClaimPreparer.prepare`` (map, validate, sign
with a real key). Whatever comes in: no exception but a located ``DataError``; a held
record carries catalogued rules with a place; a record that is not held is signed and
passes the simulator's own acceptance checks (what "sent" means at the gateway).

XML: hypothesis mutates a clean claim (bytes spliced, hostile snippets inserted, text
replaced) and feeds it to every XML reader: validation, the simulator's parser, the
signing parser and verifier. Each answers with its own refusal type, never a crash.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any

import pytest
from badinput_files import base_tables, claim
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from adapter.bootstrap import bootstrap
from adapter.errors import AdapterError, DataError, SignatureInvalid, XmlInputError
from adapter.his import contract, demo_data
from adapter.his.assemble import assemble
from adapter.his.convert import RULE_DATE, RULE_NUMBER, RULE_REQUIRED, RULE_TOO_LONG, RULE_UTF8
from adapter.his.demo import detail_rows, encounter_row
from adapter.model import Card
from adapter.ports import Extracted
from adapter.signing.xmldsig import parse_document, verify_xml
from adapter.simulator.checks import Kind, inspect_file, parse_safe
from adapter.validation.engine import validate_document
from adapter.validation.rules.catalog import RULES

HIS_RULES = set(RULES) | {RULE_DATE, RULE_NUMBER, RULE_REQUIRED, RULE_TOO_LONG, RULE_UTF8, "PREPARE_FAILED"}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_TEXT = 2_000

# -- HIS rows ------------------------------------------------------------------------------------

_KIND_OF_TABLE = {k.table: k.name for k in contract.ROW_KINDS} | {"his_card": "cards"}


@cache
def _sources() -> tuple[tuple[dict[str, Any], dict[str, list[dict[str, Any]]]], ...]:
    """(header row, kind -> rows) of a few demo encounters: outpatient, inpatient, referral."""
    out = []
    for g in demo_data.generate(encounters=12, seed=1, ma_cskcb="79001"):
        if not g.finished:
            continue
        details: dict[str, list[dict[str, Any]]] = {}
        for table, row in detail_rows(g.encounter):
            details.setdefault(_KIND_OF_TABLE[table], []).append(row)
        out.append((encounter_row(g), details))
    return tuple(out)


_HOSTILE_TEXT = st.sampled_from(
    [
        "]]>",
        '<!ENTITY x SYSTEM "file:///etc/passwd">',
        "<!DOCTYPE html>",
        "<!-- x -->",
        "&xxe;",
        "&#0;",
        "\x00",
        "\x1b[31m",
        "\ud800",
        "\ufffe",
        "e\u0301",
        "<a>",
        "\r\n",
        " ",
        "",
        "1e999",
        "NaN",
        "-0",
        "2025-02-30",
        "99999999999999",
    ]
)
_VALUES = st.one_of(
    st.none(),
    _HOSTILE_TEXT,
    st.text(max_size=40),
    st.text(alphabet=string.digits + ".-,", max_size=12),
    st.binary(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.dates(),
    st.just("x" * (MAX_TEXT + 1)),
)


@st.composite
def corrupted_rows(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    header, details = draw(st.sampled_from(_sources()))
    header, details = dict(header), {k: [dict(r) for r in rows] for k, rows in details.items()}
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kinds = ["header", *sorted(details)]
        where = draw(st.sampled_from(kinds))
        row = header if where == "header" else draw(st.sampled_from(details[where]))
        column = draw(st.sampled_from(sorted(c for c in row if c not in ("ma_lk", "stt", "updated_at"))))
        row[column] = draw(_VALUES)
    return header, details


@pytest.fixture(scope="module", name="prepare")
def prepare_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, bytes]]:
    """The production ClaimPreparer from the composition root (demo signer), and its certificate."""
    from badinput_pipeline import certificate_pem
    from badinput_pipeline import settings as pipeline_settings

    work = tmp_path_factory.mktemp("fuzzprep")
    app = bootstrap(pipeline_settings(work, work / "unused-his.sqlite"))
    try:
        yield app.preparer("79001"), certificate_pem(app)
    finally:
        app.close()


def _details(header: Mapping[str, Any], rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    ma_lk = str(header["ma_lk"])
    return {kind: {ma_lk: sorted(found, key=lambda r: r.get("stt", 0))} for kind, found in rows.items()}


def _assembled(header: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> Extracted:
    staff = {p.code: p for p in demo_data.practitioners()}
    return assemble(header, _details(header, rows), staff, ma_cskcb="79001", max_text=MAX_TEXT).extracted


@FUZZ
@given(corrupted_rows())
def test_fuzzed_his_rows_are_held_with_a_located_rule_or_sent(
    prepare: tuple[Any, bytes],
    rows: tuple[dict[str, Any], dict[str, list[dict[str, Any]]]],
) -> None:
    _held_or_sent(_assembled(*rows), prepare)


def _held_or_sent(extracted: Extracted, prepare: tuple[Any, bytes]) -> None:
    if extracted.encounter is None:
        event("held at extraction")
        assert extracted.errors
        assert all(e.rule in HIS_RULES and e.field for e in extracted.errors), extracted.errors
        return
    preparer, cert = prepare
    try:
        prepared = preparer.prepare(extracted)
    except AdapterError as exc:  # the poll holds it as PREPARE_FAILED: it must say where
        event(f"prepare refused: {type(exc).__name__}")
        assert isinstance(exc, DataError) and exc.field, repr(exc)
        return
    if prepared.blocking:
        event("held by validation")
        assert prepared.signed is None
        assert all(i.rule in HIS_RULES and i.table for i in prepared.issues), prepared.issues
        return
    event("signed and accepted by the simulator's checks")
    assert prepared.signed is not None
    inspect_file(prepared.signed, kind=Kind.CLAIM, ma_cskcb="79001", certificates=[cert])


def test_the_row_fuzzer_does_reach_both_outcomes() -> None:
    """The property above is only meaningful if both branches run: check one known case of each."""
    header, rows = _sources()[0]
    assert _assembled(dict(header), rows).encounter is not None
    broken = {**header, "ngay_vao": "2025-02-30"}
    assert _assembled(broken, rows).errors[0].rule == RULE_DATE


# -- XML input -------------------------------------------------------------------------------------

_SNIPPETS = st.sampled_from(
    [
        b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
        b"&a;",
        b"]]>",
        b"<![CDATA[",
        b"\x00",
        b"&#1;",
        b"<",
        b"&",
        b"</HOSO>",
        b"<HOSO>",
        b"\xff\xfe",
        b"\xe1\xbb",
        b"<?pi x?>",
        b"<!--",
        b"-->",
        b'<x xmlns="urn:a">',
        b"=" * 3,
        b"\n" * 3,
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from([claim(), base_tables()[1], base_tables()[2]]))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        if action == "truncate":
            data = data[:at]
        elif action == "delete":
            data = data[:at] + data[at + draw(st.integers(min_value=1, max_value=64)) :]
        else:
            piece = draw(st.one_of(_SNIPPETS, st.binary(min_size=1, max_size=16)))
            data = data[:at] + piece + data[at + (len(piece) if action == "replace" else 0) :]
    return data


def _only(allowed: type[BaseException], call: Callable[[], object]) -> None:
    try:
        call()
    except allowed:
        pass


@FUZZ
@given(mutated())
def test_fuzzed_xml_never_crashes_validation(data: bytes) -> None:
    report = validate_document(data)
    assert all(i.rule in RULES and i.table for i in report.issues), report.issues


@FUZZ
@given(mutated())
def test_fuzzed_xml_never_crashes_the_simulator_signing_or_verifier(data: bytes) -> None:
    _only(DataError, lambda: parse_safe(data))
    _only(XmlInputError, lambda: parse_document(data))
    _only(SignatureInvalid, lambda: verify_xml(data))


@FUZZ
@given(
    st.sampled_from(["HO_TEN", "DIA_CHI", "GHI_CHU", "CHAN_DOAN_RV", "MA_BN", "NGAY_VAO", "T_TONGCHI_BV"]),
    st.text(max_size=200),
)
def test_any_text_in_any_element_is_validated_without_crash(element: str, text: str) -> None:
    value = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8", "surrogatepass")
    )
    start, end = f"<{element}>".encode(), f"</{element}>".encode()
    doc = base_tables()[1]
    if start not in doc:
        doc = doc.replace(f"<{element}/>".encode(), start + end)
    head, _, tail = doc.partition(start)
    _, _, rest = tail.partition(end)
    report = validate_document(head + start + value + end + rest)
    assert all(i.rule in RULES for i in report.issues)


# -- HIS rows through the real SQL reader (SQLite type affinity, BLOBs, text in numeric columns) ----

_DB_TABLES = ("his_encounter", "his_card", "his_drug_line", "his_service_line", "his_lab_result")


@pytest.fixture(scope="module")
def fuzz_his(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, list[str]]]:
    from sqlalchemy import create_engine

    from adapter.his.demo import generate_demo_his
    from adapter.his.engine import readonly_engine
    from adapter.his.profile import SourceProfile
    from adapter.his.reader import SqlHisSource

    path = tmp_path_factory.mktemp("fuzzhis") / "his.sqlite"
    generate_demo_his(path, encounters=6, seed=1, ma_cskcb="79001")
    ma_lks = [g.encounter.ma_lk for g in demo_data.generate(encounters=6, seed=1) if g.finished]
    writer, reader = create_engine(f"sqlite:///{path}"), readonly_engine(f"sqlite:///{path}")
    yield (
        writer,
        SqlHisSource(reader, SourceProfile.load("demo"), ma_cskcb="79001", max_text=MAX_TEXT),
        ma_lks,
    )
    writer.dispose()
    reader.dispose()


@st.composite
def db_cells(draw: st.DrawFn) -> tuple[str, str, Any]:
    table = draw(st.sampled_from(_DB_TABLES))
    columns = (
        [n for n, _ in contract.model_fields(_MODEL_OF[table])]
        if table != "his_encounter"
        else [n for n, _ in contract.encounter_fields()]
    )
    column = draw(st.sampled_from(sorted(set(columns) - {"ma_lk", "stt"})))
    value = draw(
        st.one_of(
            _HOSTILE_TEXT.filter(lambda t: "\ud800" not in t),
            st.binary(max_size=8),
            st.integers(min_value=-(10**15), max_value=10**15),
            st.floats(),
            st.just(""),
        )
    )
    return table, column, value


_MODEL_OF: dict[str, type] = {k.table: k.cls for k in contract.ROW_KINDS} | {"his_card": Card}


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(cell=db_cells(), which=st.integers(min_value=0, max_value=3))
def test_fuzzed_cells_read_through_sqlite_are_held_or_sent(
    fuzz_his: tuple[Any, Any, list[str]], prepare: tuple[Any, bytes], cell: tuple[str, str, Any], which: int
) -> None:
    from sqlalchemy import text

    writer, source, ma_lks = fuzz_his
    table, column, value = cell
    ma_lk = ma_lks[which % len(ma_lks)]
    row = "" if table == "his_encounter" else " AND stt = 1"
    where = f"WHERE ma_lk = :m{row}"
    with writer.begin() as conn:
        before = conn.execute(text(f"SELECT {column} FROM {table} {where}"), {"m": ma_lk}).first()
        if before is None:
            return  # this encounter has no such row
        conn.execute(text(f"UPDATE {table} SET {column} = :v {where}"), {"v": value, "m": ma_lk})
    try:
        (extracted,) = source.encounters([ma_lk])
        _held_or_sent(extracted, prepare)
    finally:
        with writer.begin() as conn:
            conn.execute(text(f"UPDATE {table} SET {column} = :v {where}"), {"v": before[0], "m": ma_lk})
