"""Helpers for the signing integration tests (imported by their conftest and tests)."""

from __future__ import annotations

import base64
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from adapter.signing.keys import KeyMaterial


def envelope(table_bytes: int = 2000) -> bytes:
    """A GIAMDINHHS-shaped claim file (tables base64 inside NOIDUNGFILE), ending with <CHUKYDONVI/>."""
    table = ("<?xml version=\"1.0\"?>\n<TONG_HOP><MA_LK>LK0001</MA_LK><HO_TEN><![CDATA[Nguyễn Văn A]]>"
             "</HO_TEN>" + "<GHI_CHU>x</GHI_CHU>" * (table_bytes // 20) + "</TONG_HOP>").encode()
    b64 = base64.b64encode(table).decode()
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
            '  <THONGTINDONVI>\n    <MACSKCB>79001</MACSKCB>\n  </THONGTINDONVI>\n'
            '  <THONGTINHOSO>\n    <NGAYLAP>20260601</NGAYLAP>\n    <SOLUONGHOSO>1</SOLUONGHOSO>\n'
            '    <DANHSACHHOSO>\n      <HOSO>\n'
            f'        <FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>{b64}</NOIDUNGFILE></FILEHOSO>\n'
            '      </HOSO>\n    </DANHSACHHOSO>\n  </THONGTINHOSO>\n'
            '  <CHUKYDONVI/>\n</GIAMDINHHS>\n').encode()


@dataclass(frozen=True, kw_only=True)
class Xmlsec1:
    """The xmlsec1 CLI: an XML-DSig implementation that is not ours."""

    workdir: Path

    def verify(self, signed: bytes, trusted: KeyMaterial) -> subprocess.CompletedProcess[str]:
        doc = self.workdir / "doc.xml"
        doc.write_bytes(signed)
        pem = self.workdir / "trusted.pem"
        pem.write_bytes(trusted.certificate.public_bytes(serialization.Encoding.PEM))
        # --trusted-pem: the certificate in KeyInfo must chain to (here: be) the trusted one,
        # so a swapped certificate fails as well as a changed byte.
        return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(pem), str(doc)],
                              capture_output=True, text=True, timeout=30, check=False)

    def accepts(self, signed: bytes, trusted: KeyMaterial) -> bool:
        result = self.verify(signed, trusted)
        return result.returncode == 0 and "OK" in result.stderr + result.stdout


@dataclass(frozen=True, kw_only=True)
class SoftToken:
    module: Path
    label: str
    key_label: str
    key_id: str
    pin: str
    env: dict[str, str]
