"""Fixtures of the chaos tests: the chaos script's modules, loaded from ``scripts/`` by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` once (scripts are not a package; sys.path stays untouched)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def verdict() -> ModuleType:
    return load_script("chaos_verdict")


@pytest.fixture(scope="session")
def chaos_simulator() -> ModuleType:
    return load_script("chaos_simulator")
