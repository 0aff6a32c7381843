"""Issue 10 item 7, as a guard for code written later: every XML parser in ``adapter/`` is a safe one.

The behavioural tests (``test_xml_safety.py``) cover the entry points that exist today; this
reads the source so that a new ``etree.fromstring(data)`` or ``xml.dom.minidom`` cannot
slip in unnoticed. It reads files only: nothing of ``adapter`` is imported or patched.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "adapter"
# Standard-library XML parsers expand entities or fetch DTDs under some configuration: never used.
UNSAFE_MODULES = ("xml.etree", "xml.dom", "xml.sax", "xml.parsers", "lxml.objectify", "lxml.html")
PARSE_CALLS = {"fromstring", "parse", "XML", "iterparse", "fromstringlist"}
# Parsing our own packaged, trusted files (XSDs shipped inside the wheel) needs no parser argument.
TRUSTED = {("adapter/mappers/schemas.py", "_schema"), ("adapter/registry/staff_xml.py", "_schema")}


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def _calls_by_function(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    """(enclosing function name, call) for every call inside a function."""
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            out += [(fn.name, c) for c in _calls(fn)]
    return out


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _keywords(call: ast.Call) -> dict[str, object]:
    return {
        k.arg: ast.literal_eval(k.value) if isinstance(k.value, ast.Constant) else "?"
        for k in call.keywords
        if k.arg
    }


def test_the_package_is_where_we_look() -> None:
    assert len(_sources()) > 50


@pytest.mark.parametrize("path", _sources(), ids=_rel)
def test_no_standard_library_xml_parser(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        assert not [n for n in names if n.startswith(UNSAFE_MODULES)], (
            f"{_rel(path)}:{getattr(node, 'lineno', 0)}"
        )


@pytest.mark.parametrize("path", _sources(), ids=_rel)
def test_every_lxml_parser_refuses_entities_and_network(path: Path) -> None:
    for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
        if _name(call) != "XMLParser":
            continue
        kw = _keywords(call)
        where = f"{_rel(path)}:{call.lineno}"
        assert kw.get("resolve_entities") is False, f"{where}: resolve_entities=False is missing"
        assert kw.get("no_network", True) is True, f"{where}: no_network must stay True"
        assert kw.get("load_dtd", False) is False and kw.get("dtd_validation", False) is False, where
        assert kw.get("huge_tree", False) is False, f"{where}: huge_tree lifts libxml2's size limits"


@pytest.mark.parametrize("path", _sources(), ids=_rel)
def test_every_lxml_parse_call_passes_a_parser(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    if "lxml" not in source:
        return
    for function, call in _calls_by_function(ast.parse(source)):
        name = _name(call)
        if name not in PARSE_CALLS or not isinstance(call.func, ast.Attribute):
            continue
        owner = call.func.value
        if not (isinstance(owner, ast.Name) and owner.id == "etree"):
            continue
        if (_rel(path), function) in TRUSTED:
            continue
        has_parser = len(call.args) >= 2 or any(k.arg == "parser" for k in call.keywords)
        assert has_parser, f"{_rel(path)}:{call.lineno}: etree.{name} without an explicit safe parser"


def test_transport_never_parses_xml() -> None:
    """Gateway replies are JSON: the transport package must not even import an XML parser."""
    for path in sorted((PACKAGE / "transport").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "lxml" not in source and "xml.etree" not in source and "defusedxml" not in source, _rel(path)
