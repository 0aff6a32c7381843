"""The patient values that must never reach a log line, and a scanner for them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
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


def find_leaks(lines: Sequence[str], values: dict[str, str]) -> list[Leak]:
    """Every line holding a value, compared exactly and ASCII-folded (NFC and NFD both)."""
    needles = [(_folded(v), k) for v, k in values.items()]
    leaks = []
    for line in lines:
        folded = _folded(unicodedata.normalize("NFC", line))
        for needle, kind in needles:
            if needle in folded:
                leaks.append(Leak(kind=kind, line=line[:300]))
    return leaks
