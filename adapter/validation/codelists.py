"""Code lists as DATA, versioned by effective date (``adapter/data/codelists/*.json``).

Each file holds one list, the fields it governs (``"XML1.MA_LOAI_KCB"``) and its
versions, each with the decision it comes from and the date it takes effect. A
facility can drop newer files into a directory of its own (``config/codelists/``);
a file there replaces the packaged file of the same list. Selection is by the
episode date: the newest version in force on that date; a date before the first
version uses the first version (the standard did not exist earlier, and failing
every old record would help nobody).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from adapter.errors import ConfigError


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeList:
    """One list in the version in force on a date."""

    name: str
    source: str
    effective_from: date
    codes: frozenset[str]
    fields: tuple[tuple[int, str], ...]


def _field_ref(text: str) -> tuple[int, str]:
    table, _, name = text.partition(".")
    return int(table.upper().removeprefix("XML")), name


def _versions(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return sorted(raw["versions"], key=lambda v: v["effective_from"])


def _index_on(raw: Mapping[str, Any], on: date) -> int:
    """The version in force on ``on``; the first one for earlier dates."""
    chosen = 0
    for i, v in enumerate(_versions(raw)):
        if date.fromisoformat(v["effective_from"]) <= on:
            chosen = i
    return chosen


@cache
def _version(name: str, index: int, directory: str | None) -> CodeList:
    # One object per list version, however many episode dates select it.
    raw = dict(_raw_lists(directory))[name]
    chosen = _versions(raw)[index]
    return CodeList(name=raw["list"], source=chosen["source"],
                    effective_from=date.fromisoformat(chosen["effective_from"]),
                    codes=frozenset(chosen["codes"]), fields=tuple(_field_ref(f) for f in raw["fields"]))


def _packaged() -> dict[str, dict[str, Any]]:
    folder = resources.files("adapter").joinpath("data/codelists")
    out: dict[str, dict[str, Any]] = {}
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            raw = json.loads(item.read_text(encoding="utf-8"))
            out[raw["list"]] = raw
    return out


def _directory(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(path.glob("*.json")):
        try:
            raw = json.loads(item.read_text(encoding="utf-8"))
            out[raw["list"]] = raw
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"code list file {item.name} is not a valid code list") from exc
    return out


@cache
def _raw_lists(directory: str | None) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    lists = _packaged()
    if directory is not None:
        lists.update(_directory(Path(directory)))
    return tuple(sorted(lists.items()))


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeLists:
    """Every list in the version in force on ``effective_on``, indexed by (table, field)."""

    effective_on: date
    lists: tuple[CodeList, ...]
    by_field: Mapping[tuple[int, str], CodeList]

    @classmethod
    def load(cls, effective_on: date, directory: Path | None = None) -> CodeLists:
        return _load(effective_on, str(directory) if directory is not None else None)

    def get(self, name: str) -> CodeList:
        for item in self.lists:
            if item.name == name:
                return item
        raise KeyError(name)


@lru_cache(maxsize=512)   # bounded: a service runs for years of episode dates
def _load(effective_on: date, directory: str | None) -> CodeLists:
    lists = tuple(_version(name, _index_on(raw, effective_on), directory)
                  for name, raw in _raw_lists(directory))
    by_field = {ref: cl for cl in lists for ref in cl.fields}
    return CodeLists(effective_on=effective_on, lists=lists, by_field=by_field)
