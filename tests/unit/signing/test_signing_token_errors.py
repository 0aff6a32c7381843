"""Token errors by retryability: absent, unplugged, locked or failing hardware retries; the rest does not."""

from __future__ import annotations

import pytest
from pkcs11 import exceptions as p11

from adapter.errors import RetryableError, SignerUnavailable, SigningError
from adapter.signing.pkcs11 import token_error

RETRYABLE = [p11.TokenNotPresent, p11.DeviceRemoved, p11.NoSuchToken, p11.SlotIDInvalid, p11.PinLocked,
             p11.DeviceError, p11.SessionHandleInvalid, p11.SessionCount, p11.TokenNotRecognised]
PERMANENT = [p11.PinIncorrect, p11.PinExpired, p11.MechanismInvalid, p11.KeyHandleInvalid, p11.DataLenRange,
             p11.MultipleTokensReturned]


@pytest.mark.parametrize("error", RETRYABLE, ids=lambda e: e.__name__)
def test_an_unavailable_token_is_retryable(error: type[p11.PKCS11Error]) -> None:
    translated = token_error(error(), "signing")
    assert isinstance(translated, SignerUnavailable) and isinstance(translated, RetryableError)
    assert str(translated) == f"signing: {error.__name__}"


@pytest.mark.parametrize("error", PERMANENT, ids=lambda e: e.__name__)
def test_other_token_errors_are_permanent(error: type[p11.PKCS11Error]) -> None:
    translated = token_error(error("secret-pin-123"), "signing")
    assert isinstance(translated, SigningError) and not isinstance(translated, RetryableError)
    assert "secret-pin-123" not in str(translated)
