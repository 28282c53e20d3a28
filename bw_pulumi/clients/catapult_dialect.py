"""How Catapult v1 speaks on the wire where the transport must listen: errors, limits, budgets.

Catapult differs from the Dashboard in three ways the transport must know about, all from
bandwidth-api.md section 9: JSON error bodies, ``X-RateLimit-Reset`` in epoch *milliseconds*,
and some rate limits answered as 403 with a ``*-rate-limit`` code instead of 429. The request
budgets it documents are paced here too, so every Catapult quirk of this kind sits in one place.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from .._pacing import Budget
from ..errors import ErrorDetail

__all__ = [
    "APPLICATIONS",
    "CATAPULT",
    "CATAPULT_RATE_LIMIT_CODES",
    "NUMBER_IMPORTS",
    "CatapultDialect",
    "catapult_error_details",
]

#: Catapult answers some rate limits with 403 and these codes. Source: Bandwidth's old AP rate-limit
#: page as quoted in pulumi-dynamic-providers.md; bandwidth-api.md section 9 names only the 429.
CATAPULT_RATE_LIMIT_CODES = frozenset({"message-rate-limit", "call-rate-limit"})
#: "/applications: Limit 1, Time Period 1000 ms" (AP rateLimits, section 9).
APPLICATIONS = Budget("catapult-applications", 1.0, 1)
#: POST /phoneNumbers is an "Order Number Request": 100 per minute, burst 800 (section 9).
NUMBER_IMPORTS = Budget("catapult-number-imports", 100 / 60, 800)


def catapult_error_details(body: bytes | None) -> list[ErrorDetail]:
    """``{category, code, message, details}`` as one detail; the 429 body has no ``message``."""
    if not body or not body.strip():
        return []
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    if not isinstance(payload, dict):
        return []
    code = payload.get("code")
    message = payload.get("message") or payload.get("category") or "no message"
    if code is None and "message" not in payload:
        return []
    return [ErrorDetail(str(code) if code is not None else None, str(message))]


@dataclass(frozen=True)
class CatapultDialect:
    """Catapult's side of :class:`bw_pulumi._http.Dialect`."""

    #: Errors name the ``bandwidth:*`` Catapult keys in their hints (see errors.py).
    api: str = "catapult"
    #: ``X-RateLimit-Reset`` is epoch *milliseconds* here (section 9).
    reset_ticks_per_second: float = 1000.0

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        return catapult_error_details(body)

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        if status == 429:
            return True
        return status == 403 and any(d.code in CATAPULT_RATE_LIMIT_CODES for d in details)


CATAPULT = CatapultDialect()
