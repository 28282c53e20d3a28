"""Progress lines for the user: the engine relays a dynamic plugin's stderr beside the step.

Below both the transport and the resources, so the transport can say that it is still retrying
without importing the resources (which import it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["routed_to", "say"]

#: Where this step's lines go instead of stderr: the native plugin attaches them to the
#: resource's row through the engine's Log call. A context variable, so concurrent steps on the
#: engine's worker threads each keep their own (``asyncio.to_thread`` copies the context).
_SINK: ContextVar[Callable[[str], None] | None] = ContextVar("bw_pulumi_progress", default=None)


def say(message: str) -> None:
    """One progress line, flushed at once so it shows while the step is still running."""
    line = f"bw-pulumi: {message}"
    sink = _SINK.get()
    if sink is not None:
        try:
            sink(line)
            return
        except Exception:  # a lost log line must never fail the step: stderr still shows it
            pass
    print(line, file=sys.stderr, flush=True)


@contextmanager
def routed_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send :func:`say`'s lines to ``sink`` for the duration (in this context only)."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)
