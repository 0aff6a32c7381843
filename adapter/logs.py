"""Logging rules of the adapter: records carry ids (MA_LK, outbox id, rule codes), never patient data.

Some libraries log whole documents at DEBUG (signxml logs every canonicalised document:
names, CCCD and card numbers inside the base64 tables). They are capped at INFO wherever
the adapter runs, CLI or embedded.
"""

from __future__ import annotations

import logging

CHATTY = ("signxml", "xmlsec", "httpx", "httpcore", "urllib3")


def _not_debug(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.INFO


def quiet_third_party_loggers() -> None:
    """Drop the DEBUG records of libraries that would log payloads (idempotent).

    A filter, not a level: it never makes a library louder than the configured level.
    """
    for name in CHATTY:
        logger = logging.getLogger(name)
        if _not_debug not in logger.filters:
            logger.addFilter(_not_debug)
