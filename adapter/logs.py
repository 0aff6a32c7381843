"""Logging rules of the adapter: records carry ids (MA_LK, outbox id, rule codes), never patient data.

signxml logs every canonicalised document at DEBUG (names, CCCD and card numbers inside
the base64 tables); that is its only log call. Its logger is held at INFO wherever the
adapter runs, CLI or embedded, which removes exactly that record and nothing else.
httpx logs request lines at INFO; the gateway client redacts their query strings.
"""

from __future__ import annotations

import logging

PAYLOAD_LOGGERS = ("signxml", "xmlsec")


def quiet_third_party_loggers() -> None:
    """Hold the libraries that log whole documents at INFO (idempotent, order-independent)."""
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
