"""Progress lines on the resource's own row: the engine's ``Log`` call with the step's URN.

A provider plugin is started with the engine's address as its argument; ``Log`` with a URN
shows the line beside that resource in the ``pulumi up`` display, and ``ephemeral`` keeps
progress out of the Diagnostics summary. Called from the worker threads that run the steps, so
it uses its own (synchronous, thread-safe) channel, not the server's event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

__all__ = ["EngineLog"]

_LOG_TIMEOUT_SECONDS = 10.0


class EngineLog:
    """Sends lines to the engine; one channel per plugin process, opened on first use."""

    def __init__(self, address: str | None) -> None:
        self._address = address
        self._lock = threading.Lock()
        self._stub: engine_pb2_grpc.EngineStub | None = None

    def _engine(self) -> engine_pb2_grpc.EngineStub | None:
        if not self._address:
            return None
        with self._lock:
            if self._stub is None:
                self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(self._address))
            return self._stub

    def sink(self, urn: str) -> Callable[[str], None]:
        """A :func:`bw_pulumi._progress.routed_to` sink for the step on ``urn``."""

        def send(line: str) -> None:
            engine = self._engine()
            if engine is None:
                raise RuntimeError("no engine address")  # say() falls back to stderr
            engine.Log(
                engine_pb2.LogRequest(
                    severity=engine_pb2.INFO, message=line, urn=urn, ephemeral=True
                ),
                timeout=_LOG_TIMEOUT_SECONDS,
            )

        return send
