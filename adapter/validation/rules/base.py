"""What every check sees (``Episode``), how it reports (``make_issue``) and small value helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import count, repeat
from typing import Any

from adapter.catalogue import Profile
from adapter.validation.context import ValidationContext
from adapter.validation.issues import Issue
from adapter.validation.parse import TableRows
from adapter.validation.rules.catalog import RULES

Row = Mapping[str, str]


@dataclass(frozen=True, kw_only=True, slots=True)
class Episode:
    """The tables of one episode (or one standalone table file) under one profile."""

    tables: Mapping[int, TableRows]
    profile: Profile
    ma_lk: str
    context: ValidationContext
    whole: bool                      # all tables of the episode are here (pipeline, envelope)
    # Values several rules derive from the same rows (money amounts parsed once per row).
    memo: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    def rows(self, table: int) -> tuple[Row, ...]:
        t = self.tables.get(table)
        return t.rows if t is not None else ()

    def xml1(self) -> Row | None:
        rows = self.rows(1)
        return rows[0] if rows else None

    def located(self, table: int) -> Iterator[tuple[int | None, Row]]:
        """(row number for list tables, row); flat tables have no row number."""
        rows = self.rows(table)
        # zip over C iterators: this runs for every row in most rules, a generator cost more.
        numbers: Iterable[int | None] = repeat(None) if table in FLAT_TABLES else count(1)
        return zip(numbers, rows, strict=False)      # numbers never end

    def row_ma_lk(self, row: Row) -> str:
        return row.get("MA_LK") or self.ma_lk


Check = Callable[[Episode], Iterable[Issue]]
FLAT_TABLES = frozenset({1, 7, 8, 10, 11, 13, 14})


def table_code(table: int) -> str:
    return f"XML{table}"


def make_issue(code: str, table: str, *, field: str = "", row: int | None = None, ma_lk: str = "",
               **params: object) -> Issue:
    """An issue of a catalogued rule, its messages filled from the templates (never from values)."""
    spec = RULES[code]
    values = {"field": field, "table": table, **params}
    return Issue(rule=code, severity=spec.severity, table=table, field=field, row=row, ma_lk=ma_lk,
                 message_vi=spec.vi.format_map(values), message_en=spec.en.format_map(values))


def at(ep: Episode, code: str, table: int, row_no: int | None, row: Row, field: str = "",
       **params: object) -> Issue:
    """An issue located at a row of a table of the episode."""
    return make_issue(code, table_code(table), field=field, row=row_no, ma_lk=ep.row_ma_lk(row), **params)


# The catalogue's widest numbers are 15 characters (T_* totals): a value of 10^15 or more is
# already FIELD_TOO_LONG / FIELD_NOT_NUMBER, and feeding it to the money arithmetic would only
# add noise (or, with ~30 digits, exceed what a Decimal context holds).
MAX_ADJUSTED_EXPONENT = 14


@lru_cache(maxsize=8192)
def decimal(text: str) -> Decimal | None:
    """A catalogue number; ``None`` when empty, malformed or oversize (structure reports those)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or (value and value.adjusted() > MAX_ADJUSTED_EXPONENT):
        return None
    return value


@lru_cache(maxsize=8192)
def moment(text: str) -> datetime | None:
    """yyyyMMddHHmm or yyyyMMdd as a datetime; ``None`` when empty or not a real date."""
    if len(text) not in (8, 12) or not text.isdigit():
        return None
    try:
        if len(text) == 8:
            return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]))
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return None


def split_list(text: str) -> list[str]:
    """A ';' list as its items (empty text -> no items)."""
    return [p.strip() for p in text.split(";")] if text else []
