"""Every DashboardClient method against the in-process emulator over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from bw_pulumi.clients import Address, DashboardClient, ImportOrderRequest, SubscriptionSpec
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import NotFound, Unauthorized, ValidationError

T = TypeVar("T")
TERMINAL = {"COMPLETE", "PARTIAL", "FAILED", "EXCEPTION"}
DEADLINE_SECONDS = 10.0


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> DashboardClient:
    emu.control.reset()
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def until(fetch: Callable[[], T], done: Callable[[T], bool]) -> T:
    """Poll ``fetch`` until ``done`` holds, within a bounded deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        value = fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def order_request(tns: list[str], customer_order_id: str = "bwp-test-1") -> ImportOrderRequest:
    return ImportOrderRequest(
        telephone_numbers=tns,
        site_id="743",
        subscriber_name="ABC Inc.",
        service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606", "Wake"),
        loa_authorizing_person="The Authguy",
        customer_order_id=customer_order_id,
    )


def imported(client: DashboardClient, tns: list[str], cid: str = "bwp-test-1") -> str:
    order = client.create_import_order(order_request(tns, cid))
    done = until(lambda: client.get_import_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "COMPLETE", done
    return order.order_id


# -- subscriptions ------------------------------------------------------------------------------


def test_subscription_lifecycle(client: DashboardClient) -> None:
    spec = SubscriptionSpec(
        "importtnorders", "http://127.0.0.1:9/cb", 3153600000, "hook-user", "hook-pw"
    )
    sub_id = client.create_subscription(spec)
    info = client.get_subscription(sub_id)
    assert (info.subscription_id, info.order_type, info.callback_url) == (
        sub_id,
        "importtnorders",
        "http://127.0.0.1:9/cb",
    )
    assert info.callback_user == "hook-user"
    assert info.expiry_remaining is not None and info.expiry_remaining <= 3153600000
    assert [s.subscription_id for s in client.list_subscriptions()] == [sub_id]
    assert [s.subscription_id for s in client.list_subscriptions(order_type="importtnorders")] == [
        sub_id
    ]
    assert client.list_subscriptions(order_type="removeImportedTnOrders") == []

    client.update_subscription(
        sub_id, SubscriptionSpec("importtnorders", "http://127.0.0.1:9/new", 86400, "other", "pw2")
    )
    updated = client.get_subscription(sub_id)
    assert (updated.callback_url, updated.callback_user) == ("http://127.0.0.1:9/new", "other")

    client.delete_subscription(sub_id)
    with pytest.raises(NotFound):
        client.get_subscription(sub_id)
    with pytest.raises(NotFound):
        client.delete_subscription(sub_id)


def test_wrong_password_is_unauthorized(emu: Emulator) -> None:
    bad = DashboardClient(emu.dashboard_url, emu.account_id, emu.username, "wrong-password")
    with pytest.raises(Unauthorized) as info:
        bad.list_subscriptions()
    assert "wrong-password" not in str(info.value)


def test_every_base_prefix_is_served(emu: Emulator, client: DashboardClient) -> None:
    for prefix in ("/api", "/api/v1", "/v1.0"):
        other = DashboardClient(emu.base_url + prefix, emu.account_id, emu.username, emu.password)
        assert other.list_subscriptions() == []
        assert other.is_in_service("9195550100") is False


# -- checker and import orders --------------------------------------------------------------------


def test_checker_reports_scripted_unimportable_numbers(
    emu: Emulator, client: DashboardClient
) -> None:
    emu.control.numbers(unimportable={"9195550102": 19006})
    result = client.check_importability(["9195550101", "9195550102"], site_id="743")
    assert result.importable == ("9195550101",)
    assert [(e.code, e.telephone_numbers) for e in result.errors] == [("19006", ("9195550102",))]


def test_checker_rejects_invalid_numbers_with_validation_error(client: DashboardClient) -> None:
    with pytest.raises(ValidationError) as info:
        client.check_importability(["61746052083"])
    assert info.value.codes


def test_import_order_completes_and_puts_numbers_in_service(client: DashboardClient) -> None:
    tns = ["9195550111", "9195550112"]
    order = client.create_import_order(order_request(tns, "bwp-complete"))
    assert order.status in {"RECEIVED", "PROCESSING", "COMPLETE"}
    assert order.telephone_numbers == tuple(tns)
    done = until(lambda: client.get_import_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "COMPLETE" and done.succeeded_numbers == tuple(tns)
    assert all(client.is_in_service(tn) for tn in tns)
    assert not client.is_in_service("9195550199")
    assert set(tns) <= set(client.iter_in_service())
    assert set(tns) <= set(client.iter_in_service(page_size=1))  # follows rebased next links
    assert client.in_service_total() >= 2

    rows = client.list_import_orders(customer_order_id="bwp-complete")
    assert [r.order_id for r in rows] == [order.order_id]
    assert rows[0].status == "COMPLETE" and rows[0].count_of_tns == 2
    assert client.list_import_orders(customer_order_id="nobody") == []
    history = client.import_order_history(order.order_id)
    assert history and history[-1].status == "COMPLETE"


def test_failing_numbers_make_a_partial_order(emu: Emulator, client: DashboardClient) -> None:
    emu.control.numbers(failing={"9195550122": 19005})
    order = client.create_import_order(order_request(["9195550121", "9195550122"], "bwp-part"))
    done = until(lambda: client.get_import_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "PARTIAL"
    assert done.failed_numbers == ("9195550122",)
    assert done.succeeded_numbers == ("9195550121",)
    assert [e.code for e in done.errors] == ["19005"]


def test_unknown_import_order_is_not_found(client: DashboardClient) -> None:
    with pytest.raises(NotFound):
        client.get_import_order("7a992c85-d164-46df-97c4-dac6030ec952")


def test_loa_upload_and_list(client: DashboardClient) -> None:
    order_id = imported(client, ["9195550131"], "bwp-loa")
    name = client.upload_loa(order_id, b"%PDF-1.4\n% test\n")
    assert name.startswith(order_id) and name.endswith(".pdf")
    assert client.list_loas(order_id) == [name]


# -- removal orders -----------------------------------------------------------------------------


def test_remove_order_takes_numbers_out_of_service(client: DashboardClient) -> None:
    imported(client, ["9195550141"], "bwp-rm")
    order = client.create_remove_order(["9195550141"], customer_order_id="bwp-rm")
    assert order.telephone_numbers == ("9195550141",)
    done = until(lambda: client.get_remove_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "COMPLETE"
    assert not client.is_in_service("9195550141")
    rows = client.list_remove_orders(customer_order_id="bwp-rm")
    assert [r.order_id for r in rows] == [order.order_id]


def test_removing_a_never_imported_number_fails_with_5158(client: DashboardClient) -> None:
    order = client.create_remove_order(["9195550151"])
    done = until(lambda: client.get_remove_order(order.order_id), lambda o: o.status in TERMINAL)
    assert done.status == "FAILED"
    assert [e.code for e in done.errors] == ["5158"]
    assert done.failed_numbers == ("9195550151",)


def test_malformed_remove_order_id_is_a_validation_error(client: DashboardClient) -> None:
    with pytest.raises(ValidationError) as info:
        client.get_remove_order("some_invalid_uuid")
    assert info.value.codes == ["1008"]


# -- legacy externalTns -------------------------------------------------------------------------


def test_external_tns_import_order_round_trips(client: DashboardClient) -> None:
    order = client.create_external_tns_order(
        ["9195550161"], "743", "IMPORT", customer_order_id="bwp-ext"
    )
    assert order.action == "IMPORT" and order.telephone_numbers == ("9195550161",)
    done = until(
        lambda: client.get_external_tns_order(order.order_id), lambda o: o.status in TERMINAL
    )
    assert done.order_id == order.order_id and done.site_id == "743"
    with pytest.raises(NotFound):
        client.get_external_tns_order("7a992c85-d164-46df-97c4-dac6030ec952")
