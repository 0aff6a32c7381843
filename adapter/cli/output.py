"""Printing for the CLI: aligned tables on a terminal, JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

WIDE = frozenset({"message", "message_vi", "message_en", "detail", "reason", "value"})


def print_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
                out: TextIO | None = None, *, wide: frozenset[str] = WIDE) -> None:
    """Print rows as an aligned text table (no colour, safe for logs and pipes).

    Cells are cut at 60 characters except in ``wide`` columns (messages), which are whole.
    """
    out = out or sys.stdout
    if not rows:
        out.write("(none)\n")
        return
    cols = list(columns or rows[0].keys())
    cells = [[_cell(r.get(c), c in wide) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    out.write("  ".join(c.upper().ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def print_json(data: Any, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _cell(value: Any, whole: bool = False) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", " ")
    return text if whole or len(text) <= 60 else text[:57] + "..."
