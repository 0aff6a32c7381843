"""The patient values that must never reach a log line, and a scanner for them."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from adapter.his.demo_data import GeneratedEncounter

MIN_LENGTH = 6  # shorter values (a 3-letter given name) would match ordinary words


@dataclass(frozen=True, kw_only=True, slots=True)
class Leak:
    kind: str
    line: str


def _folded(text: str) -> str:
    """Lower case, no diacritics: 'Nguyễn Văn Đức' -> 'nguyen van duc' (catches ASCII-folded copies)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def patient_values(generated: Iterable[GeneratedEncounter]) -> dict[str, str]:
    """value -> kind ("name", "cccd", "card", "phone") for every demo patient."""
    out: dict[str, str] = {}
    for g in generated:
        p = g.encounter.patient
        out[p.ho_ten] = "name"
        if p.so_cccd:
            out[p.so_cccd] = "cccd"
        if p.dien_thoai:
            out[p.dien_thoai] = "phone"
        for card in g.encounter.cards:
            out[card.ma_the_bhyt] = "card"
    return {v: k for v, k in out.items() if len(v) >= MIN_LENGTH}


_WORD = re.compile(r"[a-z0-9]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")


def _with_decoded(line: str) -> str:
    """The line plus the text of every base64 run in it: a payload logged as base64 is still a payload."""
    decoded = []
    for run in _BASE64.findall(line):
        try:
            decoded.append(base64.b64decode(run[: len(run) - len(run) % 4]).decode("utf-8", "ignore"))
        except binascii.Error:
            continue
    return line if not decoded else line + " " + " ".join(decoded)


def find_leaks(lines: Sequence[str], values: dict[str, str], *, first: bool = False) -> list[Leak]:
    """Every line holding a value, compared ASCII-folded (so NFC, NFD and unaccented copies all match).

    Values are looked up as runs of words (names) or windows of characters (numbers, codes): linear
    in the length of the logs, whatever the number of patients.
    """
    wanted = {" ".join(_WORD.findall(_folded(v))): k for v, k in values.items()}
    spans = {n.count(" ") + 1 for n in wanted}
    leaks = []
    for line in dict.fromkeys(lines):
        words = _WORD.findall(_folded(unicodedata.normalize("NFC", _with_decoded(line))))
        for kind in _hits(words, wanted, spans):
            leaks.append(Leak(kind=kind, line=line[:300]))
            if first:
                return leaks
    return leaks




def logger_of(line: str) -> str:
    """The logger name of a captured line ("name LEVEL message")."""
    return line.split(" ", 1)[0]


def _hits(words: list[str], wanted: dict[str, str], spans: set[int]) -> Iterator[str]:
    for i in range(len(words)):
        for n in spans:
            kind = wanted.get(" ".join(words[i : i + n])) if i + n <= len(words) else None
            if kind is not None:
                yield kind
    for word in words:  # a number inside a longer token ("DN4797...x"): only tokens with digits
        if len(word) > MIN_LENGTH and not word.isalpha():
            yield from (
                kind
                for needle, kind in wanted.items()
                if " " not in needle and len(word) > len(needle) and needle in word
            )
