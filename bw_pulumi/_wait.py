"""A StateChangeConf-style poller for Bandwidth orders, and progress pacing for long work.

Bandwidth does not guarantee order processing times, and Pulumi's ``customTimeouts`` never reach
Python dynamic providers, so every wait is bounded by the resource's ``wait_timeout`` input.
Intervals grow geometrically up to a cap, so the number of polls grows with the logarithm of the
processing time rather than linearly with it.

A wait can last ten minutes, and the engine shows a dynamic provider's stderr live beside the
running step (pulumi-dynamic-providers.md 1.12): without progress lines such an ``up`` looks hung.
Both the poller and bulk per-number work pace their lines with :data:`PROGRESS_INTERVAL`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import NotFound, OrderError, OrderTimeout

__all__ = [
    "BULK_PROGRESS_MIN",
    "DEFAULT_POLICY",
    "PROGRESS_INTERVAL",
    "CountProgress",
    "PollPolicy",
    "ProgressTicker",
    "WaitCancelled",
    "WaitProgress",
    "WaitResult",
    "cancel_waits",
    "format_duration",
    "format_seconds",
    "wait_for_status",
]

T = TypeVar("T")

#: Seconds between progress lines while a long operation runs (an order being polled, per-number
#: lookups over many numbers). The same as the poll cap, so a slow order prints about one line
#: per poll once the intervals have grown: enough to show life, few enough to read.
PROGRESS_INTERVAL = 30.0
#: Bulk work over at most this many numbers prints no count lines: it is over in a second or two.
BULK_PROGRESS_MIN = 10
# Polls come at their own times (the last interval before the cap is under 30 s): one coming this
# fraction of the interval early reports, instead of leaving a gap of nearly two intervals.
_POLL_EARLY = 0.1


@dataclass(frozen=True)
class PollPolicy:
    """How to poll: shortest interval, growth factor, cap, and not-founds tolerated after create.

    Each interval is ``factor - 1`` of the time waited so far (never under ``first_interval`` nor
    over ``max_interval``), so a finished order is seen at most 15% of its time late at 1.15, or
    ``first_interval`` late while it is young. Growing the interval itself by the factor let it
    run ahead of the time (0.5 s polls at 2 s: a 2 s order seen up to 25% late). That costs a
    few more polls (about 36 over a 100 s order), which Bandwidth does not rate-limit on order
    reads (bandwidth-api.md 1.6); polls still grow with the log of the time.
    """

    first_interval: float = 0.25
    factor: float = 1.15
    max_interval: float = 30.0
    not_found_checks: int = 5


DEFAULT_POLICY = PollPolicy()

#: Set once the engine cancels the operation (Ctrl-C): the native plugin's Cancel call. Waits
#: sleep on it, so a pending order stops being polled at once and the step fails as resumable.
#: Process-wide: the engine runs one plugin process per operation and ends it after Cancel.
_CANCELLED = threading.Event()


class WaitCancelled(OrderTimeout):
    """The operation was cancelled while an order was pending; the next run resumes it."""


def cancel_waits() -> None:
    """Stop every wait in this process now (each raises :class:`WaitCancelled`)."""
    _CANCELLED.set()


def _cancellable_sleep(seconds: float) -> None:
    if _CANCELLED.wait(seconds):
        raise WaitCancelled("cancelled")


@dataclass(frozen=True)
class WaitResult(Generic[T]):
    """The object in its terminal status and how many polls it took."""

    value: T
    status: str
    polls: int


@dataclass(frozen=True)
class WaitProgress(Generic[T]):
    """What a progress callback is told: the latest object read (``None`` before the first
    successful read), its status, seconds since the wait began, polls so far, and ``done`` for
    the one report made when the target status is reached."""

    value: T | None
    status: str
    elapsed: float
    polls: int
    done: bool = False


class ProgressTicker:
    """Says when the next progress line is due: at most once per ``every`` seconds of ``clock``.

    The clock is injected so tests drive time by hand instead of sleeping.
    """

    def __init__(
        self, every: float = PROGRESS_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every = every
        self.clock = clock
        self.start = clock()
        self._last = self.start

    def elapsed(self) -> float:
        return self.clock() - self.start

    def due(self, early: float = 0.0) -> bool:
        """True (and restart the interval) if ``every`` seconds, less ``early``, have passed
        since the last line."""
        now = self.clock()
        if now - self._last < self.every - early:
            return False
        self._last = now
        return True

    def last_line_at(self) -> float:
        """Seconds from the start to the last line due (0 before the first)."""
        return self._last - self.start

    def until_due(self) -> float:
        """Seconds until the next line is due (0 if it is)."""
        return max(0.0, self._last + self.every - self.clock())


class CountProgress:
    """Count lines for bulk per-number work ("confirmed 600/1000 numbers in service").

    A line at most every :data:`PROGRESS_INTERVAL` while counting and one at the end, and none at
    all for :data:`BULK_PROGRESS_MIN` numbers or fewer (small batches would only add noise).
    ``template`` is formatted with ``done`` and ``total``; ``note``, asked at each line, ends it
    (" (117 sent again after transient errors)"): events of the batch told once, not per number.
    From the second line on, each says about how long is left at the pace since the line before
    (a budget-bound bind of 2000 numbers runs for minutes; the first interval holds the burst,
    so its pace would promise far too little).
    """

    def __init__(
        self,
        emit: Callable[[str], None],
        template: str,
        total: int,
        *,
        every: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        note: Callable[[], str] = str,
    ) -> None:
        self._emit = emit
        self._template = template
        self.total = total
        self._ticker = ProgressTicker(every, clock)
        self._note = note
        self._previous: tuple[float, int] | None = None  # (elapsed, done) at the last line

    @property
    def enabled(self) -> bool:
        return self.total > BULK_PROGRESS_MIN

    def update(self, done: int) -> None:
        """Report ``done`` if a line is due."""
        if self.enabled and self._ticker.due():
            line = self._template.format(done=done, total=self.total) + self._left(done)
            self._emit(line + self._note())

    def _left(self, done: int) -> str:
        now, previous = self._ticker.last_line_at(), self._previous
        self._previous = (now, done)
        if previous is None or done <= previous[1] or done >= self.total:
            return ""
        pace = (done - previous[1]) / (now - previous[0])
        return f", about {format_duration((self.total - done) / pace)} left"

    def finish(self, done: int) -> None:
        """The closing line, with the time the whole batch took."""
        if self.enabled:
            line = self._template.format(done=done, total=self.total)
            self._emit(f"{line} after {format_seconds(self._ticker.elapsed())}{self._note()}")


def format_seconds(seconds: float) -> str:
    """Whole seconds, or tenths under ten (a fast emulator order is not "after 0 s")."""
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def format_duration(seconds: float) -> str:
    """An estimate: :func:`format_seconds` under two minutes, whole minutes from there."""
    return format_seconds(seconds) if seconds < 120 else f"{seconds / 60:.0f} min"


def wait_for_status(
    fetch: Callable[[], T],
    status_of: Callable[[T], str],
    *,
    pending: Collection[str],
    target: Collection[str],
    timeout: float,
    what: str,
    resume_hint: str = "",
    policy: PollPolicy = DEFAULT_POLICY,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = _cancellable_sleep,
    progress: Callable[[WaitProgress[T]], None] | None = None,
    progress_every: float = PROGRESS_INTERVAL,
) -> WaitResult[T]:
    """Poll ``fetch`` until its status is in ``target``.

    A status in neither set is an immediate error (Bandwidth added a state we do not know; guessing
    could orphan numbers). ``NotFound`` is tolerated ``policy.not_found_checks`` times in a row,
    for reads that race the create. Raises :class:`OrderTimeout` carrying the last status.
    ``progress`` is told the state about every ``progress_every`` seconds while pending, and once
    more (``done``) when the target is reached. :func:`cancel_waits` ends the wait with
    :class:`WaitCancelled`, as resumable as a time-out.
    """
    ticker = ProgressTicker(progress_every, clock)
    deadline = ticker.start + timeout
    polls = not_found = 0
    latest: T | None = None
    last_status = "unknown (never read)"
    while True:
        polls += 1
        try:
            latest = fetch()
        except NotFound:
            not_found += 1
            if not_found > policy.not_found_checks:
                raise
        else:
            not_found = 0
            last_status = _checked_status(status_of(latest), pending, target, what)
            if last_status in target:
                return _reached(latest, last_status, polls, ticker, progress)
        remaining = deadline - clock()
        if remaining <= 0:
            raise _timed_out(what, last_status, timeout, resume_hint)
        share = (policy.factor - 1) * ticker.elapsed()
        nap = min(max(policy.first_interval, share), policy.max_interval, remaining)
        if progress is not None:
            if ticker.due(early=progress_every * _POLL_EARLY):
                progress(WaitProgress(latest, last_status, ticker.elapsed(), polls))
            # Wake for the next line too: it reports a fresh status, about every interval.
            nap = min(nap, max(ticker.until_due(), policy.first_interval))
        try:
            sleep(nap)
        except WaitCancelled:
            raise _cancelled(what, last_status, resume_hint) from None


def _reached(
    latest: T,
    status: str,
    polls: int,
    ticker: ProgressTicker,
    progress: Callable[[WaitProgress[T]], None] | None,
) -> WaitResult[T]:
    """The result of a wait that reached its target, ``progress`` told once more (``done``)."""
    if progress is not None:
        progress(WaitProgress(latest, status, ticker.elapsed(), polls, True))
    return WaitResult(latest, status, polls)


def _timed_out(what: str, status: str, timeout: float, resume_hint: str) -> OrderTimeout:
    """The error of a wait still pending at its deadline: nothing is lost, a re-run resumes."""
    return OrderTimeout(
        f"{what} is still {status} after {timeout:g} s (wait_timeout). "
        f"Nothing was lost: {resume_hint or 'the next run resumes it'}; "
        "raise wait_timeout for slow orders",
        status=status,
    )


def _cancelled(what: str, status: str, resume_hint: str) -> WaitCancelled:
    """The error of a wait stopped by a cancel: nothing is lost, a re-run resumes."""
    return WaitCancelled(
        f"cancelled while {what} was still {status}. "
        f"Nothing was lost: {resume_hint or 'the next run resumes it'}",
        status=status,
    )


def _checked_status(
    status: str, pending: Collection[str], target: Collection[str], what: str
) -> str:
    """The upper-cased status, or :class:`OrderError` for one in neither set."""
    status = status.upper()
    if status not in target and status not in pending:
        raise OrderError(
            f"{what} reached unexpected status {status!r}; "
            f"expected one of {sorted(set(pending) | set(target))}",
            status=status,
        )
    return status
