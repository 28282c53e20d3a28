"""Codes 5149/5150 (account not enabled for the importTnOrder API) carry a hint naming whom to
ask, whatever HTTP status or body shape brings them: bandwidth-api.md lists the codes but not
when Bandwidth answers them, so the answers here are scripted on a local replay server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bw_pulumi.clients import Address, DashboardClient, ImportOrderRequest
from bw_pulumi.errors import ErrorDetail, Forbidden, OrderError, ValidationError
from tests._replay_server import ReplayServer, Reply, serve

ACC = "9900778"
ASK_SUPPORT = "ask Bandwidth support (support@bandwidth.com) to enable importing phone numbers"
REQUEST = ImportOrderRequest(
    telephone_numbers=["9195550100"],
    site_id="14",
    subscriber_name="Acme",
    service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
    loa_authorizing_person="Jane Doe",
)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


@pytest.fixture
def client(server: ReplayServer) -> DashboardClient:
    return DashboardClient(server.url + "/api", ACC, "api-user", "api-password")


def _xml(body: str, status: int) -> Reply:
    return Reply(status, body.encode(), {"Content-Type": "application/xml"})


def test_5149_in_flat_errors_of_a_400_adds_the_support_hint(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(
        _xml(
            "<ImportTnOrderResponse><ProcessingStatus>FAILED</ProcessingStatus><Errors>"
            "<Code>5149</Code><Description>The importTnOrder API is not enabled</Description>"
            "</Errors></ImportTnOrderResponse>",
            400,
        )
    )
    with pytest.raises(ValidationError) as err:
        client.create_import_order(REQUEST)
    head, hint = str(err.value).splitlines()
    assert head.endswith("HTTP 400: Bad Request; [5149] The importTnOrder API is not enabled")
    assert hint.startswith("The importTnOrder API is not enabled for this account: ")
    assert ASK_SUPPORT in hint and hint.endswith("on the account in bandwidth:accountId.")


def test_5150_in_a_403_keeps_the_credentials_hint_after_the_support_hint(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(
        _xml(
            "<ImportTnOrderResponse><ResponseStatus><ErrorCode>5150</ErrorCode><Description>"
            "Not allowed to access importTnOrder API</Description></ResponseStatus>"
            "</ImportTnOrderResponse>",
            403,
        )
    )
    with pytest.raises(Forbidden) as err:
        client.create_import_order(REQUEST)
    head, hint, check = str(err.value).splitlines()
    assert "[5150] Not allowed to access importTnOrder API" in head
    assert hint.startswith("The account or the API user in bandwidth:username may not use")
    assert ASK_SUPPORT in hint
    assert check.startswith("The API user has no access to this account")


def test_order_error_hints_each_account_code_once_and_other_codes_not_at_all() -> None:
    err = OrderError(
        "import order o-1 ended FAILED.",
        details=[
            ErrorDetail("5149", "The importTnOrder API is not enabled", ("9195550100",)),
            ErrorDetail("5149", "The importTnOrder API is not enabled", ("9195550101",)),
            ErrorDetail("19005", "Messaging route of External Third Party TNs is not configured."),
        ],
    )
    lines = str(err).splitlines()
    assert len(lines) == 5 and sum(ASK_SUPPORT in line for line in lines) == 1
    assert lines[-1].startswith("The importTnOrder API is not enabled for this account")
    plain = OrderError("x", details=[ErrorDetail("19005", "No route.")])
    assert str(plain).splitlines() == ["x", "  - [19005] No route."]
