"""Fixtures for engine-protocol tests: a real `python -m pulumi.dynamic` plugin per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from bw_helpers import BW_API_SECRET, BW_PASSWORD, bw_stack_config
from harness import Engine, Secret
from sample_provider import SAMPLE_TOKEN

from bw_pulumi.emulator import Emulator

HERE = Path(__file__).resolve().parent


@pytest.fixture
def start_engine() -> Iterator[Callable[..., Engine]]:
    """Start plugin processes on demand (configured with `config` unless it is None)."""
    started: list[Engine] = []

    def start(config: Mapping[str, Any] | None = None, **kwargs: Any) -> Engine:
        # The plugin imports providers by module name, as it imports bw_pulumi in real use.
        kwargs.setdefault("pythonpath", [HERE])
        engine = Engine(**kwargs)
        started.append(engine)
        engine.start()
        if config is not None:
            engine.configure(config)
        return engine

    yield start
    for engine in started:
        engine.close()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def engine(start_engine: Callable[..., Engine], store: Path) -> Engine:
    """A plugin configured like a stack with `sample:storeDir` and a secret `sample:token`."""
    return start_engine({"sample:storeDir": str(store), "sample:token": Secret(SAMPLE_TOKEN)})


@pytest.fixture
def bw_emu() -> Iterator[Emulator]:
    """A Bandwidth emulator whose orders settle as soon as they are read (no wall-clock waits).

    Its credentials are distinctive strings, so a leak into state or error text is findable.
    """
    with Emulator(processing_seconds=0, password=BW_PASSWORD, api_secret=BW_API_SECRET) as emulator:
        yield emulator


@pytest.fixture
def bw_plugin(start_engine: Callable[..., Engine], bw_emu: Emulator) -> Callable[[], Engine]:
    """Starts a plugin configured with the emulator's stack config: one per CLI operation.

    The CLI starts a new plugin process for every `up`/`refresh`/`destroy`, so process-wide
    caches never outlive an operation; tests of drift must refresh in a new plugin too.
    Catapult pacing (1 application request a second) is sped up: the emulator has no budgets.
    """
    return lambda: start_engine(bw_stack_config(bw_emu), env={"BW_PULUMI_RATE_SCALE": "20"})


@pytest.fixture
def bw_engine(bw_plugin: Callable[[], Engine]) -> Engine:
    """The real dynamic-provider plugin, configured with the emulator's stack config."""
    return bw_plugin()
