"""CLI: ``bhyt-adapter fhir MA_LK``: the health-book FHIR R4B Bundle of one encounter.

Reads the encounter from the configured HIS, builds and validates the bundle, prints it
(or writes ``--out``), and with ``--send`` POSTs it to ``[fhir] endpoint``. Logs and errors
name MA_LK and rule codes only; the bundle itself goes to stdout or the file, never to logs.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapter.his.profile import SourceProfile
    from adapter.model import Encounter, Facility
    from adapter.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``fhir`` to the root parser."""
    cmd = sub.add_parser("fhir", help="print the health-book FHIR R4B document Bundle of one encounter")
    cmd.add_argument("ma_lk", metavar="MA_LK", help="the encounter key")
    cmd.add_argument("--out", help="write the bundle to this file instead of stdout")
    cmd.add_argument("--url", help="HIS database URL (default: [his] url, or ADAPTER_HIS__URL)")
    cmd.add_argument("--profile", help="HIS source profile (default: [his] profile)")
    cmd.add_argument("--ma-cskcb", help="facility code (default: the first configured facility)")
    cmd.add_argument("--generated-at", type=datetime.fromisoformat,
                     help="document time, ISO (default: now); fixes the output for comparisons")
    cmd.add_argument("--no-validate", action="store_true", help="skip the FHIR validation")
    cmd.add_argument("--send", action="store_true", help="POST the bundle to [fhir] endpoint")
    cmd.add_argument("--mode", choices=("document", "transaction"),
                     help="submission mode (default: [fhir] mode, else document)")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from adapter.mappers.fhir import FhirPolicy, build_bundle, validate_bundle
    from adapter.settings import load_settings

    settings = load_settings(args.config)
    encounter, facility = _read(args, settings)
    bundle = build_bundle(encounter, facility, policy=FhirPolicy.from_settings(settings.fhir),
                          generated_at=args.generated_at or _now())
    if not args.no_validate:
        validate_bundle(bundle)
    _write(bundle, args.out)
    if args.send:
        _send(bundle, settings, args.mode)
    return 0


def _read(args: argparse.Namespace, settings: Settings) -> tuple[Encounter, Facility]:
    from adapter.errors import ConfigError, DataError
    from adapter.his.engine import readonly_engine
    from adapter.his.profile import SourceProfile
    from adapter.his.reader import SqlHisSource

    url = args.url or (settings.his.url.get_secret_value() if settings.his.url else None)
    if not url:
        raise ConfigError("no HIS database: set [his] url (or ADAPTER_HIS__URL), or pass --url")
    ma_cskcb = args.ma_cskcb or (settings.facilities[0].ma_cskcb if settings.facilities else "79001")
    profile = SourceProfile.load(args.profile or settings.his.profile_dir or settings.his.profile)
    engine = readonly_engine(url, statement_timeout_s=settings.his.statement_timeout_s)
    try:
        source = SqlHisSource(engine, profile, ma_cskcb=ma_cskcb, batch_size=settings.his.batch_size)
        extracted = source.encounters([args.ma_lk])
        facility = _facility(engine, profile, ma_cskcb, settings)
    finally:
        engine.dispose()
    if not extracted:
        raise DataError("encounter not found in the HIS", record=args.ma_lk, rule="FHIR-NOT-FOUND")
    if extracted[0].encounter is None:
        first = extracted[0].errors[0] if extracted[0].errors else None
        raise DataError("encounter cannot be read from the HIS", record=args.ma_lk,
                        field=first.field if first else "", rule=first.rule if first else "")
    return extracted[0].encounter, facility


def _facility(engine: Engine, profile: SourceProfile, ma_cskcb: str, settings: Settings) -> Facility:
    """The facility row of the profile's optional ``facility`` query, else the settings' name."""
    from adapter.his.engine import reading
    from adapter.his.profile import FACILITY
    from adapter.model import Facility

    if profile.has(FACILITY):
        with reading(engine) as conn:
            row = conn.execute(profile.statement(FACILITY, engine.dialect.name),
                               {"ma_cskcb": ma_cskcb}).mappings().first()
        if row is not None:
            data = {k.lower(): v for k, v in row.items()}
            return Facility(ma_cskcb=ma_cskcb, name=str(data.get("name") or ma_cskcb),
                            national_id=data.get("national_id"), tax_code=data.get("tax_code"),
                            address=data.get("address"), head_practitioner=data.get("head_practitioner"))
    account = settings.facility(ma_cskcb)
    return Facility(ma_cskcb=ma_cskcb, name=(account.name if account and account.name else ma_cskcb))


def _write(bundle: dict[str, Any], out: str | None) -> None:
    from adapter.cli.output import print_json

    if out is None:
        print_json(bundle)
        return
    with open(out, "w", encoding="utf-8") as handle:
        print_json(bundle, out=handle)


def _send(bundle: dict[str, Any], settings: Settings, mode: str | None) -> None:
    import sys

    import httpx

    from adapter.errors import ConfigError
    from adapter.fhir_transport import FhirEndpoint, Mode

    fhir = settings.fhir
    if not fhir.enabled or not fhir.endpoint:
        raise ConfigError("FHIR submission needs [fhir] enabled = true and an endpoint")
    chosen = mode or getattr(fhir, "mode", None) or "document"
    if chosen not in ("document", "transaction"):
        raise ConfigError("[fhir] mode must be document or transaction")
    timeout = httpx.Timeout(settings.gateway.connect_timeout_s, read=settings.gateway.read_timeout_s)
    with httpx.Client(timeout=timeout, verify=settings.gateway.verify_tls) as client:
        endpoint = FhirEndpoint(fhir.endpoint, client, mode=cast(Mode, chosen), headers=_auth(fhir))
        reply = endpoint.post_bundle(bundle)
    print(f"sent bundle {bundle['id']} ({chosen}): HTTP {reply.http_status} {reply.transaction_id}",
          file=sys.stderr)


def _auth(fhir: Any) -> dict[str, str]:
    """A bearer token from ``[fhir] token`` / ``token_file`` when the settings have them."""
    from adapter.settings import read_secret

    token = read_secret(getattr(fhir, "token", None), getattr(fhir, "token_file", None))
    return {"Authorization": f"Bearer {token}"} if token else {}


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
