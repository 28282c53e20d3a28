"""The wall-time floor the Bandwidth APIs allow for each phase, and the request budgets.

The floor is what an ideal provider could achieve against the emulated APIs with the engine's
4-way provider concurrency and zero engine overhead: every request costs the injected latency
``L``, an order takes the processing time ``P``, and Catapult number imports are held to the
(scaled) documented budget of 100/min with a burst of 800. Steps linked by a dependency in the
flagship program add up; independent ones overlap. ``c = 4`` provider calls run at once, and one
ImportTnOrder call fans its per-number in-service look-ups out ``k = 8`` wide
(``LOOKUP_CONCURRENCY``); ``ceil(x/c)·L`` is the time of ``x`` independent requests:

  up      = L (Subscription POST)
          + 3L (ImportTnOrder: resume look-up, importTnChecker, order POST) + P
          + ceil(N/k)·L (confirm N numbers in service)
          + max(max(0, N - burst) / import_rate, ceil(N/c)·L)   (N PhoneNumber imports)
          (the Application POST overlaps the order; its 1/s budget allows one request at once)
  no-op   = 0 (check and diff need no requests)
  refresh = ceil((N + 2)/c)·L  (N Catapult GETs, Subscription, Application; the N in-service
            look-ups run k wide inside the order's read and are shared with the bindings)
  destroy = ceil(N/c)·L (N Catapult DELETEs) + L + P + ceil(N/k)·L (removal order, confirm)
          + L (Subscription DELETE)   (the Application DELETE overlaps)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bw_pulumi.resources._in_service import LOOKUP_CONCURRENCY

__all__ = [
    "IMPORTS_BURST",
    "IMPORTS_PER_MINUTE",
    "PROVIDER_CONCURRENCY",
    "Pacing",
    "floor_seconds",
    "request_budget",
]

#: The engine's dynamic-provider server runs 4 gRPC worker threads (pulumi.dynamic __main__).
PROVIDER_CONCURRENCY = 4
#: Catapult "Order Number Request": 100 per minute, burst 800; /applications 1 per second.
IMPORTS_PER_MINUTE = 100.0
IMPORTS_BURST = 800
APPLICATIONS_PER_SECOND = 1.0


@dataclass(frozen=True)
class Pacing:
    latency_s: float
    processing_s: float
    scale: float

    @property
    def import_rate(self) -> float:
        return IMPORTS_PER_MINUTE / 60.0 * self.scale


def _rounds(requests: int, latency: float, width: int = PROVIDER_CONCURRENCY) -> float:
    return math.ceil(requests / width) * latency


def floor_seconds(phase: str, n: int, p: Pacing) -> float:
    """The floor for ``phase`` ("up", "noop", "refresh", "destroy") with ``n`` numbers."""
    lat = p.latency_s
    if phase == "up":
        imports_budget = max(0, n - IMPORTS_BURST) / p.import_rate
        confirm = _rounds(n, lat, LOOKUP_CONCURRENCY)
        return 4 * lat + p.processing_s + confirm + max(imports_budget, _rounds(n, lat))
    if phase == "noop":
        return 0.0
    if phase == "refresh":
        return _rounds(n + 2, lat)
    if phase == "destroy":
        confirm = _rounds(n, lat, LOOKUP_CONCURRENCY)
        return _rounds(n, lat) + lat + p.processing_s + confirm + lat
    raise ValueError(f"unknown phase {phase!r}")


def request_budget(phase: str, n: int) -> float | None:
    """The issue's request targets: up <= 2.2N + 20, refresh <= 2.2N + 10, no-op up = 0."""
    return {"up": 2.2 * n + 20, "refresh": 2.2 * n + 10, "noop": 0.0}.get(phase)
