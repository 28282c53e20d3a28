"""Small programs through the real engine: replace triggers, and what `X.get(name, id)` does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pulumi
import pytest
from bw_e2e import emulator, stack_config
from engine import PulumiE2E

from bw_pulumi import (
    Application,
    ApplicationArgs,
    ImportTnOrder,
    PhoneNumber,
    PhoneNumberArgs,
    Subscription,
    SubscriptionArgs,
)
from bw_pulumi._wait import wait_for_status
from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.dashboard import (
    Address,
    DashboardClient,
    ImportOrderRequest,
    SubscriptionSpec,
)
from bw_pulumi.emulator import Emulator

PROJECT = "bw-resources"
TN1, TN2 = "9195550151", "9195550152"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as emu:
        emu.control.numbers(in_service=[TN1, TN2])
        yield emu


def dashboard_client(emu: Emulator) -> DashboardClient:
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def bindings(order_type: str, number: str) -> Callable[[], None]:
    def program() -> None:
        subscription = Subscription(
            "callbacks",
            SubscriptionArgs(order_type=order_type, callback_url="https://hooks.example.com/o"),
        )
        app = Application(
            "app", ApplicationArgs(name="sms", incoming_message_url="https://hooks.example.com/s")
        )
        binding = PhoneNumber("number", PhoneNumberArgs(number=number, application_id=app.id))
        pulumi.export("subscription_id", subscription.subscription_id)
        pulumi.export("number_id", binding.number_id)

    return program


def test_order_type_and_number_changes_replace_the_subscription_and_the_binding(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    stack = pulumi_e2e.stack(
        bindings("importtnorders", TN1), config=stack_config(emu, PROJECT), project=PROJECT
    )
    first = stack.up()
    assert first.summary.resource_changes == {"create": 4}

    stack.set_program(bindings("removeImportedTnOrders", f"+1{TN2}"))
    second = stack.up()
    assert second.summary.resource_changes == {"replace": 2, "same": 2}
    assert second.outputs["subscription_id"].value != first.outputs["subscription_id"].value
    assert second.outputs["number_id"].value != first.outputs["number_id"].value
    state = emu.control.state()
    assert [s["order_type"] for s in state["subscriptions"]] == ["removeImportedTnOrders"]
    assert [n["number"] for n in state["phone_numbers"]] == [f"+1{TN2}"]

    stack.destroy()
    state = emu.control.state()
    assert (state["subscriptions"], state["applications"], state["phone_numbers"]) == ([], [], [])


def test_application_get_reads_the_live_application_and_destroy_leaves_it(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    def owner() -> None:
        app = Application(
            "app", ApplicationArgs(name="owned", incoming_message_url="https://hooks.example.com")
        )
        pulumi.export("application_id", app.application_id)

    config = stack_config(emu, PROJECT)
    app_id = pulumi_e2e.stack(owner, config=config, project=PROJECT).up().outputs
    app_id = app_id["application_id"].value

    def reader() -> None:
        # A read (the engine's ReadStep): props, __provider included, go to the provider's read().
        got = Application.get("adopted", app_id)
        pulumi.export("name", got.name)
        pulumi.export("incoming_message_url", got.incoming_message_url)

    other = pulumi_e2e.stack(reader, config=config, stack_name="reader", project=PROJECT)
    outputs = other.up().outputs
    assert outputs["name"].value == "owned"  # read from the live application
    assert outputs["incoming_message_url"].value == "https://hooks.example.com"
    assert other.resource("adopted")["external"] is True
    assert other.refresh().summary.result == "succeeded"
    assert other.destroy().summary.resource_changes == {"delete": 1, "discard": 1}
    assert [a["id"] for a in emu.control.state()["applications"]] == [app_id]  # left alone


def test_get_reads_hand_made_orders_subscriptions_and_bindings_and_destroy_leaves_them(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    numbers = ["9195550161", "9195550162"]
    order = dashboard_client(emu).create_import_order(
        ImportOrderRequest(
            telephone_numbers=numbers,
            site_id="14",
            subscriber_name="By Hand",
            service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
            loa_authorizing_person="Jane Doe",
        )
    )

    wait_for_status(
        lambda: dashboard_client(emu).get_import_order(order.order_id),
        lambda placed: placed.status,
        pending={"RECEIVED", "PROCESSING"},
        target={"COMPLETE"},
        timeout=30,
        what="the hand-placed order",
    )

    subscription_id = dashboard_client(emu).create_subscription(
        SubscriptionSpec("importtnorders", "https://hooks.example.com/by-hand", 3600, "u", "pw")
    )
    cat = CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)
    app_id = cat.create_application({"name": "by-hand", "incomingMessageUrl": "https://a.example"})
    number_id = cat.import_number(
        f"+1{TN1}",
        app_id,
        name="front desk",
        account_id=emu.account_id,
        username=emu.username,
        password=emu.password,
    )

    def reader() -> None:
        got = ImportTnOrder.get("order", order.order_id)
        pulumi.export("imported_numbers", got.imported_numbers)
        pulumi.export("site_id", got.site_id)
        pulumi.export("subscriber", got.subscriber)
        pulumi.export(
            "callback_url", Subscription.get("subscription", subscription_id).callback_url
        )
        binding = PhoneNumber.get("binding", number_id)
        pulumi.export("bound_to", binding.application_id)
        pulumi.export("in_service", binding.in_service)
        pulumi.export("binding_name", binding.name)

    stack = pulumi_e2e.stack(reader, config=stack_config(emu, PROJECT), project=PROJECT)
    outputs = stack.up().outputs
    assert outputs["imported_numbers"].value == numbers
    assert outputs["site_id"].value == "14"
    assert outputs["subscriber"].value["name"] == "By Hand"
    assert outputs["callback_url"].value == "https://hooks.example.com/by-hand"
    assert (outputs["bound_to"].value, outputs["in_service"].value) == (app_id, True)
    assert outputs["binding_name"].value == "front desk"
    assert all(stack.resource(name)["external"] for name in ("order", "subscription", "binding"))
    assert stack.up().summary.resource_changes == {"same": 1}  # the stack; reads are not counted
    stack.destroy()
    state = emu.control.state()
    assert sorted(state["in_service"]) == sorted([TN1, TN2, *numbers])  # nothing removed
    assert [sub["id"] for sub in state["subscriptions"]] == [subscription_id]
    assert [n["id"] for n in state["phone_numbers"]] == [number_id]
