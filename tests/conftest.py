"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bw_pulumi import _runtime


@pytest.fixture(autouse=True)
def fresh_runtime() -> Iterator[None]:
    """Every test starts as a new provider process would: no settings, clients or caches."""
    _runtime.reset()
    yield
    _runtime.reset()
