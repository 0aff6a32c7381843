"""Every row of the mapping table in docs/fhir-mapping.md holds on the demo encounter's bundle."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "fhir-mapping.md"
_SEGMENT = re.compile(r"^(\w+)(?:\[(\d+)\])?$")


def _rows() -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- mapping-table:start -->")[1].split("<!-- mapping-table:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((cells[1], cells[2].strip("`"), cells[3].strip("`")))
    return rows


def evaluate(bundle: dict[str, Any], path: str) -> list[Any]:
    """A small FHIRPath subset: ``Type.a.b[0].c``, lists flattened, ``->`` resolves a reference."""
    hops = path.split("->")
    kind, _, rest = hops[0].partition(".")
    values = _step([e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind], rest)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    for hop in hops[1:]:
        kind, _, rest = hop.partition(".")
        targets = [by_url[v["reference"]] for v in values if isinstance(v, dict) and "reference" in v]
        values = _step([t for t in targets if t["resourceType"] == kind], rest)
    return values


def _step(nodes: list[Any], path: str) -> list[Any]:
    for segment in filter(None, path.split(".")):
        match = _SEGMENT.match(segment)
        assert match, segment
        name, index = match.group(1), match.group(2)
        found = [n[name] for n in nodes if isinstance(n, dict) and name in n]
        if index is not None:
            found = [f[int(index)] for f in found if isinstance(f, list) and len(f) > int(index)]
        nodes = [x for f in found for x in (f if isinstance(f, list) and index is None else [f])]
    return nodes


ROWS = _rows()


def test_the_table_is_there_and_substantial() -> None:
    assert len(ROWS) >= 90


@pytest.mark.parametrize(("field", "path", "expected"), ROWS, ids=[f"{r[0]} {r[1]}" for r in ROWS])
def test_row(bundle: dict[str, Any], field: str, path: str, expected: str) -> None:
    values = evaluate(bundle, path)
    assert values, f"{path} is empty"
    if expected.startswith("~"):
        assert any(expected[1:] in str(v) for v in values), values
    else:
        assert expected in [str(v) for v in values], values


def test_evaluator_follows_references_and_can_fail(bundle: dict[str, Any]) -> None:
    assert evaluate(bundle, "Encounter.subject->Patient.birthDate") == ["1980-05-17"]
    assert evaluate(bundle, "Patient.nothing.here") == []
