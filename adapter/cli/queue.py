"""CLI groups ``queue``, ``stats`` and ``report``: the operator console of the outbox.

Output shows ids (outbox id, facility, MA_LK), statuses, hashes and gateway replies,
never patient fields. Operator actions need a reason and land in the audit log with
the operator's name (``--operator``, else the OS user).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapter.outbox.store import OutboxStore
    from adapter.settings import Settings

_LIST_COLUMNS = ("id", "ma_cskcb", "ma_lk", "kind", "status", "version", "attempts", "next_attempt_at",
                 "updated_at", "last_error")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``queue``, ``stats`` and ``report`` to the root parser."""
    queue = sub.add_parser("queue", help="list, inspect and act on the outbox")
    qsub = queue.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    _add_list(qsub)
    _add_show(qsub)
    _add_actions(qsub)
    _add_export(qsub)
    _add_keys(qsub)
    stats = sub.add_parser("stats", help="counts by status and facility, acceptance rate, oldest pending")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=_stats)
    report = sub.add_parser("report", help="reports over the outbox")
    rsub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    daily = rsub.add_parser("daily", help="sent, accepted, rejected with reasons, not sent in time")
    daily.add_argument("--date", help="local date YYYY-MM-DD (default: today)")
    daily.add_argument("--deadline-days", type=int,
                       help="working days allowed (default: outbox.deadline_working_days, TT 48: 7)")
    daily.add_argument("--json", action="store_true")
    daily.set_defaults(func=_report_daily)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", action="append", default=[], help="repeatable")
    p.add_argument("--facility", help="MA_CSKCB")
    p.add_argument("--ma-lk", dest="ma_lk")
    p.add_argument("--since", help="updated at/after (YYYY-MM-DD or ISO time; local zone if naive)")
    p.add_argument("--until", help="updated before")
    p.add_argument("--limit", type=int, default=500)


def _add_list(qsub: argparse._SubParsersAction[Any]) -> None:
    p = qsub.add_parser("list", help="outbox items")
    _filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)


def _add_show(qsub: argparse._SubParsersAction[Any]) -> None:
    p = qsub.add_parser("show", help="one item: versions, attempts, issues, audit")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.add_argument("--payload", action="store_true", help="write the exact signed bytes that were sent")
    p.add_argument("--version", type=int, help="with --payload: this version")
    p.add_argument("-o", "--output", type=Path, help="with --payload: file instead of stdout")
    p.set_defaults(func=_show)


def _add_actions(qsub: argparse._SubParsersAction[Any]) -> None:
    retry = qsub.add_parser("retry", help="make dead / waiting items due now")
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("id", type=int, nargs="?")
    target.add_argument("--status", choices=["dead", "retry_wait"])
    retry.add_argument("--reason", default="operator retry")
    for name, helptext in (("cancel", "do not send (declines a held replacement)"),
                           ("resend", "send the current version (approve a held replacement, a correction)")):
        p = qsub.add_parser(name, help=helptext)
        p.add_argument("id", type=int)
        p.add_argument("--reason", required=True)
        p.set_defaults(func=_act, action=name)
        _operator(p)
    retry.set_defaults(func=_retry)
    _operator(retry)
    for name in ("pause", "resume"):
        p = qsub.add_parser(name, help=f"{name} sending for one facility (stored in the database)")
        p.add_argument("facility")
        p.add_argument("--reason", default="")
        p.set_defaults(func=_pause, paused=name == "pause")
        _operator(p)


def _operator(p: argparse.ArgumentParser) -> None:
    p.add_argument("--operator", help="who acts (default: the OS user)")


def _add_export(qsub: argparse._SubParsersAction[Any]) -> None:
    p = qsub.add_parser("export", help="items as CSV")
    _filters(p)
    p.add_argument("--csv", action="store_true", required=True)
    p.add_argument("-o", "--output", type=Path)
    p.set_defaults(func=_export)


def _add_keys(qsub: argparse._SubParsersAction[Any]) -> None:
    rekey = qsub.add_parser("rekey", help="re-encrypt stored payloads with the first (newest) key file")
    rekey.add_argument("--reason", default="key rotation")
    rekey.add_argument("--batch-size", type=int, default=50, help="versions per transaction")
    rekey.add_argument("--json", action="store_true")
    rekey.set_defaults(func=_rekey)
    _operator(rekey)
    prune = qsub.add_parser("prune", help="drop old payloads of accepted items now (hashes stay)")
    prune.add_argument("--days", type=int, help="older than this (default: outbox.retention_days)")
    prune.add_argument("--reason", required=True)
    prune.set_defaults(func=_prune)
    _operator(prune)
    keygen = qsub.add_parser("keygen", help="write a new payload encryption key file (0600)")
    keygen.add_argument("output", type=Path)
    keygen.add_argument("--force", action="store_true", help="overwrite an existing file")
    keygen.set_defaults(func=_keygen)


# ---- plumbing ---------------------------------------------------------------------------------
def _open(args: argparse.Namespace) -> tuple[Settings, OutboxStore]:
    from adapter.outbox.open import open_store
    from adapter.settings import load_settings

    settings = load_settings(args.config)
    return settings, open_store(settings)


def _now() -> datetime:
    from adapter.ports import SystemClock

    return SystemClock().now()


def _actor(args: argparse.Namespace) -> str:
    if getattr(args, "operator", None):
        return str(args.operator)
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):        # no passwd entry (containers) or no login name
        return "unknown"


def _parse_time(text: str | None, tz: str) -> datetime | None:
    if not text:
        return None
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from adapter.errors import ConfigError

    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"not a date or ISO time: {text!r}") from exc
    return (value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))).astimezone(UTC)


def _item_filter(args: argparse.Namespace, settings: Settings) -> Any:
    from adapter.errors import ConfigError
    from adapter.outbox.states import Status
    from adapter.outbox.values import ItemFilter

    try:
        statuses = tuple(Status(s) for s in args.status)
    except ValueError as exc:
        raise ConfigError(f"unknown status; one of {', '.join(Status)}") from exc
    return ItemFilter(status=statuses, ma_cskcb=args.facility, ma_lk=args.ma_lk,
                      since=_parse_time(args.since, settings.timezone),
                      until=_parse_time(args.until, settings.timezone), limit=args.limit)


# ---- handlers ---------------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table

    settings, store = _open(args)
    rows = [r.as_dict() for r in store.list_items(_item_filter(args, settings))]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, _LIST_COLUMNS)
    return 0


def _show(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table

    _, store = _open(args)
    if args.payload:
        return _write_payload(store, args)
    detail = store.get(args.id)
    if detail is None:
        print(f"no outbox item {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print_json(detail.as_dict())
        return 0
    print_table([detail.item.as_dict()], _LIST_COLUMNS)
    print(f"\naccepted version: {detail.accepted_version}   lease: {detail.lease_owner} {detail.lease_until}")
    print("\nVERSIONS")
    print_table([{k: v for k, v in x.as_dict().items() if k != "issues"} | {"issues": len(x.issues)}
                 for x in detail.versions])
    issues = [i | {"version": x.version} for x in detail.versions for i in x.issues]
    if issues:
        print("\nISSUES")
        print_table(issues, ("version", "rule", "severity", "table", "field", "row"))
    print("\nATTEMPTS")
    print_table([a.as_dict() for a in detail.attempts],
                ("attempt_no", "version", "worker_id", "finished_at", "outcome", "http_status", "code",
                 "transaction_id", "received_at", "message", "error_class"))
    print("\nAUDIT")
    print_table(list(detail.audit))
    return 0


def _write_payload(store: OutboxStore, args: argparse.Namespace) -> int:
    data = store.payload(args.id, args.version)
    if data is None:
        print(f"no signed payload stored for item {args.id} (unsigned, or pruned)", file=sys.stderr)
        return 1
    if args.output:
        from adapter.crypto import write_private

        write_private(args.output, data)       # a claim file is patient data: owner-only
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _retry(args: argparse.Namespace) -> int:
    from adapter.outbox.states import Status
    from adapter.outbox.values import ItemFilter

    _, store = _open(args)
    if args.id is not None:
        status = store.retry(args.id, actor=_actor(args), reason=args.reason, now=_now())
        print(f"item {args.id}: {status}")
        return 0
    items = store.list_items(ItemFilter(status=(Status(args.status),), limit=1_000_000))
    for n, item in enumerate(items, start=1):
        store.retry(item.id, actor=_actor(args), reason=args.reason, now=_now())
        if n % 100 == 0 or n == len(items):
            print(f"retried {n}/{len(items)}", file=sys.stderr)
    print(f"{len(items)} item(s) made due")
    return 0


def _act(args: argparse.Namespace) -> int:
    _, store = _open(args)
    method = store.cancel if args.action == "cancel" else store.resend
    status = method(args.id, actor=_actor(args), reason=args.reason, now=_now())
    print(f"item {args.id}: {status}")
    return 0


def _pause(args: argparse.Namespace) -> int:
    _, store = _open(args)
    store.set_paused(args.facility, args.paused, actor=_actor(args), reason=args.reason, now=_now())
    print(f"facility {args.facility}: {'paused' if args.paused else 'resumed'}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import csv

    settings, store = _open(args)
    rows = store.list_items(_item_filter(args, settings))
    out = args.output.open("w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        writer = csv.DictWriter(out, fieldnames=[*_LIST_COLUMNS, "created_at"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: v for k, v in row.as_dict().items() if k in writer.fieldnames})
    finally:
        if args.output:
            out.close()
    return 0


def _stats(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table

    _, store = _open(args)
    stats = store.stats(_now())
    if args.json:
        print_json(stats.as_dict())
        return 0
    print_table([{"facility": f} | counts for f, counts in sorted(stats.by_facility.items())])
    rate = "n/a" if stats.acceptance_rate is None else f"{stats.acceptance_rate:.1%}"
    age = "n/a" if stats.oldest_pending_age_s is None else f"{stats.oldest_pending_age_s / 3600:.1f} h"
    print(f"\nacceptance rate: {rate}   oldest pending: {age}   paused: {', '.join(stats.paused) or '-'}")
    return 0


def _report_daily(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.outbox.reporting import day_window

    settings, store = _open(args)
    days = args.deadline_days if args.deadline_days is not None else settings.outbox.deadline_working_days
    start, end, overdue = day_window(args.date, settings.timezone, _now(), days)
    report = store.daily_report(start, end, overdue_before=overdue)
    if args.json:
        print_json(report)
        return 0
    print(f"{args.date or 'today'}: sent {report['sent']}, accepted {report['accepted']}, "
          f"rejected {report['rejected']}")
    print("\nREJECTION REASONS")
    print_table(report["rejection_reasons"])
    print(f"\nNOT SENT IN TIME (older than {days} working days)")
    print_table(report["not_sent_in_time"])
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json

    _, store = _open(args)
    report = store.rekey(actor=_actor(args), reason=args.reason, now=_now(), batch_size=args.batch_size)
    if args.json:
        print_json(report.as_dict())
    else:
        print(f"key {report.key_id}: {report.rewritten} payload(s) re-encrypted in {report.batches} "
              f"batch(es), {report.scanned} version(s) scanned")
    return 0


def _prune(args: argparse.Namespace) -> int:
    settings, store = _open(args)
    days = args.days if args.days is not None else settings.outbox.retention_days
    done = store.prune(_now(), days, actor=_actor(args), reason=args.reason)
    print(f"{done} version(s) pruned (accepted, older than {days} days)")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from adapter.crypto import key_id, load_key, new_key_text, write_private

    if args.output.exists() and not args.force:
        print(f"{args.output} exists; refusing to overwrite a key (use --force)", file=sys.stderr)
        return 1
    write_private(args.output, new_key_text().encode("ascii"))
    print(f"key {key_id(load_key(args.output))} written to {args.output}")
    return 0
