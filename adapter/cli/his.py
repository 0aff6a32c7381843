"""CLI: ``demo-his`` (create a demo HIS database) and ``his check`` / ``his extract`` (read one).

Output names MA_LK, columns and rule codes only, never patient data.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapter.his.profile import SourceProfile
    from adapter.ports import Extracted
    from adapter.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``demo-his`` and ``his`` to the root parser."""
    demo = sub.add_parser("demo-his", help="create a demo HIS database with deterministic encounters")
    demo.add_argument("--out", required=True, help="SQLite file path or SQLAlchemy URL")
    demo.add_argument("--encounters", type=int, default=200)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--ma-cskcb", default="79001", help="facility code (5 characters)")
    demo.add_argument("--start", type=datetime.fromisoformat,
                      help="first visit time, ISO (default 2025-03-03T07:00)")
    demo.add_argument("--schema", choices=("contract", "vendor"), default="contract",
                      help="the HIS view contract (default) or the vendor-like xml130_bang* tables")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(func=_demo)
    his = sub.add_parser("his", help="check and read the HIS source")
    hsub = his.add_subparsers(dest="his_command", metavar="ACTION", required=True)
    check = hsub.add_parser("check", help="connection, every profile query, row counts, first problems")
    _source_args(check)
    check.add_argument("--sample", type=int, default=50, help="encounters to read as a sample")
    check.set_defaults(func=_check)
    extract = hsub.add_parser("extract", help="read finished encounters (dry run: nothing is recorded)")
    _source_args(extract)
    extract.add_argument("--limit", type=int, default=20)
    extract.add_argument("--ma-lk", action="append", default=[], dest="ma_lks", metavar="MA_LK",
                         help="read these visits (finished or not) instead of the changed ones; repeatable")
    extract.set_defaults(func=_extract)


def _source_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="HIS database URL (default: [his] url of the settings)")
    parser.add_argument("--profile", help="profile name or folder (default: [his] profile)")
    parser.add_argument("--ma-cskcb", help="facility code (default: the first configured facility)")
    parser.add_argument("--json", action="store_true")


def _demo(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.his.demo import generate_demo_his
    from adapter.his.vendor import generate_vendor_his

    make = generate_vendor_his if args.schema == "vendor" else generate_demo_his
    summary = make(args.out, encounters=args.encounters, seed=args.seed, ma_cskcb=args.ma_cskcb,
                   start=args.start)
    if args.json:
        print_json({"url": summary.url, "encounters": summary.encounters, "finished": summary.finished,
                    "open": summary.open, "seconds": summary.seconds, "rows": summary.rows})
        return 0
    print(f"{summary.url}: {summary.encounters} encounters ({summary.finished} finished, "
          f"{summary.open} open) in {summary.seconds} s")
    print_table([{"table": t, "rows": n} for t, n in summary.rows.items()])
    return 0


def _source(args: argparse.Namespace) -> tuple[Engine, SourceProfile, str, Settings]:
    from adapter.errors import ConfigError
    from adapter.his.engine import readonly_engine
    from adapter.his.profile import SourceProfile
    from adapter.settings import load_settings

    settings = load_settings(args.config)
    url = args.url or (settings.his.url.get_secret_value() if settings.his.url else None)
    if not url:
        raise ConfigError("no HIS database: set [his] url (or ADAPTER_HIS__URL), or pass --url")
    profile = SourceProfile.load(args.profile or settings.his.profile_dir or settings.his.profile)
    ma_cskcb = args.ma_cskcb or (settings.facilities[0].ma_cskcb if settings.facilities else "")
    if not ma_cskcb:
        raise ConfigError("no facility: configure [[facilities]] or pass --ma-cskcb")
    engine = readonly_engine(url, statement_timeout_s=settings.his.statement_timeout_s)
    return engine, profile, ma_cskcb, settings


def _check(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.his.check import check_source

    engine, profile, ma_cskcb, _settings = _source(args)
    try:
        report = check_source(engine, profile, ma_cskcb=ma_cskcb, sample=args.sample)
    finally:
        engine.dispose()
    code = 0 if report.ok and not report.problems else 1     # 1: problems found (main.py convention)
    if args.json:
        print_json(report.as_dict())
        return code
    state = "connected" if report.connected else "NOT connected"
    print(f"profile {report.profile} on {report.dialect}, facility {report.ma_cskcb}: {state}")
    if report.error:
        print(f"error: {report.error}")
    print_table([{"query": c.query, "rows": c.rows, "seconds": c.seconds, "error": c.error}
                 for c in report.queries])
    print(f"sample: {report.encounters_read} encounter(s) read, {len(report.problems)} problem(s)")
    if report.problems:
        print_table(list(report.problems), columns=("ma_lk", "field", "rule"))
    return code


def _extract(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.his.reader import SqlHisSource
    from adapter.ports import Watermark

    engine, profile, ma_cskcb, settings = _source(args)
    source = SqlHisSource(engine, profile, ma_cskcb=ma_cskcb, batch_size=settings.his.batch_size,
                          max_text=settings.his.max_text_chars)
    try:
        if args.ma_lks:
            rows = [_row(e, None) for e in source.encounters(args.ma_lks)]
        else:
            rows = [_row(e, m.changed_at) for e, m in source.finished_since(Watermark(), limit=args.limit)]
    finally:
        engine.dispose()
    (print_json if args.json else print_table)(rows)
    return 1 if any(not r["ok"] for r in rows) else 0


def _row(extracted: Extracted, changed_at: datetime | None) -> dict[str, Any]:
    """Ids, counts and located errors only: never patient data."""
    enc = extracted.encounter
    return {"ma_lk": extracted.ma_lk, "ok": enc is not None, "ma_loai_kcb": enc.ma_loai_kcb if enc else "",
            "drugs": len(enc.drugs) if enc else 0, "services": len(enc.services) if enc else 0,
            "changed_at": changed_at.isoformat() if changed_at else extracted.source_version or "",
            "errors": ";".join(f"{e.field}:{e.rule}" for e in extracted.errors)}
