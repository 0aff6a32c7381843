"""Pre-submission validation: safe XML parsing, the rule catalogue, code lists by date.

Public API (imported lazily so that ``adapter.validation.config``, which the settings
import, stays cheap)::

    from adapter.validation import validate_tables, validate_document, validate_path
    from adapter.validation import ValidationContext, CodeLists, PractitionerRegistry, RULES
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
