"""Source profiles: the SQL that reads one HIS schema, one SELECT per kind of row.

A profile is a folder of ``<query>.sql`` files. Built-in profiles live in
``adapter/his/profiles/<name>/``; a hospital points ``[his] profile_dir`` at its own
folder. A file ``<query>.<dialect>.sql`` (``postgresql``, ``mysql``, ``sqlite``,
``mssql``, ``oracle``) wins over ``<query>.sql`` on that database.

Every query returns the contract column names (``docs/his-view-contract.md``) and
may use these bound parameters, never string formatting:

* ``:ma_cskcb``      the facility code
* ``:since_changed`` / ``:since_ma_lk``  the watermark (change time, then MA_LK)
* ``:limit``         the batch size
* ``:ma_lks``        an expanding list of MA_LK (``WHERE ma_lk IN :ma_lks``)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Integer, String, TextClause, bindparam, text

from adapter.errors import ConfigError
from adapter.his.contract import ROW_KINDS

ENCOUNTERS_CHANGED = "encounters_changed"
ENCOUNTERS_BY_ID = "encounters_by_id"
CARDS = "cards"
PRACTITIONERS = "practitioners"
FACILITY = "facility"
CHECKINS = "checkins"

REQUIRED_QUERIES: tuple[str, ...] = (ENCOUNTERS_CHANGED, ENCOUNTERS_BY_ID, CARDS, PRACTITIONERS,
                                     *(k.name for k in ROW_KINDS if not k.optional))
OPTIONAL_QUERIES: tuple[str, ...] = (FACILITY, CHECKINS, *(k.name for k in ROW_KINDS if k.optional))

_PARAMS: dict[str, Any] = {
    "ma_cskcb": String(), "since_changed": DateTime(), "since_ma_lk": String(), "limit": Integer(),
}
_DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle")


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceProfile:
    """The named SQL of one HIS schema."""

    name: str
    queries: Mapping[str, str]              # "<query>" or "<query>.<dialect>" -> SQL text

    @classmethod
    def load(cls, name_or_dir: str | Path) -> SourceProfile:
        """A built-in profile by name (``demo``, ``vendor_xml130``) or a folder of SQL files."""
        folder = Path(name_or_dir)
        if folder.is_dir():
            files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.sql")}
            return cls._checked(folder.name, files)
        if not re.fullmatch(r"[A-Za-z0-9_]+", str(name_or_dir)):
            raise ConfigError(f"source profile not found: {name_or_dir}")
        root = resources.files("adapter.his").joinpath("profiles").joinpath(str(name_or_dir))
        if not root.is_dir():
            raise ConfigError(f"no built-in source profile named {name_or_dir}")
        files = {p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith(".sql")}
        return cls._checked(str(name_or_dir), files)

    @classmethod
    def _checked(cls, name: str, files: dict[str, str]) -> SourceProfile:
        queries = {fname.removesuffix(".sql"): sql for fname, sql in files.items()}
        missing = [q for q in REQUIRED_QUERIES if q not in queries]
        if missing:
            raise ConfigError(f"source profile {name} lacks queries: {', '.join(missing)}")
        return cls(name=name, queries=queries)

    def has(self, query: str) -> bool:
        return query in self.queries

    def sql(self, query: str, dialect: str = "") -> str:
        for key in (f"{query}.{dialect}", query):
            if key in self.queries:
                return self.queries[key]
        raise ConfigError(f"source profile {self.name} has no query {query}")

    def parameters(self, query: str, dialect: str = "") -> frozenset[str]:
        """The bound parameter names a query uses."""
        return frozenset(re.findall(r"(?<![:\w]):(\w+)", self.sql(query, dialect)))

    def statement(self, query: str, dialect: str = "") -> TextClause:
        """The query as a ``text()`` with typed (and, for ``:ma_lks``, expanding) bound parameters."""
        sql = self.sql(query, dialect)
        used = self.parameters(query, dialect)
        binds = [bindparam(p, type_=t) for p, t in _PARAMS.items() if p in used]
        if "ma_lks" in used:
            binds.append(bindparam("ma_lks", expanding=True, type_=String()))
        return text(sql).bindparams(*binds)

    def query_names(self) -> list[str]:
        """Queries this profile defines (dialect variants folded)."""
        return sorted({q.split(".")[0] for q in self.queries})


def known_dialects() -> tuple[str, ...]:
    return _DIALECTS
