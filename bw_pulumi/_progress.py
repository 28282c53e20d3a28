"""Progress lines for the user: the engine relays a dynamic plugin's stderr while a step runs.

It shows them on the ``pulumi:pulumi:Stack`` row and under the Stack's Diagnostics, not on the
working resource's row (the relay names no resource), so each line names what it is about.

Below both the transport and the resources, so the transport can say that it is still retrying
without importing the resources (which import it).
"""

from __future__ import annotations

import sys

__all__ = ["say"]


def say(message: str) -> None:
    """One progress line, flushed at once so it shows while the step is still running."""
    print(f"bw-pulumi: {message}", file=sys.stderr, flush=True)
