"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bw_pulumi import _runtime


@pytest.fixture(autouse=True)
def process_local_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pacing buckets stay in the test's process (and its fake clock) unless a test shares them:
    a user's cache directory must not carry one test's budget into another."""
    monkeypatch.setenv("BW_PULUMI_PACING_DIR", "off")


@pytest.fixture(autouse=True)
def fresh_runtime() -> Iterator[None]:
    """Every test starts as a new provider process would: no settings, clients or caches."""
    _runtime.reset()
    yield
    _runtime.reset()
