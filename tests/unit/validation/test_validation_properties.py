"""Properties: random valid encounters give no issue; a random corruption is caught, located, by its rule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import validation_samples as s
from hypothesis import given, settings
from hypothesis import strategies as st

from adapter.catalogue import Profile
from adapter.validation.engine import validate_tables

QTY = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(100), places=3)
PRICE = st.decimals(min_value=Decimal(0), max_value=Decimal(500000), places=3)
FRACTION = st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2)


@st.composite
def drug_lines(draw: st.DrawFn, profile: Profile, stt: int) -> dict[str, str]:
    qty, price = draw(QTY), draw(PRICE)
    ratio, muc = draw(st.sampled_from(["100", "50"])), draw(st.sampled_from(["80", "95", "100", "32"]))
    nsnn = s.r2(qty * price * draw(FRACTION))
    return s.drug(profile, stt, str(qty), str(price), muc=muc, ratio=ratio, nsnn=str(nsnn),
                  yl=_yl(profile))


@st.composite
def service_lines(draw: st.DrawFn, profile: Profile, stt: int) -> dict[str, str]:
    nhom = draw(st.sampled_from(["13", "1", "2", "18", "10"]))
    return s.service(profile, stt, nhom, str(draw(QTY)), str(draw(PRICE)), supply=nhom == "10",
                     muc=draw(st.sampled_from(["80", "100"])), dv=draw(st.sampled_from(["100", "50", "30"])),
                     yl=_yl(profile))


def _yl(profile: Profile) -> str:
    return "202507010830" if profile == "3176" else "202407010830"


@st.composite
def encounters(draw: st.DrawFn) -> tuple[Profile, s.Rows]:
    profile: Profile = draw(st.sampled_from(["3176", "4750"]))
    rows = s.outpatient(profile)
    n_drugs, n_services = draw(st.integers(1, 8)), draw(st.integers(1, 12))
    rows[2] = [draw(drug_lines(profile, i)) for i in range(1, n_drugs + 1)]
    rows[3] = [draw(service_lines(profile, i)) for i in range(1, n_services + 1)]
    s.fill_totals(rows)
    return profile, rows


@settings(max_examples=60, deadline=None)
@given(encounters())
def test_random_valid_encounters_have_no_issue(case: tuple[Profile, s.Rows]) -> None:
    profile, rows = case
    assert validate_tables(s.tables(rows), profile) == []


def _add(name: str, delta: str) -> Callable[[dict[str, str]], None]:
    return lambda row: row.update({name: str(Decimal(row[name]) + Decimal(delta))})


def _set(name: str, value: str) -> Callable[[dict[str, str]], None]:
    return lambda row: row.update({name: value})


Corrupt = Callable[[dict[str, str]], None]
# (table, corruption of one row, field, rule that must catch it)
CORRUPTIONS: list[tuple[int, Corrupt, str, str]] = [
    (2, _add("THANH_TIEN_BV", "1"), "THANH_TIEN_BV", "MONEY_LINE_TOTAL"),
    (3, _add("THANH_TIEN_BH", "0.50"), "THANH_TIEN_BH", "MONEY_LINE_TOTAL"),
    (2, _add("T_BHTT", "1"), "T_BHTT", "MONEY_LINE_SPLIT"),
    (3, _add("T_BNCCT", "0.05"), "T_BNCCT", "MONEY_LINE_SPLIT"),
    (2, _add("T_NGUONKHAC_CL", "3"), "T_NGUONKHAC", "MONEY_LINE_OTHER_SOURCES"),
    (3, _set("MA_NHOM", "99"), "MA_NHOM", "CODE_NOT_IN_LIST"),
    (2, _set("PHAM_VI", "4"), "PHAM_VI", "CODE_NOT_IN_LIST"),
    (2, _set("NGAY_YL", "202502300830"), "NGAY_YL", "FIELD_DATE_INVALID"),
    (3, _set("NGAY_YL", "20250701"), "NGAY_YL", "FIELD_DATE_FORMAT"),
    (2, _set("TEN_THUOC", "T" * 1025), "TEN_THUOC", "FIELD_TOO_LONG"),
    (3, _set("SO_LUONG", "1,5"), "SO_LUONG", "FIELD_NOT_NUMBER"),
    (3, _set("DON_GIA_BV", "1.0001"), "DON_GIA_BV", "FIELD_DECIMALS"),
    (2, _set("DON_VI_TINH", ""), "DON_VI_TINH", "FIELD_REQUIRED"),
    (2, _set("MA_LK", "OTHER"), "MA_LK", "CROSS_MA_LK"),
    (1, _add("T_TONGCHI_BV", "0.01"), "T_TONGCHI_BV", "MONEY_TOTAL"),
    (1, _set("NGAY_RA", "202401010000"), "NGAY_RA", "DATE_ORDER"),
]


@settings(max_examples=80, deadline=None)
@given(encounters(), st.sampled_from(CORRUPTIONS), st.integers(min_value=0))
def test_random_corruption_is_caught_by_its_rule(case: tuple[Profile, s.Rows],
                                                 corruption: tuple[int, Corrupt, str, str],
                                                 pick: int) -> None:
    profile, rows = case
    table, corrupt, field, rule = corruption
    index = pick % len(rows[table])
    corrupt(rows[table][index])
    found = {(i.rule, i.table, i.row, i.field) for i in validate_tables(s.tables(rows), profile)}
    row = None if table == 1 else index + 1
    assert (rule, f"XML{table}", row, field) in found


XML_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r",
                                          exclude_characters="\ufffe\uffff"), max_size=40)
TEXT_FIELDS = st.sampled_from(["HO_TEN", "DIA_CHI", "LY_DO_VV", "GHI_CHU", "CHAN_DOAN_RV"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(TEXT_FIELDS, XML_TEXT))
def test_text_survives_export_and_safe_parsing(values: dict[str, str]) -> None:
    from adapter.validation.parse import parse_table

    row = {"MA_LK": s.MA_LK, **values}
    parsed = parse_table(s.table_xml(1, [row])).rows[0]
    # XML normalises CR and CRLF to LF; everything else (&, <, ]]>, Vietnamese) comes back as written.
    assert dict(parsed) == {k: v.replace("\r\n", "\n").replace("\r", "\n") for k, v in row.items()}


@settings(max_examples=100, deadline=None)
@given(QTY, PRICE, st.sampled_from(["100", "50", "30"]), st.sampled_from(["80", "95", "100", "32"]))
def test_3176_drug_lines_written_with_the_direct_formulas_pass(qty: Decimal, price: Decimal, ratio: str,
                                                               muc: str) -> None:
    # QĐ 3176 XML2 wording: T_BNTT = BV*(1-TYLE/100), T_BHTT = BV*TYLE/100*MUC/100,
    # T_BNCCT = BV - T_BHTT - T_BNTT, each rounded to 2 dp: a HIS following the text literally.
    rows = s.outpatient()
    line = rows[2][0]
    bv = s.r2(qty * price)
    bntt = s.r2(bv * (1 - Decimal(ratio) / 100))
    bhtt = s.r2(bv * Decimal(ratio) / 100 * Decimal(muc) / 100)
    bh = s.r2(qty * price * Decimal(ratio) / 100)
    line.update(SO_LUONG=str(qty), DON_GIA=str(price), TYLE_TT_BH=ratio, MUC_HUONG=muc, T_NGUONKHAC_NSNN="0",
                T_NGUONKHAC="0.00", THANH_TIEN_BV=str(bv), THANH_TIEN_BH=str(bh), T_BNTT=str(bntt),
                T_BHTT=str(bhtt), T_BNCCT=str(bv - bhtt - bntt))
    s.fill_totals(rows)
    found = {i.rule for i in validate_tables(s.tables(rows), "3176")}
    assert not found & {"MONEY_LINE_SPLIT", "MONEY_LINE_TOTAL"}
