"""CLI group `signing`: ``sign``, ``verify`` and ``cert show``.

Exit codes follow ``adapter.cli.main``: 0 done/valid, 1 invalid signature or refused
certificate, 2 usage or configuration error. Nothing here prints a secret.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography import x509

    from adapter.signing.signer import FacilitySigner

DEMO_FACILITY = ("00000", "Cơ sở KCB demo")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the root parser."""
    sign = sub.add_parser("sign", help="sign an XML file in the BHXH profile (CHUKYDONVI)")
    sign.add_argument("file", type=Path)
    sign.add_argument("-o", "--output", type=Path,
                      help="where to write (default FILE.signed.xml beside FILE; '-' for stdout)")
    sign.add_argument("--facility", help="MA_CSKCB whose name the demo certificate carries")
    sign.set_defaults(func=_sign)

    verify = sub.add_parser("verify", help="verify the BHXH-profile signature of an XML file")
    verify.add_argument("file", type=Path)
    verify.add_argument("--cert", type=Path, help="PEM certificate(s) the signer must be one of")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=_verify)

    cert = sub.add_parser("cert", help="the facility signing certificate")
    cert_sub = cert.add_subparsers(dest="cert_command", metavar="ACTION", required=True)
    show = cert_sub.add_parser("show", help="subject, validity, fingerprint and health (no secrets)")
    show.add_argument("--json", action="store_true")
    show.add_argument("--facility", help="MA_CSKCB whose name the demo certificate carries")
    show.set_defaults(func=_cert_show)


def _signer(args: argparse.Namespace) -> FacilitySigner:
    from adapter.ports import SystemClock
    from adapter.settings import load_settings
    from adapter.signing.factory import build_signer

    settings = load_settings(args.config)
    account = settings.facility(args.facility) if args.facility else \
        (settings.facilities[0] if settings.facilities else None)
    ma_cskcb, name = (account.ma_cskcb, account.name or account.ma_cskcb) if account else DEMO_FACILITY
    return build_signer(settings.signing, workdir=settings.workdir, ma_cskcb=ma_cskcb,
                        facility_name=name, clock=SystemClock())


def _sign(args: argparse.Namespace) -> int:
    from adapter.signing.xmldsig import ensure_signature_slot

    document = ensure_signature_slot(_read(args.file))
    signed = _signer(args).sign(document)
    if args.output == Path("-"):
        sys.stdout.buffer.write(signed)
        return 0
    out = args.output or args.file.with_name(args.file.stem + ".signed.xml")
    out.write_bytes(signed)
    print(f"signed {args.file} -> {out}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from cryptography.x509 import load_pem_x509_certificates

    from adapter.cli.output import print_json
    from adapter.errors import SignatureInvalid
    from adapter.signing.xmldsig import verify_xml

    trusted = load_pem_x509_certificates(_read(args.cert)) if args.cert else None
    try:
        facts = {"valid": True, **_describe(verify_xml(_read(args.file), trusted))}
    except SignatureInvalid as exc:
        facts = {"valid": False, "reason": str(exc)}
    if args.json:
        print_json(facts)
    elif facts["valid"]:
        print(f"VALID: signed by {facts['subject']} (SHA-256 {facts['fingerprint_sha256']})")
    else:
        print(f"INVALID: {facts['reason']}")
    return 0 if facts["valid"] else 1


def _cert_show(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json

    signer = _signer(args)
    health = signer.health()
    facts = {**_describe(signer.certificate), "days_left": health.days_left,
             "health": str(health.status), "health_reason": health.reason}
    if args.json:
        print_json(facts)
    else:  # one record: "name  value" lines, untruncated (the fingerprint is meant to be copied)
        for name, value in facts.items():
            print(f"{name:<20}{value}")
    return 0 if health.usable else 1


def _describe(cert: x509.Certificate) -> dict[str, Any]:
    from adapter.signing.health import key_bits
    from adapter.signing.keys import certificate_fingerprint

    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "serial": format(cert.serial_number, "x"),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "fingerprint_sha256": certificate_fingerprint(cert), "key_bits": key_bits(cert)}


def _read(path: Path) -> bytes:
    from adapter.errors import ConfigError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
