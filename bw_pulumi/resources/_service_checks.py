"""In-service checks for every resource, with count lines for big batches.

All of them go through :meth:`InServiceCache.lookup_many` (remembered answers, else one listing
of the account or one GET per number, whichever is cheaper). Per-number work over many numbers
takes a while (one paced round trip each), so counts are reported on stderr
(pulumi-dynamic-providers.md 1.12) the way order progress is; a listing ends in one such line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .._progress import say as log
from .._runtime import RUNTIME
from .._wait import CountProgress
from ..clients.dashboard import DashboardClient

__all__ = ["PROPAGATION_SECONDS", "check_in_service", "confirm_in_service"]

#: Grace for in-service (or out-of-service) state to catch up with a finished order.
PROPAGATION_SECONDS = 30.0


class _Tally:
    """Counts answers equal to ``expect`` as ``lookup_many`` delivers them (caller's thread)."""

    def __init__(self, counter: CountProgress, expect: bool | None = None) -> None:
        self.counter = counter
        self.expect = expect
        self.count = 0

    def __call__(self, _tn: str, answer: bool) -> None:
        if self.expect is None or answer == self.expect:
            self.count += 1
        self.counter.update(self.count)


def check_in_service(
    client: DashboardClient,
    tns: Iterable[str],
    what: str,
    *,
    fresh: bool = False,
    max_age: float | None = None,
) -> dict[str, bool]:
    """In-service answers (``lookup_many``) with count lines for big batches (``what`` names
    the work); ``max_age`` bounds how old a remembered answer may be, ``fresh`` takes none."""
    numbers = list(dict.fromkeys(tns))
    template = f"{what}: checked {{done}}/{{total}} numbers against the in-service list"
    counter = CountProgress(log, template, len(numbers))
    tally = _Tally(counter)
    answers = RUNTIME.in_service.lookup_many(
        client, numbers, fresh=fresh, max_age=max_age, progress=tally
    )
    counter.finish(tally.count)
    return answers


def confirm_in_service(
    client: DashboardClient,
    tns: Iterable[str],
    *,
    expect: bool = True,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[list[str], list[str]]:
    """Wait briefly for ``tns`` to be in service (``expect``) or out of it, after an order.

    Each round asks afresh about the numbers still pending only, the same way every answer is
    got (a listing when cheaper, else one GET each), until none is pending or the propagation
    grace is over. Counts are reported ("confirmed 600/1000 numbers in service").
    """
    deadline = clock() + PROPAGATION_SECONDS
    pending = sorted(set(tns))
    where = "in service" if expect else "out of service"
    counter = CountProgress(
        log, f"confirmed {{done}}/{{total}} numbers {where}", len(pending), clock=clock
    )
    tally = _Tally(counter, expect)
    confirmed: list[str] = []
    delay = 0.2
    while True:
        answers = RUNTIME.in_service.lookup_many(client, pending, fresh=True, progress=tally)
        confirmed += [tn for tn in pending if answers[tn] == expect]
        pending = [tn for tn in pending if answers[tn] != expect]
        if not pending or clock() >= deadline:
            counter.finish(len(confirmed))
            return sorted(confirmed), pending
        sleep(delay)
        delay = min(delay * 2, 5.0)
