"""Fixtures for the native plugin's gRPC tests: a fake engine, the plugin, an emulator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The wire helpers (secret markers, unknowns) are the engine-protocol tests' own.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from native_harness import BW_API_SECRET, BW_PASSWORD, FakeEngine, Plugin

from bw_pulumi.emulator import Emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0, password=BW_PASSWORD, api_secret=BW_API_SECRET) as emulator:
        yield emulator


@pytest.fixture
def fake_engine() -> Iterator[FakeEngine]:
    engine = FakeEngine()
    yield engine
    engine.stop()


@pytest.fixture
def plugin(fake_engine: FakeEngine, emu: Emulator) -> Iterator[Plugin]:
    started = Plugin(fake_engine)
    started.configure(emu.stack_config())
    yield started
    started.close()
