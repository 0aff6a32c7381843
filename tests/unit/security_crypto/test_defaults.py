"""Secure defaults: TLS verification on, encryption settings, demo secrets created owner-only."""

from __future__ import annotations

import os
import ssl
import stat
from pathlib import Path

import pytest

from adapter.outbox.config import OutboxSettings
from adapter.signing.demo import ensure_demo_certificate
from adapter.transport.config import GatewaySettings
from adapter.transport.tls import tls_verify


def test_tls_verification_is_on_by_default() -> None:
    settings = GatewaySettings()
    assert settings.verify_tls is True
    context = tls_verify(settings)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname is True


def test_turning_tls_off_is_explicit_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    assert tls_verify(GatewaySettings(verify_tls=False)) is False
    assert "TLS verification of the gateway is OFF" in caplog.text


def test_encryption_is_off_until_key_files_are_listed() -> None:
    assert OutboxSettings().encryption_key_files == []
    ring = OutboxSettings.model_validate({"encryption_key_files": ["/k1", "/k0"]})
    assert ring.encryption_key_files == [Path("/k1"), Path("/k0")]      # order kept: the first encrypts


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows uses installer ACLs")
def test_demo_key_and_password_files_are_owner_only(tmp_path: Path) -> None:
    p12, password = ensure_demo_certificate(tmp_path / "keys", "79001", "Benh vien demo")
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600
    assert stat.S_IMODE(password.stat().st_mode) == 0o600
