"""A second, vendor-shaped demo HIS: one table per XML table (``xml130_bang1`` ...).

Many HIS products keep a staging copy of the output tables: columns named like the
XML elements in upper case, date-times as ``yyyyMMddHHmm`` text, cards as ";" lists
in table 1. ``generate_vendor_his`` writes the SAME encounters as the view-contract
demo for the same seed, and the ``vendor_xml130`` profile reads them with no code
change, which is what the reader's profile mechanism is for.

Column names are created unquoted (``quote=False``), as a vendor's DDL would be, so
the profile SQL can name them without dialect-specific quoting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, SmallInteger, String, Table

from adapter import catalogue
from adapter.his import contract, demo_data
from adapter.his.demo import ChunkedWriter, DemoSummary, Tally, encounter_row, obj_row
from adapter.his.demo_data import GeneratedEncounter
from adapter.his.engine import writable_engine
from adapter.model import Encounter, Practitioner
from adapter.money import episode_totals

TABLE_1 = "xml130_bang1"
STAFF_TABLE = "dm_nhanvien"
CARD_COLUMNS = ("ma_the_bhyt", "ma_dkbd", "gt_the_tu", "gt_the_den")
TOTALS = ("t_thuoc", "t_vtyt", "t_tongchi_bv", "t_tongchi_bh", "t_bntt", "t_bncct", "t_bhtt",
          "t_nguonkhac", "t_bhtt_gdv")


def table_name(xml: int) -> str:
    return f"xml130_bang{xml}"


def _col(name: str, type_: Any, **kw: Any) -> Column[Any]:
    return Column(name.upper(), type_, quote=False, **kw)


def _vendor_type(xml: int, name: str, kind: str) -> Any:
    if kind in ("datetime", "date"):
        return String(12)                  # yyyyMMddHHmm / yyyyMMdd text, as the XML writes it
    return contract.sql_type(xml, name, kind)


def _kinds_1() -> dict[str, str]:
    kinds = dict(contract.encounter_fields())
    kinds.update({n: "decimal" for n in TOTALS})
    kinds.update({n: "str" for n in CARD_COLUMNS})
    kinds.update(stt="int", ma_lk="str", ma_cskcb="str", du_phong="str")
    return kinds


def build_vendor_metadata() -> MetaData:
    md = MetaData()
    kinds = _kinds_1()
    cols = [_col("ma_lk", String(100), primary_key=True)]
    cols += [_col(f.attr, _vendor_type(1, f.attr, kinds.get(f.attr, "str")))
             for f in catalogue.fields(1, "4750") if f.attr != "ma_lk"]
    cols += [_col("trang_thai", SmallInteger, nullable=False),
             _col("ngay_cap_nhat", DateTime, nullable=False)]
    Table(TABLE_1, md, *cols)
    for k in contract.ROW_KINDS:
        spec = dict(contract.model_fields(k.cls))
        keys = [_col("ma_lk", String(100), primary_key=True)]
        if k.many:
            keys.append(_col("stt", Integer, primary_key=True, autoincrement=False))
        body = [_col(f.attr, _vendor_type(k.xml, f.attr, spec[f.attr]))
                for f in catalogue.fields(k.xml, "4750") if f.attr in spec]
        Table(table_name(k.xml), md, *keys, *body)
    Table(STAFF_TABLE, md, _col("macchn", String(255), primary_key=True), _col("ma_cskcb", String(20)),
          _col("ho_ten", String(255)), _col("so_cccd", String(20)), _col("loai_giay_phep", String(10)),
          _col("chucdanh_nn", String(255)), _col("ma_khoa", String(255)), _col("tu_ngay", String(8)),
          _col("den_ngay", String(8)))
    return md


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%Y%m%d%H%M}"
    if isinstance(value, date):
        return f"{value:%Y%m%d}"
    return value


def _upper(row: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    return {k.upper(): _text(v) for k, v in row.items() if k.upper() in allowed}


def bang1_row(g: GeneratedEncounter, allowed: set[str]) -> dict[str, Any]:
    e = g.encounter
    row = encounter_row(g)
    # 3176 writes the height into XML1 DU_PHONG; this vendor does too.
    row["du_phong"] = str(e.chieu_cao_cm) if e.chieu_cao_cm is not None else None
    for name in CARD_COLUMNS:
        row[name] = ";".join(_text(getattr(c, name)) or "" for c in e.cards) or None
    totals = episode_totals(e)
    row.update({n: getattr(totals, n) for n in TOTALS})
    row.update(trang_thai=row.pop("finished"), ngay_cap_nhat=row.pop("updated_at"))
    out = _upper(row, allowed)
    out["NGAY_CAP_NHAT"] = g.updated_at         # the change marker stays a native timestamp
    return out


def detail_rows(e: Encounter, allowed: dict[str, set[str]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for k in contract.ROW_KINDS:
        value = getattr(e, k.attr)
        name = table_name(k.xml)
        items = enumerate(value, start=1) if k.many else ([(0, value)] if value is not None else [])
        for stt, item in items:
            extra = {"ma_lk": e.ma_lk, "stt": stt} if k.many else {"ma_lk": e.ma_lk}
            yield name, _upper(obj_row(item, **extra), allowed[name])


def staff_row(p: Practitioner, ma_cskcb: str) -> dict[str, Any]:
    return {"MACCHN": p.code, "MA_CSKCB": ma_cskcb, "HO_TEN": p.name, "SO_CCCD": p.cccd,
            "LOAI_GIAY_PHEP": p.licence_kind, "CHUCDANH_NN": p.title, "MA_KHOA": ";".join(p.departments),
            "TU_NGAY": _text(p.valid_from), "DEN_NGAY": _text(p.valid_to)}


def generate_vendor_his(url: str | Path, *, encounters: int, seed: int, ma_cskcb: str = "79001",
                        start: datetime | None = None) -> DemoSummary:
    """Create the vendor-shaped schema at ``url`` with the same encounters as the contract demo."""
    began = time.perf_counter()
    tally = Tally()
    generated = tally.count(demo_data.iter_generate(encounters=encounters, seed=seed, ma_cskcb=ma_cskcb,
                                                    start=start))
    md = build_vendor_metadata()
    allowed = {t.name: {c.name for c in t.columns} for t in md.tables.values()}
    engine = writable_engine(url)
    try:
        with engine.begin() as conn:
            md.drop_all(conn)
            md.create_all(conn)
            writer = ChunkedWriter(conn, md)
            for p in demo_data.practitioners():
                writer.add(STAFF_TABLE, staff_row(p, ma_cskcb))
            for g in generated:
                writer.add(TABLE_1, bang1_row(g, allowed[TABLE_1]))
                for table, row in detail_rows(g.encounter, allowed):
                    writer.add(table, row)
            counts = writer.close()
    finally:
        engine.dispose()
    return tally.summary(engine.url.render_as_string(hide_password=True), counts, began)
