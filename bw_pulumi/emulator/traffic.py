"""Traffic shaping for the emulated APIs: seeded fault injection, request budgets, counters.

Faults (``POST /_emulator/faults``) and budgets (``POST /_emulator/limits``) never touch the
``/_emulator/`` routes. Budgets model the Catapult limits Bandwidth documents (API doc 9): number
imports 100/min with a burst of 800, ``/applications`` 1 request per second.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["Budgets", "FaultPlan", "Faults", "Stats"]


@dataclass(frozen=True)
class FaultPlan:
    seed: int | None = None
    p429: float = 0.0
    p500: float = 0.0
    p503: float = 0.0
    pdrop: float = 0.0
    latency_ms: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultPlan:
        known = {"seed", "p429", "p500", "p503", "pdrop", "latency_ms"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}; known: {sorted(known)}")
        seed = data.get("seed")
        return cls(
            seed=None if seed is None else int(seed),
            **{k: float(data.get(k) or 0.0) for k in known - {"seed"}},
        )


class Faults:
    """Draws one outcome per API request from a seeded RNG (reproducible fault sequences)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.plan = FaultPlan()
        self._rng = random.Random()

    def configure(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self._rng = random.Random(plan.seed)

    def draw(self) -> tuple[float, str | None]:
        """``(latency_seconds, outcome)``; outcome: ``"drop"``, ``"429"``, ``"500"``, ``"503"``."""
        with self._lock:
            plan = self.plan
            roll = self._rng.random()
        outcome: str | None = None
        threshold = 0.0
        for name, p in (
            ("drop", plan.pdrop),
            ("429", plan.p429),
            ("500", plan.p500),
            ("503", plan.p503),
        ):
            threshold += p
            if roll < threshold:
                outcome = name
                break
        return plan.latency_ms / 1000.0, outcome


class _Bucket:
    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self.tokens = self.burst
        self.stamp = time.monotonic()

    def take(self) -> float | None:
        """Spend a token; ``None`` if allowed, else seconds until one is available."""
        moment = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (moment - self.stamp) * self.rate)
        self.stamp = moment
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return (1.0 - self.tokens) / self.rate


#: Budget names -> (endpoints they cover, rate key, burst key or fixed burst).
_BUDGETS = {
    "catapult-number-imports": (
        frozenset({"POST catapult.numbers.create"}),
        "catapult_number_imports_per_minute",
        "catapult_number_imports_burst",
    ),
    "catapult-applications": (
        frozenset(
            {
                "POST catapult.applications.create",
                "GET catapult.applications.list",
                "GET catapult.applications.get",
                "POST catapult.applications.update",
                "DELETE catapult.applications.delete",
            }
        ),
        "catapult_applications_per_second",
        None,
    ),
}


class Budgets:
    """Optional per-endpoint token buckets, off until configured; ``scale`` multiplies rates."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[frozenset[str], _Bucket]] = {}
        self.config: dict[str, float] = {}

    def configure(self, data: dict[str, Any]) -> None:
        known = {
            "catapult_number_imports_per_minute",
            "catapult_number_imports_burst",
            "catapult_applications_per_second",
            "scale",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown limit keys: {sorted(unknown)}; known: {sorted(known)}")
        config = {k: float(v) for k, v in data.items() if v is not None}
        scale = config.get("scale", 1.0)
        buckets: dict[str, tuple[frozenset[str], _Bucket]] = {}
        imports = config.get("catapult_number_imports_per_minute")
        if imports:
            burst = config.get("catapult_number_imports_burst", imports)
            buckets["catapult-number-imports"] = (
                _BUDGETS["catapult-number-imports"][0],
                _Bucket(imports / 60.0 * scale, burst),
            )
        apps = config.get("catapult_applications_per_second")
        if apps:
            # "Limit 1, Time Period 1000 ms" (API doc 9): a burst of one.
            buckets["catapult-applications"] = (
                _BUDGETS["catapult-applications"][0],
                _Bucket(apps * scale, 1.0),
            )
        with self._lock:
            self.config = config
            self._buckets = buckets

    def check(self, route: str) -> float | None:
        """Seconds to wait if ``route`` ("METHOD endpoint") is over budget, else ``None``."""
        with self._lock:
            for endpoints, bucket in self._buckets.values():
                if route in endpoints:
                    wait = bucket.take()
                    if wait is not None:
                        return wait
        return None


class Stats:
    """Request counters by route and by status, read by the benchmark (``GET /_emulator/stats``),
    and when each route was first and last asked for (wall-clock seconds): where a phase's time
    went, next to a budget's floor."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._status: Counter[str] = Counter()
        self._seen: dict[str, list[float]] = {}

    def count(self, route: str, status: str) -> None:
        now = time.time()
        with self._lock:
            self._requests[route] += 1
            self._status[status] += 1
            self._seen.setdefault(route, [now, now])[1] = now

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self._requests),
                "status": dict(self._status),
                "total": sum(self._requests.values()),
                "seen": {route: list(span) for route, span in self._seen.items()},
            }

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._status.clear()
            self._seen.clear()
