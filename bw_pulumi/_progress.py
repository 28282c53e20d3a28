"""Progress lines for the user, on the row of the resource that is working.

The engine relays a dynamic plugin's stderr without saying which resource it is about, so
printed lines show on the ``pulumi:pulumi:Stack`` row. The engine's own log service does take a
resource: the plugin is started with its address as the first argument, and each request the
dynamic server handles carries the resource's URN. So a line is sent there with the URN of the
call this thread serves (the server method's ``request`` up the stack, or the one
:func:`carrying_urn` hands to a worker thread); it then shows on that resource's row and under
its Diagnostics. Anywhere else (a test, a program, a failed send) it is printed as before.

The native plugin (:mod:`bw_pulumi.native`) knows its step's URN itself and sends the lines
through its own engine connection: it routes them with :func:`routed_to`, which wins.

Below both the transport and the resources, so the transport can say that it is still retrying
without importing the resources (which import it).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import FrameType
from typing import TypeVar

from ._engine_log import EngineLog

__all__ = ["carrying_urn", "current_urn", "routed_to", "say"]

T = TypeVar("T")
_SERVICER = "DynamicResourceProviderServicer"
_ADDRESS = re.compile(r"^[\w.\-\[\]]+:\d+$")
_URN: ContextVar[str | None] = ContextVar("bw_pulumi_urn", default=None)
#: Where this step's lines go instead (the native plugin's engine Log call). A context variable,
#: so concurrent steps on the engine's worker threads each keep their own.
_SINK: ContextVar[Callable[[str], None] | None] = ContextVar("bw_pulumi_progress", default=None)
_lock = threading.Lock()
_engine: list[EngineLog | None] = []  # [log] once found, [None] once found unusable
#: The dynamic server's lines also stay under the resource's Diagnostics (not ephemeral).
_LOG_TIMEOUT_SECONDS = 5.0


def say(message: str) -> None:
    """One progress line, at once, so it shows while the step is still running."""
    line = f"bw-pulumi: {message}"
    sink = _SINK.get()
    if sink is not None:
        try:
            sink(line)
            return
        except Exception:  # a lost log line must never fail the step: stderr still shows it
            pass
    urn = current_urn()
    if urn is None or not _to_engine(urn, line):
        print(line, file=sys.stderr, flush=True)


@contextmanager
def routed_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send :func:`say`'s lines to ``sink`` for the duration (in this context only)."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def current_urn() -> str | None:
    """The URN of the resource whose engine call this thread serves, if any."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if _SERVICER in frame.f_globals:
            urn = getattr(frame.f_locals.get("request"), "urn", None)
            if isinstance(urn, str) and urn:
                return urn
        frame = frame.f_back
    return _URN.get()


def carrying_urn(work: Callable[[str], T]) -> Callable[[str], T]:
    """``work`` for a worker thread: its lines go to the calling thread's resource too."""
    urn, sink = current_urn(), _SINK.get()

    def carried(item: str) -> T:
        tokens = _URN.set(urn), _SINK.set(sink)
        try:
            return work(item)
        finally:
            _SINK.reset(tokens[1])
            _URN.reset(tokens[0])

    return carried


def _to_engine(urn: str, line: str) -> bool:
    """Send ``line`` to the engine's log for ``urn``; False when that is not possible."""
    engine = _engine_log()
    if engine is None:
        return False
    try:
        engine.send(urn, line)
    except Exception:
        with _lock:
            _engine[:] = [None]  # once refused, print from then on: a line is never lost
        return False
    return True


def _engine_log() -> EngineLog | None:
    """The engine's log service, when this process is the dynamic server the engine started."""
    with _lock:
        if not _engine:
            main = vars(sys.modules.get("__main__", sys))
            address = sys.argv[1] if len(sys.argv) > 1 else ""
            found = _SERVICER in main and _ADDRESS.match(address)
            log = EngineLog(address, ephemeral=False, timeout=_LOG_TIMEOUT_SECONDS)
            _engine.append(log if found else None)
        return _engine[0]
