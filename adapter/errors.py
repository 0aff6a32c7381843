"""The one exception tree of the adapter.

::

    AdapterError
    ├── ConfigError                 settings missing or inconsistent
    ├── PermanentError              retrying will not help; an operator must act
    │   ├── DataError               a record is wrong (carries record id, field, rule)
    │   │   └── ValidationFailed    blocking validation issues for one encounter
    │   ├── SigningError            cannot produce a valid signature
    │   │   ├── CertificateError    certificate expired, not yet valid, unsuitable, not registered
    │   │   └── SignatureInvalid    a signature does not verify
    │   ├── GatewayRejected         the gateway refused the content (data error reply)
    │   ├── InvalidTransition       an outbox status change not in the transition table
    │   └── XmlInputError           unsafe or malformed XML input (DTD, entities, syntax)
    └── RetryableError              a later attempt may succeed
        ├── TransportError          network failure, timeout, connection reset
        ├── GatewayUnavailable      5xx, maintenance, circuit open
        ├── AuthenticationError     token refused or expired (refresh, then retry)
        ├── OutcomeUnknown          sent, but the reply was lost: the item must be retried
        ├── SourceUnavailable       the HIS database cannot be reached right now
        └── SignerUnavailable       the token/HSM is absent, locked or busy right now

Retryability belongs to the type, never to a parsed message. Third-party errors are
translated in one place per adapter with ``raise ... from exc``. Messages never
carry patient data or secrets: only record ids (MA_LK, outbox id), field names and
rule codes.
"""

from __future__ import annotations


class AdapterError(Exception):
    """Root of every error the adapter raises on purpose."""


class ConfigError(AdapterError):
    """Settings are missing, malformed or inconsistent."""


class PermanentError(AdapterError):
    """Retrying the same operation will not help."""


class RetryableError(AdapterError):
    """A later attempt of the same operation may succeed."""


class DataError(PermanentError):
    """A record is wrong. Names the record and the field, never the value."""

    def __init__(self, message: str, *, record: str = "", field: str = "", rule: str = "") -> None:
        self.record = record
        self.field = field
        self.rule = rule
        where = ", ".join(p for p in (f"record {record}" if record else "",
                                       f"field {field}" if field else "",
                                       f"rule {rule}" if rule else "") if p)
        super().__init__(f"{message} ({where})" if where else message)


class ValidationFailed(DataError):
    """Blocking validation issues were found for one encounter."""

    def __init__(self, record: str, issues: tuple[object, ...]) -> None:
        self.issues = issues
        super().__init__(f"{len(issues)} blocking validation issue(s)", record=record)


class SigningError(PermanentError):
    """A signature cannot be produced."""


class CertificateError(SigningError):
    """The signing certificate cannot be used (expired, unsuitable, not registered)."""


class SignatureInvalid(SigningError):
    """A signature does not verify."""


class GatewayRejected(PermanentError):
    """The gateway refused the content itself; resending the same bytes will not help."""

    def __init__(self, message: str, *, code: str = "", transaction_id: str = "", detail: str = "") -> None:
        self.code = code
        self.transaction_id = transaction_id
        self.detail = detail            # the gateway's own words (thongDiep), kept for the operator
        super().__init__(message)


class InvalidTransition(PermanentError):
    """An outbox status change that the transition table does not allow."""


class XmlInputError(PermanentError):
    """XML input is malformed or unsafe (DTD, external entity, entity expansion)."""


class TransportError(RetryableError):
    """Network failure: connect error, timeout, reset."""


class GatewayUnavailable(RetryableError):
    """The gateway answered that it cannot take the request now (5xx, maintenance, circuit open)."""


class AuthenticationError(RetryableError):
    """The token was refused or expired; refresh it and retry."""


class OutcomeUnknown(RetryableError):
    """The request may have been processed but no reply came back."""


class SourceUnavailable(RetryableError):
    """The HIS database cannot be reached right now."""


class SignerUnavailable(RetryableError):
    """The signing token or HSM cannot be reached right now (unplugged, locked, busy)."""
