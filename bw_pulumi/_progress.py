"""Progress lines for the user: the engine relays a dynamic plugin's stderr beside the step.

Below both the transport and the resources, so the transport can say that it is still retrying
without importing the resources (which import it).
"""

from __future__ import annotations

import sys

__all__ = ["say"]


def say(message: str) -> None:
    """One progress line, flushed at once so it shows while the step is still running."""
    print(f"bw-pulumi: {message}", file=sys.stderr, flush=True)
