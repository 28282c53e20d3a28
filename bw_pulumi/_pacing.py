"""Pacing to Bandwidth's documented request budgets: token buckets shared per account.

Tokens are taken when a request leaves, before the transport sends it; the transport's own
429 handling stays the backstop when pacing is off or a budget is shared with other callers.
A budget paced for one API origin and account is shared by every process of the user on the
machine (:mod:`._pacing_shared`), since Bandwidth counts it per account, not per process.
"""

from __future__ import annotations

import email.utils
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from ._pacing_shared import SharedBucket, bucket_path, pacing_dir, prune

__all__ = [
    "JITTER_SECONDS",
    "PACING_HEADROOM",
    "RESET_MARGIN_SECONDS",
    "SMALL_BURST_HEADROOM",
    "Budget",
    "Pacer",
    "reset_delay",
]

#: Tokens are taken when a request leaves, but Bandwidth counts arrivals, so network jitter can
#: land a request just too early. A burst keeps this many seconds' worth of tokens unspent (at
#: 100/min: 1 token; x10 in the benchmark: 5), so arrivals may bunch by that much, and the rate
#: runs 1% under the documented one for rounding in Bandwidth's own accounting. A flat 10% rate
#: margin cost a budget-bound bulk create 10% of its time (bench/); the transport's 429 handling
#: stays the backstop.
PACING_HEADROOM = 0.99
JITTER_SECONDS = 0.25
#: A burst too small to keep tokens in hand (``/applications``: 1) keeps its margin in the rate:
#: 3%, for the spread between leaving and arriving. Its turns are claimed when due, not
#: reserved ahead (``_pacing_shared``), so a process that wakes late on a busy machine pushes
#: the next turn back rather than bunching with it; 10% cost ten stacks a second each way.
SMALL_BURST_HEADROOM = 0.97


@dataclass(frozen=True)
class Budget:
    """A request budget Bandwidth documents: a named token bucket's rate and burst."""

    name: str
    per_second: float
    burst: int

    def scaled(self, factor: float) -> Budget:
        """The same budget at ``factor`` times the rate (bursts stay, as Bandwidth's do)."""
        return Budget(self.name, self.per_second * factor, self.burst)


class _TokenBucket:
    """A classic token bucket; ``take`` blocks until a token is free."""

    def __init__(self, rate_per_second: float, burst: int) -> None:
        self.rate = rate_per_second
        self.burst = max(1, burst)
        self.tokens = float(self.burst)
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> float:
        """Reserve one token; returns the seconds waited."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1.0  # reserving under the lock keeps concurrent callers in line
            wait = 0.0 if self.tokens >= 0 else -self.tokens / self.rate
        if wait > 0:
            time.sleep(wait)
        return wait


class _Bucket(Protocol):
    def take(self) -> float: ...


class Pacer:
    """Token buckets by budget, shared by every transport handed the same pacer.

    Catapult's budgets are per user, not per connection, so the runtime registry gives all its
    transports one pacer. Buckets are keyed by the whole budget: a budget asked for at another
    rate (a changed ``BW_PULUMI_RATE_SCALE``) gets its own bucket rather than the first rate.
    A ``scope`` (the API origin and account, from the transport) puts the bucket in a file
    every process of this user shares (:mod:`._pacing_shared`); without one, or where such
    files cannot be used, the bucket is this process's own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[Budget, str | None], _Bucket] = {}
        self._pruned = False

    def take(self, budget: Budget, scope: str | None = None) -> float:
        """Wait for a token of ``budget``'s bucket; returns the seconds waited."""
        with self._lock:
            bucket = self._buckets.get((budget, scope))
            if bucket is None:
                bucket = self._bucket_for(budget, scope)
                self._buckets[(budget, scope)] = bucket
        return bucket.take()

    def _bucket_for(self, budget: Budget, scope: str | None) -> _Bucket:
        rate, burst = _shape(budget)
        directory = pacing_dir() if scope is not None else None
        if directory is None or scope is None:
            return _TokenBucket(rate, burst)
        if not self._pruned:
            self._pruned = True
            prune(directory, time.time())
        try:
            return SharedBucket(
                bucket_path(directory, budget.name, scope, rate, burst), rate, burst
            )
        except OSError:  # an unwritable cache directory: pace this process only
            return _TokenBucket(rate, burst)


def _shape(budget: Budget) -> tuple[float, int]:
    """The paced rate and burst: a little under the documented ones (see the constants)."""
    reserve = math.ceil(budget.per_second * JITTER_SECONDS)
    if budget.burst > reserve:
        return budget.per_second * PACING_HEADROOM, budget.burst - reserve
    return budget.per_second * SMALL_BURST_HEADROOM, budget.burst


#: Slack added after a rate-limit reset instant so we do not arrive a tick early.
RESET_MARGIN_SECONDS = 0.05
#: A reset above this is epoch milliseconds whatever the dialect says: a guard against a
#: mislabelled header (seconds will not reach it before the year 2286).
_EPOCH_MS_THRESHOLD = 10_000_000_000


def reset_delay(headers: Mapping[str, str], ticks_per_second: float, now: float) -> float | None:
    """Seconds from ``now`` until ``X-RateLimit-Reset`` (in the API's ``ticks_per_second``) or
    ``Retry-After``; ``None`` if neither is usable. ``now`` is the transport's clock."""
    raw = headers.get("X-RateLimit-Reset")
    if raw:
        try:
            value = float(raw.strip())
        except ValueError:
            value = None
        if value is not None:
            value /= 1000.0 if value > _EPOCH_MS_THRESHOLD else ticks_per_second
            return max(0.0, value - now) + RESET_MARGIN_SECONDS
    after = headers.get("Retry-After")
    if after:
        after = after.strip()
        if after.isdigit():
            return float(after)
        try:
            when = email.utils.parsedate_to_datetime(after)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - now) + RESET_MARGIN_SECONDS
    return None
