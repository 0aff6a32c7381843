"""Pre-submission validation: safe XML parsing, the rule catalogue, code lists by date.

Public API (imported lazily so that ``adapter.validation.config``, which the settings
import, stays cheap)::

    validate_document(data: bytes, profile=None, context=None) -> ValidationReport
        # envelope (GIAMDINHHS), check-in (XML0) or one table; context: a ValidationContext,
        # a factory date -> ValidationContext (context_factory(settings.validation)), or None
    validate_tables(tables: Mapping[int, TableRows], profile=None, *, ma_lk="", context=None,
                    whole=True) -> list[Issue]            # rows already parsed; whole: all tables here
    validate_path(path, profile=None, context=None) -> list[FileReport]   # files (the only I/O)
    ValidationContext(codelists=CodeLists.load(day), xml8_policy="sheet", registry=None)
    PractitionerRegistry  # Protocol: status(code, on) -> "valid"|"unknown"|"expired"|"outside_hours"
    RULES                 # code -> RuleSpec(code, severity, vi, en, doc)

Issues never carry a value from the record: only table, row, field, rule and MA_LK.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "validate_tables": "adapter.validation.engine",
    "validate_document": "adapter.validation.engine",
    "validate_path": "adapter.validation.files",
    "detect_profile": "adapter.validation.engine",
    "ValidationReport": "adapter.validation.engine",
    "FileReport": "adapter.validation.files",
    "ValidationContext": "adapter.validation.context",
    "PractitionerRegistry": "adapter.validation.context",
    "CodeLists": "adapter.validation.codelists",
    "TableRows": "adapter.validation.parse",
    "RULES": "adapter.validation.rules.catalog",
    "RuleSpec": "adapter.validation.rules.catalog",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(module), name)
