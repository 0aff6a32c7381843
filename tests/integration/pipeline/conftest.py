from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter.bootstrap import App, bootstrap
from adapter.his.demo import generate_demo_his
from adapter.settings import Settings

FACILITY = "79001"


def demo_settings(workdir: Path, his: Path, **extra: object) -> Settings:
    return Settings(workdir=workdir, his={"url": f"sqlite:///{his}"},  # type: ignore[arg-type]
                    facilities=[{"ma_cskcb": FACILITY, "name": "BV Demo", "username": "79001_BV",  # type: ignore[list-item]
                                 "password": "pw-test", "sending_enabled": True}],
                    signing={"kind": "demo"}, gateway={"environment": "simulator"}, **extra)  # type: ignore[arg-type]


@pytest.fixture
def his_db(tmp_path: Path) -> Path:
    path = tmp_path / "his.sqlite"
    generate_demo_his(path, encounters=12, seed=7, ma_cskcb=FACILITY)
    return path


@pytest.fixture
def app(tmp_path: Path, his_db: Path) -> Iterator[App]:
    application = bootstrap(demo_settings(tmp_path / "work", his_db))
    yield application
    application.close()


@pytest.fixture
def simulator(app: App) -> Iterator[object]:
    from cryptography.hazmat.primitives.serialization import Encoding

    from adapter.simulator.config import SimulatorConfig
    from adapter.simulator.server import SimulatorServer

    pem = app.signer().certificate.public_bytes(Encoding.PEM)  # type: ignore[attr-defined]
    server = SimulatorServer(SimulatorConfig(accounts={"79001_BV": ("pw-test", FACILITY)},
                                             certificates={FACILITY: [pem]})).start()
    app.base_url_override = server.base_url
    yield server
    server.stop()
