"""CLI group ``staff``: the facility's practitioner registry and the 02/DM staff catalogue.

``staff import``  from the HIS (source profile) or an XLSX sheet; changes close old periods
``staff export``  02/DM XML (optionally signed) or the XLSX list for the national registry
``staff check``   data-quality report (table, ``--json``, ``--xlsx``); exit 1 on blocking findings
``staff submit``  sign the 02/DM catalogue and queue it in the outbox (loaiHs 71)
``staff history`` every period of one practitioner (code, licence number or CCCD)

Exit codes follow ``adapter.cli.main``. Nothing printed carries a CCCD or a secret.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapter.registry.config import RegistrySettings
    from adapter.registry.store import RegistryStore
    from adapter.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the root parser."""
    staff = sub.add_parser("staff", help="practitioner registry and the 02/DM staff catalogue")
    cmds = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    _register_import(cmds)
    _register_export(cmds)
    _register_check(cmds)
    _register_submit(cmds)
    history = cmds.add_parser("history", help="every period of one practitioner")
    history.add_argument("key", help="claim code, licence number or CCCD")
    history.add_argument("--json", action="store_true")
    _common(history)
    history.set_defaults(func=_history)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facility", dest="ma_cskcb", help="MA_CSKCB (default: the one configured)")
    parser.add_argument("--database", help="adapter database URL (default: from the settings)")


def _register_import(cmds: argparse._SubParsersAction[Any]) -> None:
    p = cmds.add_parser("import", help="import practitioners from the HIS or an XLSX sheet")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-his", action="store_true", help="read the HIS through the source profile")
    source.add_argument("--xlsx", type=Path, help="read an XLSX sheet (layout: --layout)")
    p.add_argument("--his", help="HIS database URL or SQLite file (default: [his] url)")
    p.add_argument("--layout", help="XLSX layout name or JSON file (default: [registry] import_layout)")
    p.add_argument("--facility-file", type=Path, help="JSON facility record with departments")
    p.add_argument("--effective", type=date.fromisoformat, help="day changes take effect (default today)")
    p.add_argument("--close-missing", action="store_true", help="end the periods of practitioners not listed")
    p.add_argument("--json", action="store_true")
    _common(p)
    p.set_defaults(func=_import)


def _register_export(cmds: argparse._SubParsersAction[Any]) -> None:
    p = cmds.add_parser("export", help="write the 02/DM XML or the national registry XLSX")
    fmt = p.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--xml", type=Path, help="02/DM XML file ('-' for stdout)")
    fmt.add_argument("--xlsx", type=Path, help="practitioner list for the national registry (QLHN)")
    p.add_argument("--signed", action="store_true", help="sign the XML with the facility certificate")
    p.add_argument("--layout", help="XLSX layout (default: [registry] national_list_layout)")
    p.add_argument("--since", type=date.fromisoformat, help="periods in force on/after DAY (default today)")
    _common(p)
    p.set_defaults(func=_export)


def _register_check(cmds: argparse._SubParsersAction[Any]) -> None:
    p = cmds.add_parser("check", help="data-quality report of the registry")
    p.add_argument("--claims", type=Path, action="append", default=[],
                   help="claim XML file or folder: report codes missing from / unused in the catalogue")
    p.add_argument("--from-outbox", action="store_true", help="also use the claims queued in the outbox")
    p.add_argument("--on", type=date.fromisoformat, help="reference day (default today)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", type=Path, help="also write the report as XLSX")
    _common(p)
    p.set_defaults(func=_check)


def _register_submit(cmds: argparse._SubParsersAction[Any]) -> None:
    p = cmds.add_parser("submit", help="sign the 02/DM catalogue and queue it for the gateway")
    p.add_argument("--since", type=date.fromisoformat, help="periods in force on/after DAY (default today)")
    p.add_argument("--force", action="store_true", help="queue even with blocking data-quality findings")
    p.add_argument("--json", action="store_true")
    _common(p)
    p.set_defaults(func=_submit)


# --- helpers -------------------------------------------------------------------------------

def _settings(args: argparse.Namespace) -> Settings:
    from adapter.settings import load_settings

    return load_settings(args.config)


def _registry_settings(settings: Settings) -> RegistrySettings:
    from adapter.registry.config import RegistrySettings

    # ``[registry]`` joins the settings model when the lead wires it; defaults until then.
    found = getattr(settings, "registry", None)
    return found if isinstance(found, RegistrySettings) else RegistrySettings()


def _facility_code(args: argparse.Namespace, settings: Settings) -> str:
    from adapter.errors import ConfigError

    if args.ma_cskcb:
        return str(args.ma_cskcb)
    if len(settings.facilities) == 1:
        return settings.facilities[0].ma_cskcb
    raise ConfigError("name the facility with --facility (none or several are configured)")


def _store(args: argparse.Namespace, settings: Settings) -> RegistryStore:
    from adapter.registry.open import open_registry

    url = args.database or settings.resolved_database_url()
    if args.database is None and settings.database_url is None:
        settings.workdir.mkdir(parents=True, exist_ok=True)
    return open_registry(url)


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    from adapter.registry.model import local_day

    return local_day(_now())   # the gateway's calendar day


# --- commands ------------------------------------------------------------------------------

def _import(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.registry import service

    settings = _settings(args)
    reg = _registry_settings(settings)
    ma_cskcb = _facility_code(args, settings)
    store = _store(args, settings)
    records, issues, facility = _read_source(args, settings, reg, ma_cskcb)
    effective = args.effective or _today()
    outcome = service.sync(store, records, issues, ma_cskcb=ma_cskcb, effective=effective, now=_now(),
                           close_missing=args.close_missing or reg.close_missing_on_import)
    service.save_facility(store, facility, ma_cskcb=ma_cskcb, effective=effective, now=_now())
    if args.json:
        print_json(outcome.as_dict())
    else:
        print_table([{k: v for k, v in outcome.as_dict().items() if k != "issues"}])
        if outcome.issues:
            print_table([{"row": i.row, "field": i.field, "rule": i.rule, "message": i.message_en}
                         for i in outcome.issues])
    return 1 if outcome.issues else 0


def _read_source(args: argparse.Namespace, settings: Settings, reg: RegistrySettings, ma_cskcb: str
                 ) -> tuple[list[Any], list[Any], Any]:
    from adapter.registry import service

    facility_file = args.facility_file or reg.facility_file
    facility = service.load_facility_file(facility_file) if facility_file else None
    if args.xlsx:
        from adapter.registry.xlsx import load_layout, read_practitioner_list

        records, issues = read_practitioner_list(args.xlsx, load_layout(args.layout or reg.import_layout),
                                                 ma_cskcb=ma_cskcb)
        return records, issues, facility
    return _read_his(args, settings, ma_cskcb, facility)


def _read_his(args: argparse.Namespace, settings: Settings, ma_cskcb: str, facility: Any
              ) -> tuple[list[Any], list[Any], Any]:
    from adapter.errors import ConfigError
    from adapter.his.engine import readonly_engine
    from adapter.his.profile import SourceProfile
    from adapter.registry.his_import import read_his_facility, read_his_practitioners

    target = args.his or (settings.his.url.get_secret_value() if settings.his.url else None)
    if not target:
        raise ConfigError("no HIS database: set [his] url or pass --his")
    engine = readonly_engine(target, statement_timeout_s=settings.his.statement_timeout_s)
    try:
        profile = SourceProfile.load(settings.his.profile_dir or settings.his.profile)
        records, issues = read_his_practitioners(engine, profile, ma_cskcb=ma_cskcb)
        return records, issues, facility or read_his_facility(engine, profile, ma_cskcb=ma_cskcb)
    finally:
        engine.dispose()


def _export(args: argparse.Namespace) -> int:
    from adapter.registry import service

    settings = _settings(args)
    ma_cskcb = _facility_code(args, settings)
    store = _store(args, settings)
    since = args.since or _today()
    if args.xlsx:
        from adapter.registry.xlsx import load_layout, write_practitioner_list

        facility, rows = service.catalogue_rows(store, ma_cskcb=ma_cskcb, since=since)
        layout = load_layout(args.layout or _registry_settings(settings).national_list_layout)
        write_practitioner_list(args.xlsx, layout, facility, rows)
        print(f"{len(rows)} practitioner(s) -> {args.xlsx}", file=sys.stderr)
        return 0
    document = service.staff_catalogue(store, ma_cskcb=ma_cskcb, since=since, created_on=_today())
    if args.signed:
        document = _signer(settings, store, ma_cskcb).sign(document)
    _write(args.xml, document)
    return 0


def _write(target: Path, data: bytes) -> None:
    if target == Path("-"):
        sys.stdout.buffer.write(data)
        return
    target.write_bytes(data)
    print(f"wrote {target}", file=sys.stderr)


def _signer(settings: Settings, store: RegistryStore, ma_cskcb: str) -> Any:
    from adapter.ports import SystemClock
    from adapter.signing.factory import build_signer

    facility = store.facility(ma_cskcb)
    name = facility.name if facility else ma_cskcb
    return build_signer(settings.signing, workdir=settings.workdir, ma_cskcb=ma_cskcb, facility_name=name,
                        clock=SystemClock())


def _check(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.registry.report import run_quality_report, write_report_xlsx

    settings = _settings(args)
    ma_cskcb = _facility_code(args, settings)
    store = _store(args, settings)
    used = _used_codes(args, settings, store, ma_cskcb)
    days = _registry_settings(settings).expiry_warning_days
    findings = run_quality_report(store, ma_cskcb=ma_cskcb, today=args.on or _today(), soon_days=days,
                                  used=used)
    rows = [f.as_dict() for f in findings]
    if args.xlsx:
        write_report_xlsx(args.xlsx, findings)
    if args.json:
        print_json(rows)
    else:
        print_table(rows, columns=["severity", "rule", "practitioner", "row", "field", "message_en"])
    return 1 if any(f.severity.value == "blocking" for f in findings) else 0


def _used_codes(args: argparse.Namespace, settings: Settings, store: RegistryStore, ma_cskcb: str
                ) -> set[str] | None:
    from adapter.registry.report import claim_codes, claim_codes_from_outbox

    if not args.claims and not args.from_outbox:
        return None
    used = claim_codes(args.claims)
    if args.from_outbox:
        outbox = _outbox(store, settings)
        used |= claim_codes_from_outbox(outbox, ma_cskcb=ma_cskcb)
    return used


def _outbox(store: RegistryStore, settings: Settings) -> Any:
    """The outbox on the registry's database, with the configured payload encryption."""
    from adapter.crypto import cipher_from_files
    from adapter.outbox.store import OutboxStore

    return OutboxStore(store.engine, replacement_policy=settings.outbox.replacement_policy,
                       cipher=cipher_from_files(settings.outbox.encryption_key_files))


def _submit(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json
    from adapter.registry import service
    from adapter.registry.report import run_quality_report
    from adapter.registry.staff_xml import schema_problems

    settings = _settings(args)
    ma_cskcb = _facility_code(args, settings)
    store = _store(args, settings)
    today, since = _today(), args.since or _today()
    findings = run_quality_report(store, ma_cskcb=ma_cskcb, today=today)
    blocking = [f for f in findings if f.severity.value == "blocking"]
    if blocking and not args.force:
        print(f"{len(blocking)} blocking finding(s): run `staff check`, or --force", file=sys.stderr)
        return 1
    document = service.staff_catalogue(store, ma_cskcb=ma_cskcb, since=since, created_on=today)
    invalid = schema_problems(document)
    if invalid:
        # Never sent, even with --force: the gateway would reject the structure.
        print("the 02/DM document does not match its schema: " + "; ".join(invalid[:10]), file=sys.stderr)
        return 1
    outbox = _outbox(store, settings)
    result = service.submit_catalogue(outbox, _signer(settings, store, ma_cskcb), document, ma_cskcb=ma_cskcb,
                                      created_on=today, now=_now())
    data = {"item_id": result.item_id, "version": result.version, "created": result.created,
            "status": str(result.status), "key": service.catalogue_key(today)}
    if args.json:
        print_json(data)
    else:
        print(f"queued 02/DM for {ma_cskcb}: item {result.item_id} v{result.version} ({result.status})")
    return 0


def _history(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table

    settings = _settings(args)
    store = _store(args, settings)
    rows = [{"id": p.id, "code": p.record.code, "name": p.record.name, "valid_from": p.record.valid_from,
             "valid_to": p.record.valid_to, "void": p.void, "departments": ";".join(p.record.departments),
             "recorded_at": p.recorded_at, "closed_at": p.closed_at} for p in store.history(args.key)]
    if args.json:
        print_json(rows)
    else:
        print_table(rows)
    return 0 if rows else 1
