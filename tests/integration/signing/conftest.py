"""Real collaborators for signing: the Debian xmlsec1 CLI and a SoftHSM2 token in a temp dir."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from signing_helpers import SoftToken, Xmlsec1, envelope

from adapter.signing.demo import organisation_certificate
from adapter.signing.keys import KeyMaterial

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
USER_PIN = "123456"


@pytest.fixture(scope="session")
def material() -> KeyMaterial:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = organisation_certificate(key, "79001", "Bệnh viện Đa khoa Thử nghiệm", datetime.now(UTC))
    return KeyMaterial(private_key=key, certificate=cert)


@pytest.fixture(scope="session")
def other_material() -> KeyMaterial:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = organisation_certificate(key, "79002", "Bệnh viện Khác", datetime.now(UTC))
    return KeyMaterial(private_key=key, certificate=cert)


@pytest.fixture(scope="session")
def make_envelope() -> Callable[[int], bytes]:
    return envelope


@pytest.fixture
def xmlsec1(tmp_path: Path) -> Xmlsec1:
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 CLI not installed (Debian package xmlsec1)")
    return Xmlsec1(workdir=tmp_path)


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr or result.stdout}"


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory, material: KeyMaterial) -> Iterator[SoftToken]:
    """A real SoftHSM2 token holding ``material``'s key and certificate (label and id ``facility``/01)."""
    for tool in ("softhsm2-util", "pkcs11-tool"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed (Debian packages softhsm2, opensc)")
    if not SOFTHSM_MODULE.exists():
        pytest.skip(f"SoftHSM2 module missing: {SOFTHSM_MODULE}")
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    _run(["softhsm2-util", "--init-token", "--free", "--label", "facility", "--so-pin", "87654321",
          "--pin", USER_PIN], env)
    key_der, cert_der = base / "key.der", base / "cert.der"
    key_der.write_bytes(material.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert_der.write_bytes(material.certificate.public_bytes(serialization.Encoding.DER))
    p11 = ["pkcs11-tool", "--module", str(SOFTHSM_MODULE), "--token-label", "facility", "--login",
            "--pin", USER_PIN, "--label", "facility-sign", "--id", "01"]
    _run([*p11, "--write-object", str(key_der), "--type", "privkey"], env)
    _run([*p11, "--write-object", str(cert_der), "--type", "cert"], env)
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)   # the module reads it when python-pkcs11 loads it
    yield SoftToken(module=SOFTHSM_MODULE, label="facility", key_label="facility-sign", key_id="01",
                    pin=USER_PIN, env=env)
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def released_tokens() -> Iterator[None]:
    """Each test starts and ends with no open token session (PKCS#11 login state is per process)."""
    from adapter.signing.pkcs11 import release_tokens

    release_tokens()
    yield
    release_tokens()
