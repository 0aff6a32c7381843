"""Runs the real pipeline (bootstrap -> poll -> drain against the simulator) over a corrupted demo HIS."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import create_engine

from adapter.bootstrap import App, bootstrap
from adapter.his import demo_data
from adapter.his.demo import generate_demo_his
from adapter.outbox.values import ItemFilter
from adapter.settings import Settings
from adapter.simulator.config import Faults, SimulatorConfig
from adapter.simulator.server import SimulatorServer

if TYPE_CHECKING:
    from badinput_his import HisCase

FACILITY = "79001"
USER = "79001_BV"
PASSWORD = "pw-badinput"


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """What the outbox holds for one MA_LK after poll + drain."""

    ma_lk: str
    status: str
    issues: tuple[dict[str, Any], ...]
    last_error: str | None

    def locations(self) -> set[tuple[str, str]]:
        return {(str(i.get("rule")), f"{i.get('table')}.{i.get('field')}") for i in self.issues}

    def blocking_rules(self) -> set[str]:
        return {str(i["rule"]) for i in self.issues if i.get("severity") == "blocking"}


def his_url(his: Path | str) -> str:
    """A SQLAlchemy URL: a path is a SQLite file, a string is already a URL (PostgreSQL, MariaDB)."""
    return his if isinstance(his, str) else f"sqlite:///{his}"


def settings(workdir: Path, his: Path | str | None, drop_folder: Path | None = None) -> Settings:
    """The demo configuration: a HIS database, a drop folder (taken as soon as written), or both."""
    his_section: dict[str, Any] = {"url": his_url(his)} if his is not None else {}
    if drop_folder is not None:
        his_section.update(drop_folder=drop_folder, drop_folder_settle_s=0.0)
    return Settings.model_validate(
        {
            "workdir": workdir,
            "his": his_section,
            "facilities": [
                {
                    "ma_cskcb": FACILITY,
                    "name": "Bệnh viện thử",
                    "username": USER,
                    "password": PASSWORD,
                    "sending_enabled": True,
                }
            ],
            "signing": {"kind": "demo"},
            "gateway": {"environment": "simulator"},
        }
    )


def demo_his(path: Path | str, *, encounters: int, seed: int = 1) -> list[demo_data.GeneratedEncounter]:
    """Write the demo HIS and return the encounters it holds (same seed, same data)."""
    generate_demo_his(path, encounters=encounters, seed=seed, ma_cskcb=FACILITY)
    return demo_data.generate(encounters=encounters, seed=seed, ma_cskcb=FACILITY)


@contextmanager
def his_connection(his: Path | str) -> Iterator[Any]:
    engine = create_engine(his_url(his))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def certificate_pem(app: App) -> bytes:
    """The facility certificate (the ``Signer`` port does not name it; the demo signer has one)."""
    pem: bytes = cast(Any, app.signer()).certificate.public_bytes(Encoding.PEM)
    return pem


@contextmanager
def running_app(
    workdir: Path,
    his: Path | str | None,
    *,
    trust_certificate: bool = True,
    faults: Faults | None = None,
    drop_folder: Path | None = None,
) -> Iterator[App]:
    """An App wired to a fresh simulator (that trusts its demo certificate unless told not to)."""
    app = bootstrap(settings(workdir, his, drop_folder))
    try:
        pem = certificate_pem(app)
        config = SimulatorConfig(
            accounts={USER: (PASSWORD, FACILITY)},
            certificates={FACILITY: [pem]} if trust_certificate else {},
            faults=faults or Faults(),
        )
        with SimulatorServer(config) as sim:
            app.base_url_override = sim.base_url
            yield app
    finally:
        app.close()


def run_pipeline(app: App) -> tuple[Any, Any]:
    poll = app.poll_his()
    drain = app.drain(concurrency=4)
    return poll, drain


def outcomes(app: App) -> Mapping[str, Outcome]:
    """MA_LK -> what the outbox holds (the current version's issues)."""
    out: dict[str, Outcome] = {}
    for row in app.outbox.list_items(ItemFilter(limit=100_000)):
        detail = app.outbox.get(row.id)
        current = next(v for v in detail.versions if v.version == row.version)
        out[row.ma_lk] = Outcome(
            ma_lk=row.ma_lk, status=row.status.value, issues=current.issues, last_error=row.last_error
        )
    return out


class Capture(logging.Handler):
    """Keeps every record (formatted, with exception text) emitted while installed."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def root_at_debug() -> Iterator[Capture]:
    """Every logger of the process, at DEBUG, into one list of lines."""
    root = logging.getLogger()
    capture, level = Capture(), root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


@dataclass(frozen=True, kw_only=True)
class CorpusRun:
    plan: Mapping[str, HisCase]  # MA_LK -> the case applied to it
    generated: tuple[demo_data.GeneratedEncounter, ...]
    outcomes: Mapping[str, Outcome]
    poll: object
    drain: object
    log_lines: tuple[str, ...]

    def untouched(self) -> list[str]:
        return [
            g.encounter.ma_lk for g in self.generated if g.finished and g.encounter.ma_lk not in self.plan
        ]
