"""Simulator configuration: accounts, registered certificates, TLS, faults, card registry."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from adapter.errors import ConfigError
from adapter.ports import Clock, SystemClock
from adapter.simulator.cards import CardRecord, demo_cards, demo_officers


@dataclass(frozen=True, kw_only=True, slots=True)
class Faults:
    """Fault injection knobs. Rates are probabilities per API request (seeded RNG)."""

    latency_min_s: float = 0.0
    latency_max_s: float = 0.0          # each API request waits uniform(min, max) first
    error_rate: float = 0.0             # HTTP 500 {"maKetQua":"500"}, nothing recorded
    timeout_rate: float = 0.0           # sleep timeout_s (past the client's read timeout), then drop
    timeout_s: float = 5.0
    reset_rate: float = 0.0             # drop the connection before processing
    reply_lost_rate: float = 0.0        # accept and record, then drop the connection
    token_expiry_every: int = 0         # every N-th file submission finds all tokens expired
    maintenance: bool = False           # HTTP 503 {"maKetQua":"503"} on every API request
    maintenance_windows: tuple[tuple[time, time], ...] = ()   # local (UTC+7) time-of-day windows

    def updated(self, changes: Mapping[str, Any]) -> Faults:
        """A copy with the given knobs changed (the admin endpoint's JSON)."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ConfigError(f"unknown fault settings: {sorted(unknown)}")
        values = {name: _coerce(type(getattr(self, name)), value) for name, value in changes.items()}
        return dataclasses.replace(self, **values)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["maintenance_windows"] = [f"{a:%H:%M}-{b:%H:%M}" for a, b in self.maintenance_windows]
        return data


def _coerce(kind: type, value: Any) -> Any:
    """Admin JSON to the knob's type; a wrong type is a usage error, not a later crash."""
    try:
        if kind is tuple:
            return parse_windows(value)
        if kind is bool:
            if not isinstance(value, bool):
                raise TypeError(value)
            return value
        number = kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad fault setting value {value!r}") from exc
    if number < 0:
        raise ConfigError("fault settings cannot be negative")
    return number


def parse_windows(value: Any) -> tuple[tuple[time, time], ...]:
    """``["22:00-23:30", ...]`` -> time pairs (a window may cross midnight)."""
    try:
        return tuple(_window(str(item)) for item in value)
    except ValueError as exc:
        raise ConfigError("maintenance windows must look like '22:00-23:30'") from exc


def _window(text: str) -> tuple[time, time]:
    start, end = text.split("-", 1)
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


@dataclass(frozen=True, kw_only=True)
class SimulatorConfig:
    """What the simulated gateway knows. ``accounts``: username -> (password, MA_CSKCB)."""

    accounts: Mapping[str, tuple[str, str]] = field(default_factory=dict, repr=False)   # has passwords
    certificates: Mapping[str, Sequence[bytes]] = field(default_factory=dict)   # MA_CSKCB -> PEMs
    host: str = "127.0.0.1"
    port: int = 0
    tls: bool = False
    faults: Faults = field(default_factory=Faults)
    seed: int = 0
    token_lifetime_s: float = 3600.0
    cards: Mapping[str, CardRecord] = field(default_factory=demo_cards)
    officers: Mapping[str, str] = field(default_factory=demo_officers)        # CCCD -> name
    clock: Clock = field(default_factory=SystemClock)

    def facility_of(self, username: str) -> str | None:
        entry = self.accounts.get(username)
        return entry[1] if entry else None


def load_accounts(path: Path) -> dict[str, tuple[str, str]]:
    """Accounts file (JSON): ``{"79001_BV": {"password": "...", "ma_cskcb": "79001"}, ...}``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {user: (str(v["password"]), str(v["ma_cskcb"])) for user, v in raw.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"cannot read simulator accounts from {path}") from exc
