"""Signing settings (section ``[signing]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr


class SigningSettings(BaseModel):
    """How the facility certificate is reached. Secrets come from files or the environment."""

    kind: Literal["pkcs12", "pem", "pkcs11", "demo"] = "demo"
    pkcs12_path: Path | None = None
    pem_key_path: Path | None = None
    pem_cert_path: Path | None = None
    password: SecretStr | None = None          # PKCS#12 / PEM key password
    password_file: Path | None = None
    pkcs11_module: Path | None = None
    pkcs11_token_label: str | None = None
    pkcs11_key_label: str | None = None
    pkcs11_key_id: str | None = None           # CKA_ID as hex, when the label is not unique
    pkcs11_pin: SecretStr | None = None
    pkcs11_pin_file: Path | None = None
    expiry_warning_days: int = 30
    registered_fingerprints: list[str] = []    # SHA-256 hex of the certificate(s) registered on the portal
