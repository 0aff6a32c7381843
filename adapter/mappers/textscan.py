"""What the text normaliser changed, per table, row and field.

The mappers write normalised text (``adapter.text``), so the emitted document no longer
shows that a value carried control characters or decomposed (NFD) letters. This scan
tells validation where that happened, without values: only table, row and element
name, so the finding can become an issue with a rule code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from adapter.catalogue import Profile, table
from adapter.mappers.plans import TablePlan, plan
from adapter.mappers.sources import checkin_values, table_rows, xml1_values
from adapter.model import Encounter, Facility
from adapter.text import CONTROL_CLASS, normalize

_SUSPECT = re.compile(f"[{CONTROL_CLASS}]")


@dataclass(frozen=True, kw_only=True, slots=True)
class TextChange:
    """One value the normaliser changed. Carries no part of the value."""

    table: str                 # "XML1", "XML3", "XML0"
    row: int | None            # 1-based item of a list table; None for a flat table
    field: str                 # element name in the profile
    removed: int               # control / XML-illegal characters dropped
    recomposed: bool           # was not NFC


def _suspect(value: str) -> bool:
    return bool(_SUSPECT.search(value)) or (not value.isascii()
                                            and not unicodedata.is_normalized("NFC", value))


def _row_clean(values: Iterable[Any]) -> bool:
    """No text value of the row needs normalising: one search over all of them joined.

    LF joins them: it is kept by the normaliser and, as a starter that composes with
    nothing, makes the whole NFC exactly when every part is."""
    joined = "\n".join([v for v in values if isinstance(v, str)])
    return not _suspect(joined)


def _changes(p: TablePlan, pairs: Iterable[tuple[str, Any]], row: int | None) -> Iterator[TextChange]:
    for name, value in pairs:
        if isinstance(value, str) and _suspect(value):
            result = normalize(value)
            yield TextChange(table=p.spec.code, row=row, field=name, removed=result.removed,
                             recomposed=result.recomposed)


def _mapping(p: TablePlan, values: Mapping[str, Any], row: int | None) -> Iterator[TextChange]:
    pairs = [(f.name, values.get(f.base)) for f in p.fields]
    return iter(()) if _row_clean(v for _, v in pairs) else _changes(p, pairs, row)


def _objects(p: TablePlan, number: int, encounter: Encounter) -> Iterator[TextChange]:
    listed = table(number).item_element is not None
    names = [f.name for f in p.values]
    for index, obj in enumerate(table_rows(number, encounter), start=1):
        values = p.read(obj)
        if not _row_clean(values):
            yield from _changes(p, zip(names, values, strict=True), index if listed else None)


def text_changes(encounter: Encounter, profile: Profile, tables: Iterable[int],
                 facility: Facility | None = None) -> tuple[TextChange, ...]:
    """Every value of ``tables`` that normalising changed (XML0 = the reception check-in).
    Values a table inherits from XML1 are reported once, under XML1."""
    out: list[TextChange] = []
    for number in tables:
        p = plan(number, profile)
        if number == 0:
            out += _mapping(p, checkin_values(encounter), 1)
        elif number == 1:
            out += _mapping(p, xml1_values(encounter, profile, facility), None)
        else:
            out += _objects(p, number, encounter)
    return tuple(out)
