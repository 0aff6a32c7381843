"""The Signer contract, for the production signer and the shipped test doubles."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapter.errors import CertificateError
from adapter.ports import FixedClock, Signer
from adapter.signing.testing import RefusingSigner, ephemeral_signer
from adapter.signing.xmldsig import signer_fingerprint, strip_signature, verify_xml


def test_ephemeral_signer_meets_the_signer_contract(claim: bytes, now: datetime) -> None:
    signer: Signer = ephemeral_signer(FixedClock(at=now), ma_cskcb="79001")
    signed = signer.sign(claim)
    verify_xml(signed, at=now)
    assert signer_fingerprint(signed) == signer.certificate_fingerprint
    assert strip_signature(signed) == claim


def test_refusing_signer_raises_what_it_was_given(claim: bytes) -> None:
    signer: Signer = RefusingSigner(error=CertificateError("certificate expired"))
    with pytest.raises(CertificateError, match="expired"):
        signer.sign(claim)
