"""Every in-service question of a provider process, answered in as few Dashboard requests as it can.

ImportTnOrder confirms its numbers in service and the PhoneNumber bindings of the same run need
the same answers: sharing them halves the Dashboard traffic of a large ``up``. The one instance
lives in the runtime registry (:mod:`bw_pulumi._runtime`), so a new process starts empty.

One strategy for all of them (:meth:`InServiceCache.lookup_many`): remembered answers cost
nothing; for the rest, listing the account (``1 + pages`` requests, judged from ``/totals``) or
one ``GET /inserviceNumbers/{tn}`` per number, whichever is cheaper (bandwidth-api.md 6).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from .._progress import carrying_urn
from ..clients.dashboard import DEFAULT_IN_SERVICE_PAGE_SIZE, DashboardClient, InServiceListing
from ..errors import Forbidden, NotFound

__all__ = [
    "IN_SERVICE_CACHE_SECONDS",
    "LOOKUP_CONCURRENCY",
    "TOTAL_SECONDS",
    "InServiceCache",
]

#: How long an in-service answer is reused inside one provider process (order -> bindings). A
#: provider process serves one operation, and with 1000 numbers the engine takes minutes between
#: the order's confirmation and the last binding (bench/: ~3 min), so 120 s cost ~160 repeats.
IN_SERVICE_CACHE_SECONDS = 900.0
#: Parallel per-number lookups inside one provider call (the HTTP pool holds more than this).
LOOKUP_CONCURRENCY = 8
#: How long a ``/totals`` answer (or its 403) steers the list-or-GET choice. It only prices the
#: choice, never an answer, so a few seconds' staleness costs requests at worst, not correctness.
TOTAL_SECONDS = 30.0
#: Fewer numbers than this never list: ``/totals`` plus one page already costs two requests.
_LIST_MIN = 3
_REFUSED = -1  # ``/totals`` answered 403 (a role the credentials lack, bandwidth-api.md 1.2)


class InServiceCache:
    """In-service answers by client and number, each kept ``ttl`` seconds, and the account's
    ``/totals`` count kept ``total_ttl`` seconds to price listing against per-number GETs."""

    def __init__(
        self,
        ttl: float = IN_SERVICE_CACHE_SECONDS,
        *,
        total_ttl: float = TOTAL_SECONDS,
        page_size: int = DEFAULT_IN_SERVICE_PAGE_SIZE,
    ) -> None:
        self._ttl = ttl
        self._total_ttl = total_ttl
        self.page_size = page_size
        self._lock = threading.Lock()
        self._answers: dict[tuple[int, str], tuple[bool, float]] = {}
        self._totals: dict[int, tuple[int, float]] = {}
        self._listing_locks: dict[int, threading.Lock] = {}
        self._listed: dict[int, tuple[InServiceListing, float]] = {}

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
        """One number: remembered, else one ``GET /inserviceNumbers/{tn}``."""
        cached = None if fresh else self.get(client, tn, max_age)
        if cached is not None:
            return cached
        answer = client.is_in_service(tn)
        self.put(client, tn, answer)
        return answer

    def total(self, client: DashboardClient) -> int | None:
        """``/totals``' count for the account, ``None`` if refused (403); reused for a while.

        The "gone" probe (:meth:`BaseProvider.confirm_gone`) asks through here, so its answer
        also prices the next listing. Errors other than 403 propagate (the probe needs its 404).
        """
        with self._lock:
            hit = self._totals.get(id(client))
        if hit is not None and time.monotonic() - hit[1] <= self._total_ttl:
            count = hit[0]
        else:
            try:
                count = client.in_service_total()
            except Forbidden:
                count = _REFUSED
            with self._lock:
                self._totals[id(client)] = (count, time.monotonic())
        return None if count == _REFUSED else count

    def lookup_many(
        self,
        client: DashboardClient,
        tns: Iterable[str],
        *,
        fresh: bool = False,
        max_age: float | None = None,
        progress: Callable[[str, bool], None] | None = None,
    ) -> dict[str, bool]:
        """Answers for many numbers: remembered ones, then a listing or per-number GETs.

        ``progress`` sees each answer as it arrives, in order and in the calling thread, so bulk
        work can report counts without locking.
        """
        numbers = list(dict.fromkeys(tns))
        known: dict[str, bool] = {}
        for tn in numbers:
            cached = None if fresh else self.get(client, tn, max_age)
            if cached is not None:
                known[tn] = cached
        known.update(self._from_listing(client, [tn for tn in numbers if tn not in known]))
        rest = [tn for tn in numbers if tn not in known]
        if len(rest) <= 1:
            one = (self.lookup(client, tn, fresh=True) for tn in rest)
            return _collect(numbers, known, one, progress)
        with ThreadPoolExecutor(max_workers=LOOKUP_CONCURRENCY) as pool:
            # Transport retry lines from the workers go to the calling resource's row too.
            look = carrying_urn(lambda tn: self.lookup(client, tn, fresh=True))
            fetched = pool.map(look, rest)
            return _collect(numbers, known, fetched, progress)

    def _from_listing(self, client: DashboardClient, missing: list[str]) -> dict[str, bool]:
        """Answers a listing gives, if listing is cheaper than ``len(missing)`` GETs.

        A listed number is in service (as of its page). An absent one is out of service only if
        the listing was consistent; otherwise it stays unanswered, for its own GET.
        """
        listing = self._listing(client, len(missing))
        if listing is None:
            return {}
        answers: dict[str, bool] = {}
        for tn in missing:
            if tn in listing.numbers or listing.consistent:
                answers[tn] = tn in listing.numbers
                self.put(client, tn, answers[tn])
        return answers

    def _listing(self, client: DashboardClient, wanted: int) -> InServiceListing | None:
        if wanted < _LIST_MIN:
            return None
        try:
            total = self.total(client)
        except NotFound:
            # A wrong base URL or account: per-number GETs then answer 404 ("no") as before, and
            # the caller's "gone" probe turns that into a configuration error.
            return None
        if total is None:
            return None  # per-number GETs may still be allowed where /totals is not
        pages = max(1, math.ceil(total / self.page_size))
        if 1 + pages >= wanted:
            return None
        # A stale total may undercount: stop once the pages alone cost what the GETs would have.
        return self._shared_listing(client, wanted)

    def _shared_listing(self, client: DashboardClient, max_pages: int) -> InServiceListing:
        """One listing per account at a time; a caller that waited for another's listing uses
        it (it ran while this one waited, so it is as fresh). A refresh reads the order and the
        bindings at once, and both would otherwise page through the same account."""
        asked = time.monotonic()
        with self._lock:
            lock = self._listing_locks.setdefault(id(client), threading.Lock())
        with lock:
            done = self._listed.get(id(client))
            if done is not None and done[1] >= asked:
                return done[0]
            listing = client.in_service_listing(self.page_size, max_pages=max_pages)
            self._listed[id(client)] = (listing, time.monotonic())
            return listing


def _collect(
    numbers: list[str],
    known: dict[str, bool],
    fetched: Iterator[bool],
    progress: Callable[[str, bool], None] | None,
) -> dict[str, bool]:
    """Every answer in ``numbers`` order: known ones, else the next fetched (same order)."""
    collected: dict[str, bool] = {}
    for tn in numbers:
        answer = known[tn] if tn in known else next(fetched)
        collected[tn] = answer
        if progress is not None:
            progress(tn, answer)
    return collected
