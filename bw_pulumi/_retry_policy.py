"""How long a request may keep trying, and how long it waits between attempts.

Two kinds of retry with two limits. A 5xx or a lost connection is a fault: it counts against
:data:`MAX_ATTEMPTS` and :data:`MAX_TOTAL_RETRY_WAIT`, with exponential backoff. A rate limit
(429, Catapult's 403 ``*-rate-limit``) is Bandwidth saying "later", not "no" (bandwidth-api.md
9): it is waited out, reset plus jitter, however many times it comes, for up to
:data:`RATE_LIMIT_MAX_WAIT` in all.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._pacing import Budget
from .errors import BandwidthError, ErrorDetail, RateLimited, Unauthorized, error_for_status

if TYPE_CHECKING:
    import requests

    from ._http import Bearer

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "MAX_ATTEMPTS",
    "MAX_TOTAL_RETRY_WAIT",
    "RATE_LIMIT_JITTER_MAX_SECONDS",
    "RATE_LIMIT_JITTER_SECONDS",
    "RATE_LIMIT_MAX_WAIT",
    "RETRY_STATUSES",
    "Tally",
    "backoff",
    "give_up_error",
    "limit_delay",
]

#: Statuses retried on idempotent requests (429 is retried on every request: "not processed").
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Attempts per request, the first included.
MAX_ATTEMPTS = 8
#: Exponential backoff: base * 2**retry, capped, with full jitter.
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
#: Total time one request may spend waiting between attempts before giving up.
MAX_TOTAL_RETRY_WAIT = 120.0
#: Total time one request may spend waiting out rate limits (429, Catapult's 403
#: ``*-rate-limit``), however many there are: the budget is per account, so many stacks on one
#: account may queue for it, and a step that waits succeeds where one that gives up fails.
RATE_LIMIT_MAX_WAIT = 900.0
#: Jitter added to a rate limit's reset: up to this on the first refusal, doubling with each
#: refusal of the same request, at most the cap; callers told one reset then resend apart.
RATE_LIMIT_JITTER_SECONDS = 1.0
RATE_LIMIT_JITTER_MAX_SECONDS = 8.0


@dataclass
class Tally:
    """One request's attempts and waits so far, and the budget it was paced to."""

    budget: Budget | None = None
    attempts: int = 0
    faults: int = 0  # 5xx answers and connection failures
    waited: float = 0.0  # between attempts after those
    limited: int = 0  # rate-limit answers
    limit_waited: float = 0.0  # waiting those out
    last_limited: bool = False  # the last answer was a rate limit (its resend is paced)


def backoff(attempt: int) -> float:
    """The wait before retry ``attempt`` (1-based): exponential, capped, jittered."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))
    # "Equal jitter": at least half the ceiling, so retries never bunch up at zero.
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def limit_delay(reset: float | None, limited: int) -> float:
    """The wait after the ``limited``-th rate limit of one request: the reset plus jitter that
    widens with each refusal (capped), so callers told the same reset spread out; without a
    reset, the backoff."""
    if reset is None:
        return backoff(limited)
    spread = min(RATE_LIMIT_JITTER_MAX_SECONDS, RATE_LIMIT_JITTER_SECONDS * 2.0 ** (limited - 1))
    return reset + random.uniform(0, spread)


def give_up_error(
    response: requests.Response,
    method: str,
    where: str,
    details: Sequence[ErrorDetail],
    rate_limited: bool,
    attempt: int,
    api: str,
    bearer: Bearer | None = None,
) -> BandwidthError:
    """The error a request ends with when it is not (or no longer) retried."""
    status = response.status_code
    cls = RateLimited if rate_limited else error_for_status(status)
    reason = response.reason or ""
    if rate_limited or status in RETRY_STATUSES:
        reason = f"{reason} (after {attempt} attempt(s))".strip()
    fields: dict[str, Any] = {"status": status, "method": method, "path": where, "api": api}
    if cls is Unauthorized and bearer is not None:
        reason = f"{reason} (an OAuth2 bearer token, renewed once)".strip()
        return Unauthorized(reason, bearer=True, details=details, **fields)
    return cls(reason, details=details, **fields)
