"""DashboardClient in the Universal Platform dialect (bandwidth-api-v2.md 1, bandwidth-api.md
1.1): E.164 on the wire, ten digits to its callers, imports and removals at ``/messaging``.

Against the emulator's ``/api/v2`` over real HTTP (the whole order lifecycle), and against the
replay server where the exact request on the wire is the point.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from bw_pulumi import _xml
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients import Address, DashboardClient, ImportOrderRequest
from bw_pulumi.clients.dashboard_dialect import UNIVERSAL
from bw_pulumi.config import Settings
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import ConfigError, NotFound, ValidationError
from tests._replay_server import ReplayServer, Reply, fixture

T = TypeVar("T")
TERMINAL = {"COMPLETE", "PARTIAL", "FAILED", "EXCEPTION"}
ACC = "9900778"
UP_BASE = f"/api/v2/accounts/{ACC}"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


@pytest.fixture
def up(emu: Emulator) -> DashboardClient:
    emu.control.reset()
    return DashboardClient(
        emu.base_url + "/api/v2", emu.account_id, emu.username, emu.password, dialect=UNIVERSAL
    )


def until(fetch: Callable[[], T], done: Callable[[T], bool], seconds: float = 10.0) -> T:
    deadline = time.monotonic() + seconds
    while True:
        value = fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def order_request(tns: list[str], customer_order_id: str) -> ImportOrderRequest:
    return ImportOrderRequest(
        telephone_numbers=tns,
        site_id="743",
        subscriber_name="ABC Inc.",
        service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606", "Wake"),
        loa_authorizing_person="The Authguy",
        customer_order_id=customer_order_id,
    )


# -- against the emulator's /api/v2 -----------------------------------------------------------


def test_an_import_and_its_removal_run_at_the_universal_base_in_ten_digits(
    emu: Emulator, up: DashboardClient
) -> None:
    tns = ["9195550121", "9195550122"]
    assert up.check_importability(tns, site_id="743").importable == tuple(tns)

    order = up.create_import_order(order_request(tns, "bwp-up-1"))
    assert order.telephone_numbers == tuple(tns)
    done = until(lambda: up.get_import_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "COMPLETE" and done.succeeded_numbers == tuple(tns)
    assert [r.order_id for r in up.list_import_orders(customer_order_id="bwp-up-1")] == [
        order.order_id
    ]
    assert [r.order_id for r in up.list_import_orders(tn=tns[0])] == [order.order_id]
    assert up.import_order_history(order.order_id)

    assert all(up.is_in_service(tn) for tn in tns)
    assert not up.is_in_service("9195550199")
    assert set(up.iter_in_service(page_size=1)) == set(tns)  # follows next links under /api/v2
    listing = up.in_service_listing()
    assert listing.numbers == frozenset(tns) and listing.consistent
    assert up.in_service_total() == 2

    removal = up.create_remove_order(tns[:1], "bwp-up-rm")
    assert removal.telephone_numbers == (tns[0],)
    until(lambda: up.is_in_service(tns[0]), lambda live: not live)
    assert not up.is_in_service(tns[0]) and up.is_in_service(tns[1])
    assert [r.order_id for r in up.list_remove_orders(tn=tns[0])] == [removal.order_id]
    assert up.get_remove_order(removal.order_id).telephone_numbers == (tns[0],)
    # One account whichever base asked: the classic API sees the same orders.
    assert [o["id"] for o in emu.control.state()["import_orders"]] == [order.order_id]


def test_the_runtime_speaks_universal_with_bearer_tokens_when_the_config_says_so(
    emu: Emulator,
) -> None:
    """The provider's route: settings at the UP base with OAuth2 and no password."""
    emu.control.reset()
    settings = Settings.load(
        {
            "bandwidth:accountId": emu.account_id,
            "bandwidth:dashboardUrl": emu.base_url + "/api/v2",
            "bandwidth:clientId": emu.client_id,
            "bandwidth:clientSecret": emu.client_secret,
            "bandwidth:oauthUrl": emu.token_url,
        },
        env={},
    )
    client = RUNTIME.dashboard(settings)
    assert client.dialect is UNIVERSAL and client.transport.dialect is UNIVERSAL
    order = client.create_import_order(order_request(["9195550151"], "bwp-up-runtime"))
    assert order.telephone_numbers == ("9195550151",)
    classic = RUNTIME.dashboard(Settings.load({**emu.stack_config(oauth=True)}, env={}))
    assert classic.dialect.platform == "classic" and classic is not client


def test_the_checker_reports_unimportable_numbers_in_ten_digits(
    emu: Emulator, up: DashboardClient
) -> None:
    emu.control.numbers(unimportable={"9195550102": 19006})
    result = up.check_importability(["9195550101", "9195550102"], site_id="743")
    assert result.importable == ("9195550101",)
    assert [(e.code, e.telephone_numbers) for e in result.errors] == [("19006", ("9195550102",))]


def test_the_classic_dialect_is_refused_at_the_universal_base(emu: Emulator) -> None:
    classic = DashboardClient(emu.base_url + "/api/v2", emu.account_id, emu.username, emu.password)
    emu.control.reset()
    with pytest.raises(NotFound):
        classic.create_import_order(order_request(["9195550131"], "bwp-classic-at-v2"))
    assert emu.control.state()["import_orders"] == []


# -- the exact wire, against the replay server ------------------------------------------------


@pytest.fixture
def wire(server: ReplayServer) -> DashboardClient:
    return DashboardClient(server.url + "/api/v2", ACC, "u", "p", dialect=UNIVERSAL)


def _e164(body: bytes) -> bytes:
    """A recorded classic answer as UP writes it: every TelephoneNumber in E.164."""
    root = _xml.parse(body)
    for node in root.iter("TelephoneNumber"):
        node.text = "+1" + (node.text or "").strip()
    return _xml.to_bytes(root)


def _xml_reply(body: bytes, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, {"Content-Type": "application/xml", **headers})


def test_an_import_order_is_posted_in_e164_to_the_messaging_collection(
    server: ReplayServer, wire: DashboardClient
) -> None:
    created = _e164(fixture("dashboard_importTnOrder_create_response_201.xml"))
    server.script(_xml_reply(created, 201))
    order = wire.create_import_order(order_request(["9193751120", "9193751121"], "c-1"))
    sent = server.last
    assert (sent.method, sent.path) == ("POST", f"{UP_BASE}/importTnOrders/messaging")
    assert _xml.texts(_xml.parse(sent.body), "TelephoneNumber") == ["+19193751120", "+19193751121"]
    assert all(len(tn) == 10 and tn.isdigit() for tn in order.telephone_numbers)


def test_an_order_read_in_e164_splits_failed_numbers_in_ten_digits(
    server: ReplayServer, wire: DashboardClient
) -> None:
    server.script(_xml_reply(_e164(fixture("dashboard_importTnOrder_get_partial_spec.xml"))))
    order = wire.get_import_order("bf1305b8-8998-1111-2222-51ba3ce52d4e")
    assert (
        server.last.path
        == f"{UP_BASE}/importTnOrders/messaging/bf1305b8-8998-1111-2222-51ba3ce52d4e"
    )
    assert order.failed_numbers == ("2262665583",)
    assert len(order.succeeded_numbers) == 5


def test_removals_lists_and_in_service_lookups_name_numbers_in_e164(
    server: ReplayServer, wire: DashboardClient
) -> None:
    removal = _e164(fixture("dashboard_removeImportedTnOrder_create_response_201_spec.xml"))
    server.script(_xml_reply(removal, 201))
    wire.create_remove_order(["9195550100"], "rm-1")
    assert server.last.path == f"{UP_BASE}/removeImportedTnOrders/messaging"
    assert _xml.texts(_xml.parse(server.last.body), "TelephoneNumber") == ["+19195550100"]

    server.script(Reply(204))
    assert wire.list_remove_orders(tn="9195550100") == []
    assert server.last.path == f"{UP_BASE}/removeImportedTnOrders/messaging"
    assert server.last.query == {"tn": ["+19195550100"]}

    server.script(Reply(200))
    assert wire.is_in_service("9195550100") is True
    assert server.last.path == f"{UP_BASE}/inserviceNumbers/%2B19195550100"

    server.script(_xml_reply(_e164(fixture("dashboard_inserviceNumbers_list_spec.xml"))))
    assert "8043024183" in set(wire.iter_in_service())


def test_an_error_naming_numbers_in_e164_names_them_in_ten_digits(
    server: ReplayServer, wire: DashboardClient
) -> None:
    body = _e164(
        b"<ImportTnOrderResponse><Errors><Code>19005</Code><Description>no route</Description>"
        b"<TelephoneNumbers><TelephoneNumber>9195550100</TelephoneNumber></TelephoneNumbers>"
        b"</Errors></ImportTnOrderResponse>"
    )
    server.script(_xml_reply(body, 400))
    with pytest.raises(ValidationError) as info:
        wire.create_import_order(order_request(["9195550100"], "c-err"))
    assert info.value.details[0].telephone_numbers == ("9195550100",)


def test_external_tns_is_refused_before_any_request(
    server: ReplayServer, wire: DashboardClient
) -> None:
    server.script(Reply(201, headers={"Location": "/x/order-1"}))
    with pytest.raises(ConfigError, match="bandwidth:dashboardDialect"):
        wire.create_external_tns_order(["9195550141"], "743", "import")
    with pytest.raises(ConfigError, match="no longer serves externalTns"):
        wire.get_external_tns_order("order-1")
    assert server.requests == []
