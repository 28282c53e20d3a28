"""A StateChangeConf-style poller for Bandwidth orders.

Bandwidth does not guarantee order processing times, and Pulumi's ``customTimeouts`` never reach
Python dynamic providers, so every wait is bounded by the resource's ``wait_timeout`` input.
Intervals grow geometrically up to a cap, so the number of polls grows with the logarithm of the
processing time rather than linearly with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import NotFound, OrderError, OrderTimeout

__all__ = ["DEFAULT_POLICY", "PollPolicy", "WaitResult", "wait_for_status"]

T = TypeVar("T")


@dataclass(frozen=True)
class PollPolicy:
    """How to poll: first interval, growth factor, cap, and not-founds tolerated after create."""

    first_interval: float = 0.25
    factor: float = 1.7
    max_interval: float = 30.0
    not_found_checks: int = 5


DEFAULT_POLICY = PollPolicy()


@dataclass(frozen=True)
class WaitResult(Generic[T]):
    """The object in its terminal status and how many polls it took."""

    value: T
    status: str
    polls: int


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
    sleep: Callable[[float], None] = time.sleep,
) -> WaitResult[T]:
    """Poll ``fetch`` until its status is in ``target``.

    A status in neither set is an immediate error (Bandwidth added a state we do not know; guessing
    could orphan numbers). ``NotFound`` is tolerated ``policy.not_found_checks`` times in a row,
    for reads that race the create. Raises :class:`OrderTimeout` carrying the last status.
    """
    deadline = clock() + timeout
    interval = policy.first_interval
    polls = 0
    not_found = 0
    last_status = "unknown (never read)"
    while True:
        polls += 1
        try:
            value = fetch()
        except NotFound:
            not_found += 1
            if not_found > policy.not_found_checks:
                raise
        else:
            not_found = 0
            last_status = status_of(value).upper()
            if last_status in target:
                return WaitResult(value, last_status, polls)
            if last_status not in pending:
                raise OrderError(
                    f"{what} reached unexpected status {last_status!r}; "
                    f"expected one of {sorted(set(pending) | set(target))}",
                    status=last_status,
                )
        remaining = deadline - clock()
        if remaining <= 0:
            raise OrderTimeout(
                f"{what} is still {last_status} after {timeout:g} s (wait_timeout). "
                f"Nothing was lost: {resume_hint or 'the next run resumes it'}",
                status=last_status,
            )
        sleep(min(interval, remaining))
        interval = min(interval * policy.factor, policy.max_interval)
