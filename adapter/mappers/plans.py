"""Per-table field plans, computed once per (table, profile) from the catalogue.

A plan is everything about a field that does not depend on the encounter: element
name of the profile, model attribute (the 4750 name in lower case), formatter,
CDATA or escaping, whether it inherits the XML1 value, and the literal tags. The
serialiser then only looks values up and joins strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from adapter.catalogue import FieldSpec, Profile, TableSpec, fields, table
from adapter.errors import ConfigError
from adapter.mappers.format import FREE_TEXT, Reader, Writer, kind_of, readers

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# Tables whose administrative fields fall back to XML1 when the HIS left them empty.
INHERITING_TABLES = frozenset({6, 7, 8, 9, 13, 14, 15})
# Same name, different meaning per table: never copied from XML1.
NOT_INHERITED = frozenset({"MA_LK", "STT", "DU_PHONG", "GHI_CHU", "PP_DIEU_TRI"})
# Same name as in XML1 but another document's value: XML13 GIAY_CHUYEN_TUYEN is the letter
# this facility issues (XML1's is the one the patient brought); an XML9 record is one
# child, XML1 CAN_NANG_CON lists every newborn of the delivery.
NOT_INHERITED_IN: dict[int, frozenset[str]] = {9: frozenset({"CAN_NANG_CON"}),
                                               13: frozenset({"GIAY_CHUYEN_TUYEN"})}

VALUE, LINK, SEQUENCE = 0, 1, 2     # field roles: model value, MA_LK, STT


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldPlan:
    name: str              # element name in this profile
    base: str              # 4750 name: key of XML1 values, model attribute in upper case
    attr: str
    role: int
    inherit: bool
    readers: dict[type, Reader]  # exact value type -> (text as parsed back, needs the wrapper)
    other: Reader                # any other type
    wrap: Writer                 # text -> escaped or CDATA content
    open: str
    close: str
    empty: str


@dataclass(frozen=True, kw_only=True, slots=True)
class TablePlan:
    spec: TableSpec
    profile: Profile
    fields: tuple[FieldPlan, ...]
    values: tuple[FieldPlan, ...]       # the fields after MA_LK (and STT), read from a model object
    read: Callable[[object], tuple[Any, ...]]   # all of their attributes in one call
    numbered: bool                      # has STT
    head: str              # declaration, root and list element openings
    tail: str
    item_open: str
    item_close: str

    @property
    def is_list(self) -> bool:
        return self.spec.item_element is not None


def _role(base: str) -> int:
    return {"MA_LK": LINK, "STT": SEQUENCE}.get(base, VALUE)


@cache
def xml1_names(profile: Profile) -> frozenset[str]:
    return frozenset(f.base_name for f in fields(1, profile))


def _reader(values: tuple[FieldPlan, ...]) -> Callable[[object], tuple[Any, ...]]:
    get = attrgetter(*(f.attr for f in values))
    return get if len(values) > 1 else lambda obj: (get(obj),)


def _field(f: FieldSpec, profile: Profile, in_parent: bool) -> FieldPlan:
    by_type, other, wrap = readers(kind_of(f.fmt, profile), f.name in FREE_TEXT)
    return FieldPlan(name=f.name, base=f.base_name, attr=f.attr, role=_role(f.base_name),
                     inherit=in_parent and f.base_name not in NOT_INHERITED,
                     readers=by_type, other=other, wrap=wrap,
                     open=f"<{f.name}>", close=f"</{f.name}>", empty=f"<{f.name}/>")


@cache
def plan(number: int, profile: Profile) -> TablePlan:
    """The field plan of table ``number`` in ``profile``."""
    spec = table(number)
    inheriting = number in INHERITING_TABLES
    parent = xml1_names(profile) - NOT_INHERITED_IN.get(number, frozenset())
    out = tuple(_field(f, profile, inheriting and f.base_name in parent) for f in fields(number, profile))
    lead = [f.role for f in out[:2] if f.role != VALUE]
    if lead[:1] != [LINK] or any(f.role != VALUE for f in out[len(lead):]):
        raise ConfigError(f"XML{number}: MA_LK/STT are expected first in the catalogue")
    values = out[len(lead):]
    head, tail = f"{DECLARATION}<{spec.root}>", f"</{spec.root}>"
    if spec.list_element:
        head, tail = f"{head}<{spec.list_element}>", f"</{spec.list_element}>{tail}"
    if number == 0:
        # The check-in is a standalone signed file: its signature slot ends the root (spec §2.2).
        tail = tail.replace(f"</{spec.root}>", f"<CHUKYDONVI/></{spec.root}>")
    item = spec.item_element
    return TablePlan(spec=spec, profile=profile, fields=out, values=values, read=_reader(values),
                     numbered=SEQUENCE in lead, head=head, tail=tail,
                     item_open=f"<{item}>" if item else "", item_close=f"</{item}>" if item else "")
