"""The Catapult dialect: JSON error bodies, 403 rate-limit codes, millisecond resets, budgets."""

from __future__ import annotations

import json

from bw_pulumi._pacing import Budget
from bw_pulumi.clients.catapult_dialect import (
    APPLICATIONS,
    CATAPULT,
    NUMBER_IMPORTS,
    catapult_error_details,
)
from bw_pulumi.errors import ErrorDetail
from tests._replay_server import fixture


def test_catapult_error_json_and_429_without_message() -> None:
    body = json.dumps(
        {"category": "not-found", "code": "number-not-found", "message": "Number not found"}
    ).encode()
    assert catapult_error_details(body) == [ErrorDetail("number-not-found", "Number not found")]
    rate = fixture("catapult_error_429.http.txt").split(b"\n\n", 1)[1]
    assert catapult_error_details(rate) == [ErrorDetail("rate-limit-reached", "too-many-requests")]
    assert catapult_error_details(b"") == []
    assert catapult_error_details(b"not json") == []


def test_a_429_or_a_403_with_a_rate_limit_code_is_a_rate_limit() -> None:
    assert CATAPULT.is_rate_limited(429, [])
    assert CATAPULT.is_rate_limited(403, [ErrorDetail("message-rate-limit", "slow")])
    assert CATAPULT.is_rate_limited(403, [ErrorDetail("call-rate-limit", "slow")])
    assert not CATAPULT.is_rate_limited(403, [ErrorDetail("forbidden", "no")])
    assert (CATAPULT.api, CATAPULT.reset_ticks_per_second) == ("catapult", 1000.0)


def test_budgets_are_the_documented_ones() -> None:
    # bandwidth-api.md section 9: /applications 1 per 1000 ms; number imports 100/min, burst 800.
    assert Budget("catapult-applications", 1.0, 1) == APPLICATIONS
    assert Budget("catapult-number-imports", 100 / 60, 800) == NUMBER_IMPORTS
