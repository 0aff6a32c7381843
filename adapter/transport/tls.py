"""TLS verification and log hygiene for the gateway client (edge code, no gateway logic)."""

from __future__ import annotations

import logging
import ssl

import httpx

from adapter.errors import ConfigError
from adapter.transport.config import GatewaySettings

log = logging.getLogger(__name__)


def tls_verify(settings: GatewaySettings) -> ssl.SSLContext | bool:
    """Verification on by default; a CA bundle if configured; off only by explicit setting."""
    if not settings.verify_tls:
        log.warning("TLS verification of the gateway is OFF (gateway.verify_tls=false): "
                    "use only against a local simulator")
        return False
    if settings.ca_bundle is None:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=str(settings.ca_bundle))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load gateway.ca_bundle {settings.ca_bundle}") from exc


class RedactQuery(logging.Filter):
    """Drop the query string from httpx's request log: the card lookup carries the token and
    the password MD5 there (the gateway's design, not ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(a.copy_with(query=None) if isinstance(a, httpx.URL) and a.query else a
                                for a in record.args)
        return True


def redact_httpx_log() -> None:
    """Install the redaction on the ``httpx`` logger once (idempotent)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactQuery) for f in logger.filters):
        logger.addFilter(RedactQuery())
