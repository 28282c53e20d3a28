"""One paged Catapult number list per application, shared by the PhoneNumber reads of a process.

A refresh reads every PhoneNumber, and one ``GET /phoneNumbers/{id}`` each costs a stack of 1000
numbers 1000 requests. ``GET /phoneNumbers?applicationId=`` answers 1000 numbers a page
(bandwidth-api.md 9, 11), so the reads of one application share its pages instead: fetched
lazily (a read pages only until its own number turns up), one page at a time per application
(four engine threads wanting the same page cause one request), and kept for ``ttl`` seconds.
The one instance lives in the runtime registry (:mod:`bw_pulumi._runtime`), so a new process
starts empty.

Only reads use it. A number the listing does not hold is not concluded about here: the caller
falls back to the per-number GET, which keeps the drift answers exact (moved, unbound, deleted,
or missed because the list shifted between two page requests).

Cost, with P = ceil(M/1000) pages for an application of M numbers and K reads of it: each read
earns the listing one page, so it fetches at most min(K, P) pages. A read whose page is not
fetched yet and whose credit is spent takes the GET; only the first P reads can, since later
ones find credit. Worst case min(K, P) list requests plus min(K, P) early GETs plus one GET per
number not listed, i.e. at most twice today's K GETs (one PhoneNumber on an application of
10,000 numbers: one page and one GET, not ten pages); typical case P list requests and no GET.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from ..clients.catapult import DEFAULT_PAGE_SIZE, CatapultClient, NumberInfo
from ..errors import BandwidthError

__all__ = ["NUMBER_LISTING_SECONDS", "NumberListings"]

#: How long fetched pages answer reads. A refresh is one process and reads its numbers within
#: about a minute (1000 PhoneNumbers, 4 threads); an expired listing is fetched again.
NUMBER_LISTING_SECONDS = 60.0

_log = logging.getLogger(__name__)


@dataclass
class _Listing:
    """One application's list as far as it has been fetched; guarded by the owner's lock."""

    started: float
    found: dict[str, NumberInfo] = field(default_factory=dict)
    next_path: str | None = None
    #: No more pages: the last one came, or the list endpoint refused (reads then take the GET).
    done: bool = False
    fetching: bool = False
    pages: int = 0
    #: Reads that asked this listing; each may pay for one page.
    asked: int = 0
    seen: set[str] = field(default_factory=set)


class NumberListings:
    """``GET /phoneNumbers?applicationId=`` pages by client and application, thread-safe."""

    def __init__(self, ttl: float = NUMBER_LISTING_SECONDS, page_size: int = DEFAULT_PAGE_SIZE):
        self._ttl = ttl
        self._page_size = page_size
        self._cond = threading.Condition()
        self._listings: dict[tuple[CatapultClient, str], _Listing] = {}

    def find(
        self, client: CatapultClient, application_id: str, number_id: str
    ) -> NumberInfo | None:
        """The number as its application's list shows it, or ``None``: not listed (yet), or the
        list is unavailable. ``None`` means "ask the number itself", never "gone"."""
        with self._cond:
            listing = self._current(client, application_id)
            listing.asked += 1
            while True:
                hit = listing.found.get(number_id)
                if hit is not None or listing.done or listing.pages >= listing.asked:
                    return hit
                if listing.fetching:
                    self._cond.wait()
                else:
                    self._fetch(client, application_id, listing)

    def forget(self, client: CatapultClient, number_id: str) -> None:
        """Drop a number this process changed (update, delete): its listed entry is older than
        the change, so a later read must ask the number itself."""
        with self._cond:
            for (owner, _app), listing in self._listings.items():
                if owner is client:
                    listing.found.pop(number_id, None)

    def _current(self, client: CatapultClient, application_id: str) -> _Listing:
        """The live listing of this application; a new one once the old has expired."""
        now = time.monotonic()
        key = (client, application_id)
        listing = self._listings.get(key)
        if listing is None or now - listing.started > self._ttl:
            for stale in [k for k, v in self._listings.items() if now - v.started > self._ttl]:
                del self._listings[stale]
            listing = self._listings[key] = _Listing(now)
        return listing

    def _fetch(self, client: CatapultClient, application_id: str, listing: _Listing) -> None:
        """Fetch the next page with the lock released; called and returns with it held."""
        listing.fetching = True
        after = listing.next_path
        self._cond.release()
        try:
            page = client.number_page(application_id, after=after, page_size=self._page_size)
        except (BandwidthError, ValueError) as exc:
            # 403 (a role the list needs), 404, 400 (a filter refused), an unreadable body or
            # a failure that outlasted the transport's retries: the GET of each number may
            # still work, and its own error is then the one the read reports, as before.
            _log.info("listing numbers of %s failed (%s): reading one by one", application_id, exc)
            page = None
        finally:
            self._cond.acquire()
            listing.fetching = False
            self._cond.notify_all()
        listing.pages += 1
        if page is None:
            listing.done = True
            return
        listing.found.update((n.number_id, n) for n in page.numbers)
        if after is not None:
            listing.seen.add(after)
        listing.next_path = page.next_path
        listing.done = page.next_path is None or page.next_path in listing.seen
