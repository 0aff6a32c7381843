"""Table documents: encounter + profile -> the UTF-8 bytes of one XML table.

The documents are written from the precomputed plans by joining strings: the claim
path base64-encodes them straight away and never needs a tree, and writing text is
several times cheaper than building lxml elements. ``build_table`` parses the same
bytes when a caller wants an element (XSD validation, inspection), so there is one
way a table is produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from adapter.catalogue import PRODUCED_TABLES, Profile
from adapter.errors import DataError
from adapter.mappers.plans import FieldPlan, TablePlan, plan
from adapter.mappers.sources import checkin_values, table_rows, xml1_values
from adapter.model import Encounter, Facility
from adapter.model_tables import TABLE_CLASSES

_PARSER = etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True)

Row = dict[str, str]
Rows = tuple[Row, ...]


def _put(f: FieldPlan, value: object, out: list[str], row: Row) -> None:
    if value is None:
        row[f.name] = ""
        out.append(f.empty)
        return
    read, wraps = f.readers.get(type(value)) or f.other
    text = row[f.name] = read(value)
    out.append(f"{f.open}{f.wrap(text) if wraps else text}{f.close}" if text else f.empty)


def _located(exc: DataError, f: FieldPlan) -> DataError:
    return DataError(str(exc.args[0]), field=f.name, rule=exc.rule)


def _mapping_row(p: TablePlan, values: Mapping[str, Any], out: list[str], row: Row) -> None:
    get = values.get
    f = p.fields[0]
    try:
        for f in p.fields:
            _put(f, get(f.base), out, row)
    except DataError as exc:
        raise _located(exc, f) from exc


def _object_row(p: TablePlan, obj: object, parent: Mapping[str, Any], out: list[str], row: Row) -> None:
    # The hot loop of the claim path: one attrgetter call per row, one dict lookup per value.
    # ``row`` receives each element's text exactly as a parser would read it back.
    append = out.append
    f = p.values[0]
    try:
        for f, value in zip(p.values, p.read(obj), strict=True):
            if value is None and f.inherit:
                value = parent.get(f.base)
            if value is None:
                row[f.name] = ""
                append(f.empty)
                continue
            read, wraps = f.readers.get(type(value)) or f.other
            text = row[f.name] = read(value)
            append(f"{f.open}{f.wrap(text) if wraps else text}{f.close}" if text else f.empty)
    except DataError as exc:
        raise _located(exc, f) from exc


def _detail(p: TablePlan, number: int, encounter: Encounter, parent: Mapping[str, Any]) -> tuple[str, Rows]:
    objs = table_rows(number, encounter)
    if not objs and not p.is_list:
        objs = (TABLE_CLASSES[number](),)    # a flat table asked for explicitly: XML1 values only
    out = [p.head]
    lead: Row = {}
    _put(p.fields[0], encounter.ma_lk, out, lead)
    link = out.pop()
    rows: list[Row] = []
    for stt, obj in enumerate(objs, start=1):
        row = dict(lead)
        if p.numbered:
            row["STT"] = str(stt)
            out += (p.item_open, link, f"<STT>{stt}</STT>")
        else:
            out += (p.item_open, link)
        _object_row(p, obj, parent, out, row)
        out.append(p.item_close)
        rows.append(row)
    out.append(p.tail)
    return "".join(out), tuple(rows)


def _flat(p: TablePlan, values: Mapping[str, Any]) -> tuple[str, Rows]:
    out, row = [p.head, p.item_open], Row()
    _mapping_row(p, values, out, row)
    out += [p.item_close, p.tail]
    return "".join(out), (row,)


def table_parts(number: int, encounter: Encounter, profile: Profile, facility: Facility | None = None,
                *, xml1: Mapping[str, Any] | None = None, inpatient: bool = False) -> tuple[str, Rows]:
    """Table ``number`` as text, and its rows: element name -> the exact text a parser of
    that text reads back ("" for an empty element). ``xml1`` lets a caller building several
    tables share the XML1 values; ``inpatient`` selects the treatment-department check-in (XML0)."""
    if number not in PRODUCED_TABLES:
        raise DataError(f"table XML{number} is not produced", record=encounter.ma_lk, rule="TABLE_UNKNOWN")
    p = plan(number, profile)
    try:
        if number == 0:
            return _flat(p, checkin_values(encounter, inpatient=inpatient))
        parent = xml1 if xml1 is not None else xml1_values(encounter, profile, facility)
        if number == 1:
            return _flat(p, parent)
        return _detail(p, number, encounter, parent)
    except DataError as exc:
        raise DataError(f"XML{number}: {exc.args[0]}", record=encounter.ma_lk, field=exc.field,
                        rule=exc.rule) from exc


def table_text(number: int, encounter: Encounter, profile: Profile, facility: Facility | None = None,
               *, xml1: Mapping[str, Any] | None = None, inpatient: bool = False) -> str:
    """Table ``number`` as text (see ``table_parts``)."""
    return table_parts(number, encounter, profile, facility, xml1=xml1, inpatient=inpatient)[0]


def table_document(number: int, encounter: Encounter, profile: Profile, facility: Facility | None = None,
                   *, xml1: Mapping[str, Any] | None = None, inpatient: bool = False) -> bytes:
    """The UTF-8 document of table ``number`` (declaration included, no BOM)."""
    return table_text(number, encounter, profile, facility, xml1=xml1, inpatient=inpatient).encode("utf-8")


def build_table(number: int, encounter: Encounter, profile: Profile,
                facility: Facility | None = None) -> etree._Element:
    """Table ``number`` as an lxml element (CDATA sections kept)."""
    return etree.fromstring(table_document(number, encounter, profile, facility), _PARSER)
