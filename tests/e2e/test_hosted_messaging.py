"""The flagship hosted-messaging program through the real Pulumi engine, against the emulator.

Subscription (importtnorders) + ImportTnOrder + Application + one PhoneNumberBindings.
Out-of-band changes go through the real Dashboard and Catapult APIs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from bw_e2e import (
    CALLBACK_PASSWORD,
    CALLBACK_USER,
    CallbackReceiver,
    assert_emulator_empty,
    assert_no_credentials,
    callback_receiver,
    catapult,
    dashboard,
    emulator,
    flagship_program,
    stack_config,
    wait_for,
)
from engine import PulumiE2E, StackRun, is_secret
from pulumi import automation as auto

from bw_pulumi.emulator import Emulator

PROJECT = "hosted-messaging"
NUMBERS = ["+1 919-555-0141", "9195550142"]
A, B = "9195550141", "9195550142"
# Subscription, ImportTnOrder, Application, PhoneNumberBindings, plus the stack itself.
EVERYTHING = 5
TYPE = "pulumi-python:dynamic/bandwidth:"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as emu:
        yield emu


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    with callback_receiver() as r:
        yield r


def flagship(
    pulumi_e2e: PulumiE2E, emu: Emulator, callback_url: str, **values: str | auto.ConfigValue
) -> StackRun:
    settings: dict[str, str | auto.ConfigValue] = {
        "numbers": json.dumps(NUMBERS),
        "siteId": "14",
        "callbackUrl": callback_url,
        "callbackUser": CALLBACK_USER,
        "callbackPassword": auto.ConfigValue(CALLBACK_PASSWORD, secret=True),
        "applicationName": "hosted-sms",
        **values,
    }
    return pulumi_e2e.stack(
        flagship_program(), config=stack_config(emu, PROJECT, **settings), project=PROJECT
    )


def state_of(stack: StackRun, name: str) -> dict[str, Any]:
    outputs: dict[str, Any] = stack.resource(name)["outputs"]
    return outputs


def test_flagship_up_creates_everything_and_up_preview_refresh_then_change_nothing(
    pulumi_e2e: PulumiE2E, emu: Emulator, receiver: CallbackReceiver
) -> None:
    stack = flagship(pulumi_e2e, emu, receiver.url)
    first = stack.up()
    assert first.summary.resource_changes == {"create": EVERYTHING}
    assert first.outputs["order_status"].value == "COMPLETE"
    assert first.outputs["imported_numbers"].value == [A, B]
    state = emu.control.state()
    assert state["in_service"] == [A, B]
    assert {n["number"] for n in state["phone_numbers"]} == {f"+1{A}", f"+1{B}"}
    assert [a["name"] for a in state["applications"]] == ["hosted-sms"]
    assert len(state["subscriptions"]) == 1

    assert stack.up().summary.resource_changes == {"same": EVERYTHING}
    assert stack.preview().change_summary == {auto.OpType.SAME: EVERYTHING}
    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes == {"same": EVERYTHING}
    assert stack.preview().change_summary == {auto.OpType.SAME: EVERYTHING}
    assert len(emu.control.state()["import_orders"]) == 1  # nothing was ordered twice


def test_flagship_state_holds_no_plaintext_credential_and_the_callback_password_is_secret(
    pulumi_e2e: PulumiE2E, emu: Emulator, receiver: CallbackReceiver
) -> None:
    stack = flagship(pulumi_e2e, emu, receiver.url)
    stack.up()
    stack.refresh()  # Read results are annotated with secretness too
    for text in (stack.export_text(), stack.backend_text(), "\n".join(stack.log)):
        assert_no_credentials(text)
    subscription = stack.resources(TYPE + "Subscription")[0]
    assert is_secret(subscription["inputs"]["callback_password"])
    assert is_secret(subscription["outputs"]["callback_password"])
    for resource in stack.resources():
        if resource["type"].startswith(TYPE):
            assert is_secret(resource["inputs"]["__provider"])
            assert is_secret(resource["outputs"]["__provider"])


def test_order_callbacks_reach_the_subscription_created_in_the_same_stack(
    pulumi_e2e: PulumiE2E, emu: Emulator, receiver: CallbackReceiver
) -> None:
    stack = flagship(pulumi_e2e, emu, receiver.url)
    outputs = stack.up().outputs
    order_id = outputs["order_id"].value
    [complete] = wait_for(
        "a COMPLETE notification of the order", lambda: receiver.notifications(order_id, "COMPLETE")
    )
    assert receiver.challenged >= 1  # Bandwidth sends credentials only after a 401 challenge
    assert complete.credentials == (CALLBACK_USER, CALLBACK_PASSWORD)
    assert complete.field("OrderType") == "importtnorders"
    assert complete.field("SubscriptionId") == outputs["subscription_id"].value


def test_flagship_refresh_reports_out_of_band_changes_and_up_repairs_them_then_destroy_cleans_up(
    pulumi_e2e: PulumiE2E, emu: Emulator, receiver: CallbackReceiver
) -> None:
    stack = flagship(pulumi_e2e, emu, receiver.url)
    outputs = stack.up().outputs
    app_id = outputs["application_id"].value
    # A person removes one number in the Dashboard and edits the application in Catapult.
    removal = dashboard(emu).create_remove_order([B], "by-hand")
    wait_for(
        "the removal",
        lambda: dashboard(emu).get_remove_order(removal.order_id).status == "COMPLETE",
    )
    catapult(emu).update_application(app_id, {"incomingMessageUrl": "https://evil.example/sms"})

    refreshed = stack.refresh()
    # The order and the application drifted; the bindings only changed an output (in_service of B),
    # which the engine's refresh diff (over inputs) does not count as a change.
    assert refreshed.summary.resource_changes == {"update": 2, "same": EVERYTHING - 2}
    assert state_of(stack, "numbers")["imported_numbers"] == [A]
    assert state_of(stack, "sms-app")["incoming_message_url"] == "https://evil.example/sms"
    assert state_of(stack, "bindings")["in_service"] == {f"+1{A}": True, f"+1{B}": False}

    repaired = stack.up()
    assert repaired.summary.resource_changes == {"update": 2, "same": EVERYTHING - 2}
    assert emu.control.state()["in_service"] == [A, B]
    assert catapult(emu).get_application(app_id).incoming_message_url == receiver.url

    # The subscription is deleted by hand: refresh forgets it, up re-creates it.
    dashboard(emu).delete_subscription(outputs["subscription_id"].value)
    assert stack.refresh().summary.resource_changes.get("delete") == 1
    recreated = stack.up()
    assert recreated.summary.resource_changes.get("create") == 1
    assert [s["id"] for s in emu.control.state()["subscriptions"]] == [
        recreated.outputs["subscription_id"].value
    ]

    # Renaming the application updates it in place (same id).
    renamed = flagship(pulumi_e2e, emu, receiver.url, applicationName="renamed-sms").up()
    assert renamed.summary.resource_changes == {"update": 1, "same": EVERYTHING - 1}
    assert renamed.outputs["application_id"].value == app_id
    assert catapult(emu).get_application(app_id).name == "renamed-sms"

    assert stack.destroy().summary.resource_changes == {"delete": EVERYTHING}
    assert_emulator_empty(emu)


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"numbers": json.dumps(["123"])}, "telephone_numbers"),
        # The inbound-SMS URL stays valid, so only the Subscription's check fails.
        ({"callbackUrl": "ftp://x", "messageUrl": "https://hooks.example.com/sms"}, "callback_url"),
    ],
)
def test_a_bad_input_fails_preview_naming_the_field(
    pulumi_e2e: PulumiE2E, emu: Emulator, settings: dict[str, str], field: str
) -> None:
    stack = flagship(pulumi_e2e, emu, "https://hooks.example.com/orders", **settings)
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    text = str(failed.value)
    # A number list's one failure names its input first, without the property (which would
    # print the whole list): see check_number_list.
    assert f"property {field} value" in text or f"has a problem: {field}: " in text, text
    # Check reads nothing of the program's objects; it proves the config with one read-only
    # request per API (design.md "Config is proven at preview"), and writes nothing.
    requests = emu.control.stats()["requests"]
    assert requests and all(route.startswith("GET ") for route in requests), requests


def test_a_bandwidth_error_fails_up_with_its_code_and_the_number(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    emu.control.numbers(unimportable={B: 19005})
    stack = flagship(pulumi_e2e, emu, "https://hooks.example.com/orders")
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = str(failed.value)
    assert "19005" in message and B in message
    assert_no_credentials(message + "\n".join(stack.log))
    assert emu.control.state()["import_orders"] == []  # the checker refused before ordering
    stack.destroy()
    assert_emulator_empty(emu)
