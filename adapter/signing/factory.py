"""Build the facility signer from settings; called once, by ``adapter.bootstrap``."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from adapter.errors import ConfigError
from adapter.ports import Clock
from adapter.settings import read_secret
from adapter.signing.config import SigningSettings
from adapter.signing.keys import KeyMaterial, load_pem, load_pkcs12
from adapter.signing.signer import FacilitySigner

T = TypeVar("T")


def build_signer(settings: SigningSettings, *, workdir: Path, ma_cskcb: str, facility_name: str,
                 clock: Clock) -> FacilitySigner:
    """The signer for ``settings.kind`` (demo, pkcs12, pem, pkcs11)."""
    key = load_key_material(settings, workdir=workdir, ma_cskcb=ma_cskcb, facility_name=facility_name)
    return FacilitySigner(key, clock=clock, expiry_warning_days=settings.expiry_warning_days,
                          registered_fingerprints=settings.registered_fingerprints)


def load_key_material(settings: SigningSettings, *, workdir: Path, ma_cskcb: str,
                      facility_name: str) -> KeyMaterial:
    if settings.kind == "demo":
        return _demo(workdir, ma_cskcb, facility_name)
    if settings.kind == "pkcs12":
        path = _required(settings.pkcs12_path, "signing.pkcs12_path")
        return load_pkcs12(path, read_secret(settings.password, settings.password_file))
    if settings.kind == "pem":
        return load_pem(_required(settings.pem_key_path, "signing.pem_key_path"),
                        _required(settings.pem_cert_path, "signing.pem_cert_path"),
                        read_secret(settings.password, settings.password_file))
    return _pkcs11(settings)


def _demo(workdir: Path, ma_cskcb: str, facility_name: str) -> KeyMaterial:
    from adapter.signing.demo import ensure_demo_certificate

    p12, pass_file = ensure_demo_certificate(workdir / "keys", ma_cskcb, facility_name)
    return load_pkcs12(p12, pass_file.read_text(encoding="utf-8").strip())


def _pkcs11(settings: SigningSettings) -> KeyMaterial:
    from adapter.signing.pkcs11 import open_pkcs11

    module = _required(settings.pkcs11_module, "signing.pkcs11_module")
    token = _required(settings.pkcs11_token_label, "signing.pkcs11_token_label")
    if not (settings.pkcs11_key_label or settings.pkcs11_key_id):
        raise ConfigError("signing.kind = pkcs11 needs signing.pkcs11_key_label or signing.pkcs11_key_id")
    pin = read_secret(settings.pkcs11_pin, settings.pkcs11_pin_file)
    if pin is None:
        raise ConfigError("signing.kind = pkcs11 needs signing.pkcs11_pin or signing.pkcs11_pin_file")
    return open_pkcs11(module, token, key_label=settings.pkcs11_key_label,
                       key_id=settings.pkcs11_key_id, pin=pin)


def _required(value: T | None, name: str) -> T:
    if value is None:
        raise ConfigError(f"{name} is required for this signing.kind")
    return value
