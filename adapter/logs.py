"""Logging rules of the adapter: records carry ids (MA_LK, outbox id, rule codes), never patient data.

Some libraries log whole documents at DEBUG (signxml logs every canonicalised document:
names, CCCD and card numbers inside the base64 tables). They are capped at INFO wherever
the adapter runs, CLI or embedded.
"""

from __future__ import annotations

import logging

CHATTY = ("signxml", "xmlsec", "httpx", "httpcore", "urllib3")


def quiet_third_party_loggers() -> None:
    """Cap the libraries that would log payloads at INFO (idempotent)."""
    for name in CHATTY:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, logging.INFO))
