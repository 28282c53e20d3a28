"""The wall-time floor the Bandwidth APIs allow for each phase, and the request budgets.

The floor is what an ideal provider could achieve against the emulated APIs with zero engine
overhead: every request costs the injected latency ``L``, an order takes the processing time
``P``, and Catapult number imports are held to the (scaled) documented budget of 100/min with a
burst of 800. Steps linked by a dependency in the flagship program add up; independent ones
overlap. ``ceil(x/w)·L`` is the time of ``x`` independent requests ``w`` at a time.

How wide requests can go is what the two layouts differ in. ``bulk`` (one PhoneNumberBindings)
does its own fan-out, up to ``b = 16`` requests per API inside one provider call
(``BULK_CONCURRENCY``); ``per-number`` (one PhoneNumber per number) gets at most the engine's
``c = 4`` provider calls at once. In-service answers cost the cheaper of one GET per number
(``b`` wide) and listing the account (``/totals`` then its pages one after another, 500 each:
the next page's cursor is in the previous page), over the ``T`` numbers the account then holds
(the stack's ``N`` plus ``others``):

  S(n, T) = min(ceil(n/b), 1 + ceil(T/500))·L
  up      = 4L (Subscription POST; order resume look-up, importTnChecker, POST) + P
          + S(N, N + others) (confirm in service)
          + max(max(0, N - burst)/rate, ceil(N/w)·L)   (number imports; w = b or c)
          (the Application POST overlaps the order)
  no-op   = 0 (check and diff need no requests)
  refresh = L + S(N, N + others) (the order's GET, then its in-service answers, which the
            bindings' reads share; the Catapult list of 1000 a page overlaps)
  destroy = ceil(N/w)·L (Catapult DELETEs) + 2L + P + S(N, others) (removal order: resume
            look-up, POST; confirm out of service) + L (Subscription DELETE)   (the Application
            DELETE overlaps)

The current platform's flagship (``v2``: examples/hosted_messaging_v2) has no per-number
binding: its numbers take the messaging set-up of the Location they are imported into. Its
floor has no N term but the in-service answers, and one token request (OAuth2 client
credentials, once per provider process) before the first call:

  up      = L (token) + L (Location POST) + 3L (LocationMessaging: read the Location's features,
          enable SMS, assign the application) + 3L (order resume look-up, importTnChecker, POST)
          + P + S(N, N + others)   (the Subscription and application POSTs overlap the Location)
  refresh = L (token) + L + S(N, N + others)   (every read overlaps the order's)
  destroy = L (token) + 2L + P + S(N, others) (removal order: resume look-up, POST; confirm)
          + 2L (LocationMessaging: unassign, SMS off) + L (Location and application DELETEs
          together)   (the Subscription DELETE overlaps)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bw_pulumi.clients.dashboard import DEFAULT_IN_SERVICE_PAGE_SIZE
from bw_pulumi.resources._bulk import BULK_CONCURRENCY

__all__ = [
    "IMPORTS_BURST",
    "IMPORTS_PER_MINUTE",
    "PROVIDER_CONCURRENCY",
    "Pacing",
    "floor_seconds",
    "request_budget",
    "v2_floor_seconds",
]

#: The engine's dynamic-provider server runs 4 gRPC worker threads (pulumi.dynamic __main__).
PROVIDER_CONCURRENCY = 4
#: Catapult "Order Number Request": 100 per minute, burst 800; /applications 1 per second.
IMPORTS_PER_MINUTE = 100.0
IMPORTS_BURST = 800
APPLICATIONS_PER_SECOND = 1.0
#: The size the bulk request targets are set for.
REQUESTS_N = 1000
#: The v2 flagship's up and destroy request target at any N: no per-number requests.
V2_REQUESTS = 60


@dataclass(frozen=True)
class Pacing:
    latency_s: float
    processing_s: float
    scale: float
    #: Numbers on the account (in service, bound to another application) the stack does not own.
    others: int = 0

    @property
    def import_rate(self) -> float:
        return IMPORTS_PER_MINUTE / 60.0 * self.scale


def _rounds(requests: int, latency: float, width: int) -> float:
    return math.ceil(requests / width) * latency


def in_service_seconds(n: int, total: int, latency: float) -> float:
    """The cheaper of ``n`` GETs ``b`` wide and listing an account of ``total`` numbers."""
    listing = 1 + math.ceil(total / DEFAULT_IN_SERVICE_PAGE_SIZE)
    return min(math.ceil(n / BULK_CONCURRENCY), listing) * latency


def floor_seconds(phase: str, n: int, p: Pacing, layout: str = "bulk") -> float:
    """The floor for ``phase`` ("up", "noop", "refresh", "destroy") with ``n`` numbers."""
    if layout == "null":  # the baseline makes no requests
        return 0.0
    if layout == "v2":
        return v2_floor_seconds(phase, n, p)
    lat = p.latency_s
    width = BULK_CONCURRENCY if layout == "bulk" else PROVIDER_CONCURRENCY
    if phase == "up":
        imports_budget = max(0, n - IMPORTS_BURST) / p.import_rate
        confirm = in_service_seconds(n, n + p.others, lat)
        return 4 * lat + p.processing_s + confirm + max(imports_budget, _rounds(n, lat, width))
    if phase == "noop":
        return 0.0
    if phase == "refresh":
        return lat + in_service_seconds(n, n + p.others, lat)
    if phase == "destroy":
        confirm = in_service_seconds(n, p.others, lat)
        return _rounds(n, lat, width) + 2 * lat + p.processing_s + confirm + lat
    raise ValueError(f"unknown phase {phase!r}")


def v2_floor_seconds(phase: str, n: int, p: Pacing) -> float:
    """The current platform's flagship: no per-number requests, one token per process."""
    lat = p.latency_s
    if phase == "up":
        return 8 * lat + p.processing_s + in_service_seconds(n, n + p.others, lat)
    if phase == "noop":
        return 0.0
    if phase == "refresh":
        return 2 * lat + in_service_seconds(n, n + p.others, lat)
    if phase == "destroy":
        return 6 * lat + p.processing_s + in_service_seconds(n, p.others, lat)
    raise ValueError(f"unknown phase {phase!r}")


def request_budget(phase: str, n: int, layout: str = "bulk") -> float | None:
    """The request targets: bulk ``up`` <= 1.05N + 20 and ``refresh`` <= 20 at N = 1000 (in an
    account with 1000 other numbers); per-number keeps the earlier 2.2N + 20 and 2.2N + 10 at
    every N; a no-op ``up`` makes none. ``None`` where no target is set."""
    if phase == "noop":
        return 0.0
    if layout == "v2":
        # Nothing per number: a fixed count at any N (the set-up, the order's polls, the
        # in-service pages), far under the Catapult flagship's N + 20.
        return V2_REQUESTS if phase in ("up", "destroy") else None
    if layout == "bulk":
        if n != REQUESTS_N:
            return None
        return {"up": 1.05 * n + 20, "refresh": 20.0}.get(phase)
    return {"up": 2.2 * n + 20, "refresh": 2.2 * n + 10}.get(phase)
