"""``bhyt-adapter sign / verify / cert show`` run as subprocesses, with real settings files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from adapter.signing.keys import KeyMaterial
from adapter.signing.xmldsig import verify_xml

UNSIGNED = (b'<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS>\n'
            b'  <THONGTINDONVI><MACSKCB>79001</MACSKCB></THONGTINDONVI>\n</GIAMDINHHS>\n')


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTER_")}
    return subprocess.run([sys.executable, "-m", "adapter.cli.main", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def p12_config(tmp_path: Path, material: KeyMaterial) -> Path:
    p12 = tmp_path / "facility.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"bv", material.private_key, material.certificate, None,
        serialization.BestAvailableEncryption(b"pa55-word-do-not-print")))
    (tmp_path / "p12.pass").write_text("pa55-word-do-not-print\n")
    config = tmp_path / "adapter.toml"
    password_file = (tmp_path / "p12.pass").as_posix()
    config.write_text(f'workdir = "{(tmp_path / "var").as_posix()}"\n[signing]\nkind = "pkcs12"\n'
                      f'pkcs12_path = "{p12.as_posix()}"\npassword_file = "{password_file}"\n')
    return config


def test_sign_appends_chukydonvi_and_verify_accepts(tmp_path: Path, p12_config: Path,
                                                    material: KeyMaterial) -> None:
    (tmp_path / "in.xml").write_bytes(UNSIGNED)
    signed_path = tmp_path / "out.xml"
    result = _cli("--config", p12_config, "sign", "in.xml", "-o", signed_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    signed = signed_path.read_bytes()
    assert b"</THONGTINDONVI>\n  <CHUKYDONVI><Signature" in signed
    assert verify_xml(signed, [material.certificate]) == material.certificate
    cert_pem = tmp_path / "cert.pem"
    cert_pem.write_bytes(material.certificate.public_bytes(serialization.Encoding.PEM))
    ok = _cli("verify", signed_path, "--cert", cert_pem, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("VALID: signed by")
    assert material.fingerprint in ok.stdout


def test_verify_reports_tampering_with_exit_1(tmp_path: Path, p12_config: Path) -> None:
    (tmp_path / "in.xml").write_bytes(UNSIGNED)
    assert _cli("--config", p12_config, "sign", "in.xml", cwd=tmp_path).returncode == 0
    signed = (tmp_path / "in.signed.xml").read_bytes()
    (tmp_path / "bad.xml").write_bytes(signed.replace(b"79001", b"79002"))
    result = _cli("verify", "bad.xml", "--json", cwd=tmp_path)
    assert result.returncode == 1
    reason = "signature does not verify: Digest mismatch for reference 0 ()"
    assert json.loads(result.stdout) == {"valid": False, "reason": reason}
    unsigned = _cli("verify", "in.xml", cwd=tmp_path)
    assert unsigned.returncode == 1 and "INVALID" in unsigned.stdout and "last child" in unsigned.stdout


def test_cert_show_json_has_the_facts_and_no_secret(tmp_path: Path, p12_config: Path,
                                                    material: KeyMaterial) -> None:
    result = _cli("--config", p12_config, "cert", "show", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["fingerprint_sha256"] == material.fingerprint
    assert facts["key_bits"] == 2048 and facts["health"] == "ok" and facts["days_left"] >= 729
    assert facts["serial"] == format(material.certificate.serial_number, "x")
    assert "pa55-word" not in result.stdout + result.stderr


def test_cert_show_demo_creates_the_demo_key_once(tmp_path: Path) -> None:
    config = tmp_path / "adapter.toml"
    config.write_text(f'workdir = "{(tmp_path / "var").as_posix()}"\n[signing]\nkind = "demo"\n')
    first = _cli("--config", config, "cert", "show", cwd=tmp_path)
    second = _cli("--config", config, "cert", "show", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and "health              ok" in first.stdout
    assert (tmp_path / "var" / "keys" / "facility.p12").exists()


def test_a_missing_key_file_is_a_configuration_error(tmp_path: Path) -> None:
    config = tmp_path / "adapter.toml"
    config.write_text(f'[signing]\nkind = "pkcs12"\npkcs12_path = "{(tmp_path / "absent.p12").as_posix()}"\n')
    (tmp_path / "in.xml").write_bytes(UNSIGNED)
    result = _cli("--config", config, "sign", "in.xml", cwd=tmp_path)
    assert result.returncode == 2 and "configuration error" in result.stderr
