"""CLI group ``validate``: check XML files a HIS exports (tables, GIAMDINHHS envelopes, check-ins).

``bhyt-adapter validate PATH [--profile P] [--json]`` prints one line per issue
(file, MA_LK, table, row, field, rule, message) and exits 1 when any issue blocks.
``bhyt-adapter validate --list-rules`` prints the rule catalogue.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapter.validation.config import ValidationSettings
    from adapter.validation.files import FileReport

COLUMNS = ("file", "ma_lk", "table", "row", "field", "rule", "severity", "message")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the root parser."""
    p = sub.add_parser("validate", help="validate BHYT XML files or folders before submission",
                       description="Validate XML files a HIS exports: single tables (XML0..XML15), "
                                   "GIAMDINHHS envelopes with base64 tables, or check-ins. "
                                   "Exit 1 when any issue blocks.")
    p.add_argument("path", nargs="?", type=Path, help="an XML file or a folder (searched recursively)")
    p.add_argument("--profile", choices=("4750", "3176"), help="output profile (default: detected per file)")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="message language (default vi)")
    p.add_argument("--blocking-only", action="store_true", help="hide warnings")
    p.add_argument("--list-rules", action="store_true", help="print the rule catalogue and exit")
    p.set_defaults(func=_run)


def _settings(args: argparse.Namespace) -> ValidationSettings:
    from pydantic import ValidationError

    from adapter.errors import ConfigError
    from adapter.validation.config import ValidationSettings

    if getattr(args, "config", None) is None and not os.environ.get("ADAPTER_CONFIG"):
        return ValidationSettings()
    from adapter.settings import load_settings
    try:
        return load_settings(args.config).validation
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc.error_count()} error(s)") from exc


def _list_rules(as_json: bool) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.validation.rules.catalog import RULES

    rows = [{"rule": r.code, "severity": r.severity.value, "doc": r.doc, "message_en": r.en,
             "message_vi": r.vi} for r in RULES.values()]
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ("rule", "severity", "doc"))
    return 0


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix() if base.is_dir() else path.name
    except ValueError:
        return str(path)


def _rows(reports: list[FileReport], base: Path, lang: str, blocking_only: bool) -> list[dict[str, Any]]:
    out = []
    for fr in reports:
        for i in fr.report.issues:
            if blocking_only and not i.blocking:
                continue
            out.append({"file": _display(fr.path, base), "ma_lk": i.ma_lk or fr.report.ma_lk,
                        "table": i.table, "row": i.row, "field": i.field, "rule": i.rule,
                        "severity": i.severity.value,
                        "message": i.message_vi if lang == "vi" else i.message_en})
    return out


def _as_json(reports: list[FileReport], base: Path) -> list[dict[str, Any]]:
    return [{"file": _display(fr.path, base), "kind": fr.report.kind, "ma_lk": fr.report.ma_lk,
             "profile": fr.report.profile, "blocking": fr.report.blocking,
             "issues": [i.as_dict() for i in fr.report.issues]} for fr in reports]


def _run(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules(args.json)
    if args.path is None or not args.path.exists():
        print(f"validate: no such file or folder: {args.path}", file=sys.stderr)
        return 2
    from adapter.cli.output import print_json, print_table
    from adapter.validation.context import context_factory
    from adapter.validation.files import validate_path

    settings = _settings(args)
    profile = args.profile or settings.profile_override
    reports = validate_path(args.path, profile, context_factory(settings))
    if args.json:
        print_json(_as_json(reports, args.path))
    else:
        print_table(_rows(reports, args.path, args.lang, args.blocking_only), COLUMNS)
        _summary(reports)
    return 1 if any(fr.report.blocking for fr in reports) else 0


def _summary(reports: list[FileReport]) -> None:
    blocking = sum(1 for fr in reports if fr.report.blocking)
    issues = sum(len(fr.report.issues) for fr in reports)
    sys.stdout.flush()
    print(f"{len(reports)} file(s), {blocking} with blocking issues, {issues} issue(s) in all",
          file=sys.stderr)
