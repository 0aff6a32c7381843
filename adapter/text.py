"""The one text normaliser for everything that goes into an XML table.

HIS databases hand us NFD Vietnamese (macOS input, some Java front ends), stray
control characters pasted from Word or scanners, and the usual ``<``/``&``/``]]>``.
This module decides what a *value* becomes; escaping and CDATA are the serialiser's
job (``adapter.mappers.format``).

Rules:

* Unicode NFC, so that the gateway's string comparisons and length checks see
  composed Vietnamese letters.
* C0 control characters other than tab, LF and CR are removed, as are the
  characters XML 1.0 cannot carry at all (lone surrogates, U+FFFE, U+FFFF) and the
  ones it discourages (DEL and the C1 controls U+007F-U+009F, which in HIS data are
  always mis-decoded Windows-1252, never text). The number removed is reported so
  validation can raise a rule for it: the value was changed, and an operator should
  know.
* Nothing is ever cut. A value longer than its field is emitted whole and reported
  by validation; truncating a diagnosis or a name silently is worse than a rejection.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What XML 1.0 forbids (C0 except \t \n \r, surrogates, U+FFFE/U+FFFF) or discourages (DEL, C1).
CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_ILLEGAL = re.compile(f"[{CONTROL_CLASS}]")


@dataclass(frozen=True, kw_only=True, slots=True)
class CleanText:
    """A normalised value and what normalising it did."""

    text: str
    removed: int = 0           # control / XML-illegal characters dropped
    recomposed: bool = False   # the input was not NFC

    @property
    def changed(self) -> bool:
        return self.removed > 0 or self.recomposed


def normalize(value: str) -> CleanText:
    """NFC and removal of characters XML cannot carry, with a report of what changed."""
    text, removed = _ILLEGAL.subn("", value)
    recomposed = not unicodedata.is_normalized("NFC", text)
    if recomposed:
        text = unicodedata.normalize("NFC", text)
    return CleanText(text=text, removed=removed, recomposed=recomposed)


def clean(value: str) -> str:
    """The normalised text only (the serialiser's fast path; validation uses ``normalize``)."""
    if value.isascii():
        # ASCII is always NFC; only the control-character check remains.
        return _ILLEGAL.sub("", value) if _ILLEGAL.search(value) else value
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def length(value: str) -> int:
    """Length as the field sizes count it: characters of the normalised text."""
    return len(clean(value))
