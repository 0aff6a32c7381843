"""The field catalogue of QĐ 130/4750/3176 (``adapter/data/fields.json``), per profile.

A copy of ``shared/spec/bhyt-xml-fields.json``. Profile ``4750`` takes its types and
sizes from the 4750 validation sheet (falling back to the 130 columns), profile
``3176`` from the 3176 appendix. Field names follow the profile (XML13 renames in
3176); fields removed by a profile are absent from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Profile = Literal["4750", "3176"]
PROFILES: tuple[Profile, ...] = ("4750", "3176")
PRODUCED_TABLES: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15)


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldSpec:
    """One field of one table in one profile."""

    table: int
    order: int
    name: str                  # element name in this profile
    base_name: str             # 4750 name (= model attribute in upper case)
    numeric: bool              # "Số" in this profile
    size: int | None           # None = unbounded ("n")
    required: bool             # "x" (or "as 4210") in the validation sheet
    condition: str             # conditional-requirement text, "" when none
    fmt: str                   # format hint from the catalogue ("yyyyMMddHHmm", "decimal, 2 dp", ...)
    rule: str                  # the validation sheet's VALID text

    @property
    def attr(self) -> str:
        return self.base_name.lower()


@dataclass(frozen=True, kw_only=True, slots=True)
class TableSpec:
    number: int
    code: str                  # "XML1"; "XML0" for the check-in
    root: str
    list_element: str | None   # DSACH_... for list tables
    item_element: str | None
    title: str


def _size(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _required(flag: str) -> tuple[bool, str]:
    flag = (flag or "").strip()
    if flag.lower() in ("x",) or "4210" in flag:
        return True, ""
    if flag.lower().startswith("x ("):
        return False, flag
    return False, flag


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("adapter").joinpath("data/fields.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def table(number: int) -> TableSpec:
    t = _raw()["tables"][str(number)]
    code = "XML0" if number == 0 else f"XML{number}"
    return TableSpec(number=number, code=code, root=t["root"], list_element=t["lst"],
                     item_element=t["item"], title=t["title"])


@cache
def fields(number: int, profile: Profile) -> tuple[FieldSpec, ...]:
    """The fields of a table in emission order for a profile."""
    out: list[FieldSpec] = []
    for f in _raw()["fields"]:
        if f["table"] != number:
            continue
        if profile == "3176":
            if f.get("removed_in_3176"):
                continue
            name, typ, size = f.get("name_3176") or f["name"], f["type_3176"], f["size_3176"]
        else:
            name = f["name"]
            typ = f.get("type_validate_sheet") or f["type_130"]
            size = f.get("size_validate_sheet") or f["size_130"]
        required, condition = _required(f.get("required_validate_sheet", ""))
        out.append(FieldSpec(table=number, order=int(f["order"]), name=name, base_name=f["name"],
                             numeric=typ.strip().lower().startswith("s") and "chuỗi" not in typ.lower(),
                             size=_size(size), required=required, condition=condition,
                             fmt=f.get("fmt", ""), rule=f.get("valid_rule", "")))
    return tuple(sorted(out, key=lambda s: s.order))


def field(number: int, profile: Profile, name: str) -> FieldSpec:
    """One field by its profile name or its 4750 name."""
    for spec in fields(number, profile):
        if name in (spec.name, spec.base_name):
            return spec
    raise KeyError(f"XML{number} has no field {name} in profile {profile}")


def table_by_code(code: str) -> TableSpec:
    """``"XML3"`` -> table 3; ``"XML0"`` -> the check-in."""
    return table(int(code.upper().removeprefix("XML")))


def table_by_root(root: str) -> TableSpec | None:
    for key in _raw()["tables"]:
        spec = table(int(key))
        if spec.root == root:
            return spec
    return None
