"""Memory of the Dashboard's in-service answers, shared by the resources of one provider process.

ImportTnOrder confirms its numbers in service and the PhoneNumber bindings of the same run need
the same answers: sharing them halves the Dashboard traffic of a large ``up``. The one instance
lives in the runtime registry (:mod:`bw_pulumi._runtime`), so a new process starts empty.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from ..clients.dashboard import DashboardClient

__all__ = ["IN_SERVICE_CACHE_SECONDS", "LOOKUP_CONCURRENCY", "InServiceCache"]

#: How long an in-service answer is reused inside one provider process (order -> bindings). A
#: provider process serves one operation, and with 1000 numbers the engine takes minutes between
#: the order's confirmation and the last binding (bench/: ~3 min), so 120 s cost ~160 repeats.
IN_SERVICE_CACHE_SECONDS = 900.0
#: Parallel per-number lookups inside one provider call (the HTTP pool holds more than this).
LOOKUP_CONCURRENCY = 8


class InServiceCache:
    """``GET /inserviceNumbers/{tn}`` answers by client and number, each kept ``ttl`` seconds."""

    def __init__(self, ttl: float = IN_SERVICE_CACHE_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._answers: dict[tuple[int, str], tuple[bool, float]] = {}

    def put(self, client: DashboardClient, tn: str, in_service: bool) -> None:
        with self._lock:
            self._answers[(id(client), tn)] = (in_service, time.monotonic())

    def get(self, client: DashboardClient, tn: str, max_age: float | None = None) -> bool | None:
        """The remembered answer for ``tn`` on ``client``'s account, if younger than max_age."""
        with self._lock:
            hit = self._answers.get((id(client), tn))
        limit = self._ttl if max_age is None else max_age
        if hit is None or time.monotonic() - hit[1] > limit:
            return None
        return hit[0]

    def lookup(
        self,
        client: DashboardClient,
        tn: str,
        *,
        fresh: bool = False,
        max_age: float | None = None,
    ) -> bool:
        cached = None if fresh else self.get(client, tn, max_age)
        if cached is not None:
            return cached
        answer = client.is_in_service(tn)
        self.put(client, tn, answer)
        return answer

    def lookup_many(
        self,
        client: DashboardClient,
        tns: Iterable[str],
        *,
        fresh: bool = False,
        max_age: float | None = None,
        progress: Callable[[str, bool], None] | None = None,
    ) -> dict[str, bool]:
        """Answers for many numbers, a few lookups at a time (one round trip each).

        ``progress`` sees each answer as it arrives, in order and in the calling thread, so bulk
        work can report counts without locking.
        """
        numbers = list(dict.fromkeys(tns))
        if len(numbers) <= 1:
            answers: Iterable[bool] = (
                self.lookup(client, tn, fresh=fresh, max_age=max_age) for tn in numbers
            )
            return _collect(numbers, answers, progress)
        with ThreadPoolExecutor(max_workers=LOOKUP_CONCURRENCY) as pool:
            answers = pool.map(
                lambda tn: self.lookup(client, tn, fresh=fresh, max_age=max_age), numbers
            )
            return _collect(numbers, answers, progress)


def _collect(
    numbers: list[str], answers: Iterable[bool], progress: Callable[[str, bool], None] | None
) -> dict[str, bool]:
    collected: dict[str, bool] = {}
    for tn, answer in zip(numbers, answers, strict=True):
        collected[tn] = answer
        if progress is not None:
            progress(tn, answer)
    return collected
