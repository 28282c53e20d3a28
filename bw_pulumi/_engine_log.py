"""The engine's ``Log`` call with a resource's URN: a progress line on that resource's row.

Every provider plugin, the dynamic server and the native one alike, is started with the
engine's address as its first argument. ``Log`` with a URN shows the line beside that resource
in the ``pulumi up`` display; ``ephemeral`` keeps it out of the Diagnostics summary. Called from
the worker threads that run the steps, so it uses its own synchronous (thread-safe) channel,
opened on first use. grpc and the engine's protos load then, not with the package.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["EngineLog"]


class EngineLog:
    """Sends lines to the engine at ``address``; one channel, opened on first use."""

    def __init__(self, address: str | None, *, ephemeral: bool, timeout: float) -> None:
        self._address = address
        self._ephemeral = ephemeral
        self._timeout = timeout
        self._lock = threading.Lock()
        self._stub: Any = None

    def send(self, urn: str, line: str) -> None:
        """Log ``line`` on ``urn``'s row; raises when there is no engine or it refuses."""
        from pulumi.runtime.proto import engine_pb2

        request = engine_pb2.LogRequest(
            severity=engine_pb2.INFO, message=line, urn=urn, ephemeral=self._ephemeral
        )
        self._engine().Log(request, timeout=self._timeout)

    def _engine(self) -> Any:
        if not self._address:
            raise RuntimeError("no engine address")
        with self._lock:
            if self._stub is None:
                import grpc
                from pulumi.runtime.proto import engine_pb2_grpc

                self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(self._address))
            return self._stub
