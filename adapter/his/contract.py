"""The HIS view contract: the reference schema a hospital exposes (read-only) to the adapter.

One table (or view) per kind of row. Column names are the catalogue field names in
lower case, i.e. the attribute names of :mod:`adapter.model`; ``docs/his-view-contract.md``
describes it for hospital IT. The column list is derived from the model so that the
two cannot drift apart; the types are a recommendation (a view may use any type the
reader can convert: native dates or ``yyyyMMddHHmm`` strings, numbers or decimal text).

This module only describes tables; it creates nothing at import time.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from adapter import catalogue
from adapter.model import (
    Appointment,
    BirthCertificate,
    ClinicalNote,
    DischargePaper,
    DrugLine,
    Encounter,
    HivCare,
    LabResult,
    Patient,
    PregnancyRest,
    RecordSummary,
    Referral,
    ServiceLine,
    SickLeave,
    TbTreatment,
)

# Encounter attributes that are not header columns (nested objects, lines, adapter-side data).
_NOT_COLUMNS = frozenset({
    "patient", "cards", "drugs", "services", "lab_results", "clinical_notes", "hiv_care",
    "discharge", "summary", "births", "pregnancy_rest", "sick_leave", "referral", "appointment",
    "tb_treatments", "practitioners", "source_version", "ma_lk", "ma_cskcb",
})
GUARDIAN_COLUMNS = ("guardian_name", "guardian_relation", "guardian_id_number", "guardian_phone")
CHANGE_COLUMNS = ("finished", "finished_at", "updated_at")


@dataclass(frozen=True, kw_only=True, slots=True)
class RowKind:
    """One kind of detail row: its profile query name, contract table and model class."""

    name: str              # profile file stem, e.g. "drug_lines"
    table: str             # contract table, e.g. "his_drug_line"
    cls: type
    attr: str              # Encounter attribute it fills
    many: bool             # a tuple of rows (list tables) or one row (flat tables)
    xml: int               # the XML table it feeds
    optional: bool = False  # a profile may leave it out (rare tables)


ROW_KINDS: tuple[RowKind, ...] = (
    RowKind(name="drug_lines", table="his_drug_line", cls=DrugLine, attr="drugs", many=True, xml=2),
    RowKind(name="service_lines", table="his_service_line", cls=ServiceLine, attr="services",
            many=True, xml=3),
    RowKind(name="lab_results", table="his_lab_result", cls=LabResult, attr="lab_results",
            many=True, xml=4),
    RowKind(name="clinical_notes", table="his_clinical_note", cls=ClinicalNote,
            attr="clinical_notes", many=True, xml=5),
    RowKind(name="hiv_care", table="his_hiv_care", cls=HivCare, attr="hiv_care", many=True, xml=6,
            optional=True),
    RowKind(name="discharge", table="his_discharge", cls=DischargePaper, attr="discharge",
            many=False, xml=7),
    RowKind(name="summary", table="his_summary", cls=RecordSummary, attr="summary", many=False, xml=8),
    RowKind(name="births", table="his_birth", cls=BirthCertificate, attr="births", many=True, xml=9,
            optional=True),
    RowKind(name="pregnancy_rest", table="his_pregnancy_rest", cls=PregnancyRest,
            attr="pregnancy_rest", many=False, xml=10, optional=True),
    RowKind(name="sick_leave", table="his_sick_leave", cls=SickLeave, attr="sick_leave",
            many=False, xml=11, optional=True),
    RowKind(name="referral", table="his_referral", cls=Referral, attr="referral", many=False, xml=13),
    RowKind(name="appointment", table="his_appointment", cls=Appointment, attr="appointment",
            many=False, xml=14),
    RowKind(name="tb_treatments", table="his_tb_treatment", cls=TbTreatment, attr="tb_treatments",
            many=True, xml=15, optional=True),
)


def kind(name: str) -> RowKind:
    return next(k for k in ROW_KINDS if k.name == name)


def type_kind(annotation: object) -> str:
    """'str' | 'decimal' | 'datetime' | 'date' | 'int' from a (string) annotation."""
    text = str(annotation).replace(" | None", "").strip()
    return {"str": "str", "Decimal": "decimal", "datetime": "datetime", "date": "date",
            "int": "int"}.get(text, "other")


_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def model_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, type kind) of a model class, in declaration order."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple((f.name, type_kind(f.type)) for f in dataclasses.fields(cls))
    return found


@cache
def encounter_fields() -> tuple[tuple[str, str], ...]:
    """Header columns: patient fields, then encounter fields (without nested objects)."""
    patient = tuple(f for f in model_fields(Patient) if f[1] != "other")
    episode = tuple(f for f in model_fields(Encounter) if f[0] not in _NOT_COLUMNS)
    return patient + episode


@cache
def _size(xml: int, name: str) -> int | None:
    sizes: list[int | None] = []
    for profile in catalogue.PROFILES:
        try:
            sizes.append(catalogue.field(xml, profile, name.upper()).size)
        except KeyError:
            continue
    if not sizes or any(s is None for s in sizes):
        return None
    return max(s for s in sizes if s is not None)


def sql_type(xml: int, name: str, kind_: str) -> TypeEngine[Any]:
    """The recommended column type; strings keep the catalogue size (both profiles), else TEXT."""
    if kind_ == "decimal":
        return Numeric(18, 3)
    if kind_ == "datetime":
        return DateTime()
    if kind_ == "date":
        return Date()
    if kind_ == "int":
        return Integer()
    size = _size(xml, name)
    if size is None or size > 1024:
        return Text()
    return String(max(size, 20))


def _columns(xml: int, fields: tuple[tuple[str, str], ...]) -> list[Column[Any]]:
    return [Column(name, sql_type(xml, name, k), nullable=True) for name, k in fields]


def _encounter_table(md: MetaData) -> Table:
    cols: list[Column[Any]] = [Column("ma_lk", String(100), primary_key=True),
            Column("ma_cskcb", String(20), nullable=False)]
    cols += _columns(1, encounter_fields())
    cols += [Column(n, String(255)) for n in GUARDIAN_COLUMNS]
    cols += [Column("finished", SmallInteger, nullable=False, server_default="0"),
             Column("finished_at", DateTime), Column("updated_at", DateTime, nullable=False)]
    table = Table("his_encounter", md, *cols)
    Index("ix_his_encounter_changed", table.c.ma_cskcb, table.c.updated_at, table.c.ma_lk)
    return table


def _kind_table(md: MetaData, k: RowKind) -> Table:
    keys: list[Column[Any]] = [Column("ma_lk", String(100), primary_key=True)]
    if k.many:
        keys.append(Column("stt", Integer, primary_key=True, autoincrement=False))
    fields = tuple(f for f in model_fields(k.cls) if f[0] != "ma_lk")
    return Table(k.table, md, *keys, *_columns(k.xml, fields))


def build_metadata() -> MetaData:
    """A fresh MetaData holding every contract table (for the demo HIS and tests)."""
    md = MetaData()
    Table("his_facility", md,
          Column("ma_cskcb", String(20), primary_key=True), Column("name", String(255), nullable=False),
          Column("national_id", String(20)), Column("tax_code", String(20)), Column("address", Text),
          Column("head_practitioner", String(255)))
    Table("his_practitioner", md,
          Column("code", String(255), primary_key=True), Column("ma_cskcb", String(20), nullable=False),
          Column("name", String(255), nullable=False), Column("cccd", String(20)),
          Column("licence_no", String(255)), Column("licence_kind", String(10)), Column("title", String(255)),
          Column("departments", String(255)), Column("valid_from", Date), Column("valid_to", Date))
    _encounter_table(md)
    Table("his_card", md,
          Column("ma_lk", String(100), primary_key=True), Column("stt", Integer, primary_key=True,
                                                                 autoincrement=False),
          Column("ma_the_bhyt", String(20), nullable=False), Column("ma_dkbd", String(20), nullable=False),
          Column("gt_the_tu", Date, nullable=False), Column("gt_the_den", Date))
    for k in ROW_KINDS:
        _kind_table(md, k)
    return md
