"""The BHXH gateway simulator: the documented contract, strict checks, records, fault injection.

Public API: ``SimulatorConfig``, ``Faults``, ``SimulatorState``, ``SimulatorServer``,
``create_app``. See docs/gateway.md.
"""

from __future__ import annotations

from adapter.simulator.app import create_app
from adapter.simulator.config import Faults, SimulatorConfig
from adapter.simulator.server import SimulatorServer
from adapter.simulator.state import SimulatorState

__all__ = ["Faults", "SimulatorConfig", "SimulatorServer", "SimulatorState", "create_app"]
