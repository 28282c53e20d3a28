"""A scripted loopback server for the client tests that replay recorded Bandwidth answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests._replay_server import ReplayServer, serve


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()
