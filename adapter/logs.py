"""Logging rules of the adapter: records carry ids (MA_LK, outbox id, rule codes), never patient data.

Some libraries log whole documents at DEBUG (signxml logs every canonicalised document:
names, CCCD and card numbers inside the base64 tables). They are capped at INFO wherever
the adapter runs, CLI or embedded.
"""

from __future__ import annotations

import logging

CHATTY = ("signxml", "xmlsec", "httpx", "httpcore", "urllib3")


def quiet_third_party_loggers() -> None:
    """Keep the libraries that would log payloads at INFO or above (call after logging is configured).

    Their level follows the root level but never goes below INFO: a library is never made
    louder than the configured level, and never logs at DEBUG (child loggers such as
    ``signxml.processor`` inherit the level; a filter would not reach them).
    """
    floor = max(logging.INFO, logging.getLogger().getEffectiveLevel())
    for name in CHATTY:
        logging.getLogger(name).setLevel(floor)
