"""``application/x-www-form-urlencoded`` bodies built without a per-byte pass over the file (PURE).

httpx (``urllib.parse.urlencode``) quotes every byte of the ~64 KB base64 string in Python:
about 2.7 ms of CPU per claim file. Base64 output is ``[A-Za-z0-9+/=]``, and of those only
``+``, ``/`` and ``=`` are not left alone by ``quote_plus``, so three ``bytes.replace`` calls
give the same bytes as ``urlencode`` in ~0.1 ms. The short fields go through ``quote_plus``
like ``urlencode`` does. A property test pins the equality with httpx's own encoding.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import quote_plus

CONTENT_TYPE = "application/x-www-form-urlencoded"


def quoted_base64(payload: bytes) -> bytes:
    """Base64 of ``payload``, quoted exactly as ``quote_plus`` would quote its text."""
    return (base64.b64encode(payload)
            .replace(b"+", b"%2B").replace(b"/", b"%2F").replace(b"=", b"%3D"))


def form_body(fields: Iterable[tuple[str, str]], *, file_field: str, payload: bytes) -> bytes:
    """``fields`` then ``file_field`` = base64(payload), byte-identical to ``urlencode`` of the same pairs."""
    head = "".join(f"{quote_plus(k)}={quote_plus(v)}&" for k, v in fields)
    return head.encode("ascii") + quote_plus(file_field).encode("ascii") + b"=" + quoted_base64(payload)
