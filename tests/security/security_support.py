"""Values shared by the security fixtures and tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Listener:
    """A loopback HTTP server that records every request and serves a DTD holding the canary."""

    url: str
    hits: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Canary:
    path: Path
    secret: str
