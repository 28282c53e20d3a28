"""The Dashboard dialect: every error-body shape Bandwidth uses yields its codes, and 429 alone
means "rate limited"."""

from __future__ import annotations

import pytest

from bw_pulumi.clients.dashboard_dialect import DASHBOARD, dashboard_error_details
from bw_pulumi.errors import ErrorDetail
from tests._replay_server import fixture


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dashboard_error_403_access_denied_spec.xml", [("1001", "Access Denied")]),
        ("dashboard_externalTns_get_404_spec.xml", [(None, "The resource does not exist")]),
        (
            "dashboard_importTnChecker_error_400.xml",
            [
                ("7201", "61746052083 is not a valid NANPA telephone number."),
                ("7201", "61746052082 is not a valid NANPA telephone number."),
            ],
        ),
        (
            "dashboard_importTnOrder_create_error_400.xml",
            [
                ("7309", "The site id was not supplied or is invalid."),
                ("7312", "The sippeer id is invalid."),
            ],
        ),
        (
            "dashboard_removeImportedTnOrder_error_400_uuid_spec.xml",
            [("1008", "'some_invalid_uuid' is not a valid UUID")],
        ),
    ],
)
def test_dashboard_error_shapes_from_fixtures_yield_every_code(
    name: str, expected: list[tuple[str | None, str]]
) -> None:
    details = dashboard_error_details(fixture(name))
    assert [(d.code, d.description) for d in details] == expected


def test_dashboard_error_list_and_bare_error_shapes_yield_codes() -> None:
    error_list = (
        b"<OrderResponse><ErrorList><Error><Code>5005</Code><Description>a</Description></Error>"
        b"<Error><Code>5006</Code><Description>b</Description></Error></ErrorList></OrderResponse>"
    )
    search = (
        b"<SearchResult><Error><Code>4000</Code><Description>bad</Description></Error>"
        b"</SearchResult>"
    )
    assert [d.code for d in dashboard_error_details(error_list)] == ["5005", "5006"]
    assert dashboard_error_details(search) == [ErrorDetail("4000", "bad")]


def test_dashboard_empty_or_unparseable_bodies_yield_no_details() -> None:
    assert dashboard_error_details(b"") == []
    assert dashboard_error_details(b"   ") == []
    assert dashboard_error_details(b"<html><body>oops") == []
    assert dashboard_error_details(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>') == []


def test_only_a_429_is_a_rate_limit_and_resets_are_epoch_seconds() -> None:
    coded = [ErrorDetail("message-rate-limit", "x")]
    assert DASHBOARD.is_rate_limited(429, [])
    assert not DASHBOARD.is_rate_limited(403, coded)
    assert (DASHBOARD.api, DASHBOARD.reset_ticks_per_second) == ("dashboard", 1.0)
