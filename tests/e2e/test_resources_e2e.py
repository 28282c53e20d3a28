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
    PhoneNumber,
    PhoneNumberArgs,
    Subscription,
    SubscriptionArgs,
)
from bw_pulumi.emulator import Emulator

PROJECT = "bw-resources"
TN1, TN2 = "9195550151", "9195550152"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as emu:
        emu.control.numbers(in_service=[TN1, TN2])
        yield emu


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


def test_get_by_id_reads_an_application_and_destroy_leaves_it(
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
        # `Application.get` style: construction with ResourceOptions(id=...) is a read (ReadStep),
        # which passes the program's props, __provider included, to the provider's read().
        got = Application(
            "adopted",
            ApplicationArgs(name="ignored", incoming_message_url="https://ignored.example"),
            opts=pulumi.ResourceOptions(id=app_id),
        )
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
