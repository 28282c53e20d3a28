"""Fixtures for engine-protocol tests: a real `python -m pulumi.dynamic` plugin per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from harness import Engine, Secret
from sample_provider import SAMPLE_TOKEN

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
