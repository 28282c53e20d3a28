"""Subscription, Application and PhoneNumber through the real plugin over gRPC, engine-style.

Each test plays `pulumi up/preview/refresh/destroy` steps against the emulator; out-of-band
changes go through the real Dashboard and Catapult APIs, as a person in the portal makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from bw_helpers import (
    CALLBACK_PASSWORD,
    application_inputs,
    assert_no_credentials,
    assert_stack_secrets_only_in_configure,
    assert_state_is_clean,
    bw_stack_config,
    catapult,
    dashboard,
    subscription_inputs,
)
from harness import UNKNOWN, CheckFailed, Engine, ProviderError, Resource, Secret, from_struct

from bw_pulumi import ApplicationProvider, PhoneNumberProvider, SubscriptionProvider
from bw_pulumi.clients.dashboard import SubscriptionSpec
from bw_pulumi.emulator import Emulator
from tests.resources.lossy_proxy import InFlight, forward_all, lossy_proxy

SECRET_OUTPUTS = ["callback_password"]  # what Subscription() adds to additional_secret_outputs
TN, TN2 = "9195550111", "9195550112"


def _subscription(engine: Engine, **extra: Any) -> Resource:
    return engine.create(
        SubscriptionProvider(),
        subscription_inputs(**extra),
        name="callbacks",
        additional_secret_outputs=SECRET_OUTPUTS,
    )


def _live_subscriptions(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in emu.control.state()["subscriptions"]}


def _live_applications(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in emu.control.state()["applications"]}


def _live_numbers(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in emu.control.state()["phone_numbers"]}


# -- Subscription ----------------------------------------------------------------------------


def test_subscription_create_then_same_inputs_are_a_no_op(bw_engine: Engine, bw_emu: Emulator):
    created = _subscription(bw_engine)
    assert created.output("subscription_id") == created.id
    assert created.output("order_type") == "importtnorders"  # Bandwidth's exact spelling
    live = _live_subscriptions(bw_emu)[created.id]
    assert (live["order_type"], live["url"]) == (
        "importtnorders",
        "https://hooks.example.com/orders",
    )
    assert live["password"] == CALLBACK_PASSWORD

    again = bw_engine.up(SubscriptionProvider(), subscription_inputs(), created)
    assert again.op == "same"
    assert bw_engine.refresh(created) is not None
    assert bw_engine.up(SubscriptionProvider(), subscription_inputs(), again).op == "same"


def test_subscription_url_change_updates_in_place_and_order_type_change_replaces(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _subscription(bw_engine)
    new_url = "https://hooks.example.com/v2"
    updated = bw_engine.up(
        SubscriptionProvider(), subscription_inputs(callback_url=new_url), created
    )
    assert (updated.op, updated.id) == ("update", created.id)
    live = _live_subscriptions(bw_emu)[created.id]
    assert live["url"] == new_url
    assert live["password"] == CALLBACK_PASSWORD  # PUT is a full replace: the password resent

    news = subscription_inputs(callback_url=new_url, order_type="removeimportedtnorders")
    plan = bw_engine.preview(SubscriptionProvider(), news, updated)
    assert (plan.op, plan.replaces) == ("replace", ["order_type"])
    replaced = bw_engine.up(SubscriptionProvider(), news, updated)
    assert replaced.op == "replace" and replaced.id != created.id
    assert [s["order_type"] for s in _live_subscriptions(bw_emu).values()] == [
        "removeImportedTnOrders"
    ]


def test_subscription_edited_out_of_band_shows_drift_on_refresh_and_up_repairs_it(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = _subscription(bw_engine)
    edited = SubscriptionSpec("importtnorders", "https://portal.example.com/x", 3600, "other", "pw")
    dashboard(bw_emu).update_subscription(created.id, edited)

    refreshed = bw_plugin().refresh(created)
    assert refreshed is not None
    assert refreshed.inputs["callback_url"] == "https://portal.example.com/x"
    assert refreshed.inputs["callback_user"] == "other"
    assert isinstance(refreshed.outputs["callback_password"], Secret)

    repaired = bw_plugin().up(SubscriptionProvider(), subscription_inputs(), refreshed)
    assert repaired.op == "update"
    live = _live_subscriptions(bw_emu)[created.id]
    assert (live["url"], live["username"]) == ("https://hooks.example.com/orders", "hook-user")
    assert live["password"] == CALLBACK_PASSWORD


def test_subscription_deleted_out_of_band_is_gone_on_refresh_and_up_recreates_it(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = _subscription(bw_engine)
    dashboard(bw_emu).delete_subscription(created.id)
    assert bw_plugin().refresh(created) is None
    recreated = _subscription(bw_engine)
    assert list(_live_subscriptions(bw_emu)) == [recreated.id]


def test_subscription_destroy_deletes_and_tolerates_already_gone(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _subscription(bw_engine)
    bw_engine.destroy(created)
    assert _live_subscriptions(bw_emu) == {}
    bw_engine.destroy(created)  # 404: already gone is success


def test_subscription_adoption_takes_over_the_existing_object(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    spec = SubscriptionSpec("importtnorders", "https://old.example.com/cb", 3600)
    existing = dashboard(bw_emu).create_subscription(spec)
    adopted = _subscription(bw_engine, adopt_subscription_id=existing)
    assert adopted.id == existing
    live = _live_subscriptions(bw_emu)
    assert list(live) == [existing]
    assert live[existing]["url"] == "https://hooks.example.com/orders"  # converged to the program
    assert (
        bw_engine.up(
            SubscriptionProvider(), subscription_inputs(adopt_subscription_id=existing), adopted
        ).op
        == "same"
    )


def test_callback_password_reaches_the_provider_stripped_and_returns_to_state_as_secret(
    bw_engine: Engine,
) -> None:
    created = _subscription(bw_engine)
    create = next(req for method, req in bw_engine.sent if method == "Create")
    # acceptSecrets=false: the engine strips the secret envelope before the provider sees it.
    assert from_struct(create.properties)["callback_password"] == CALLBACK_PASSWORD
    assert created.inputs["callback_password"] == Secret(CALLBACK_PASSWORD)
    assert created.outputs["callback_password"] == Secret(CALLBACK_PASSWORD)
    refreshed = bw_engine.refresh(created)
    assert refreshed is not None
    assert_state_is_clean(created)
    assert_state_is_clean(refreshed)
    assert_stack_secrets_only_in_configure(bw_engine)


def test_subscription_get_by_id_reads_the_live_object_and_keeps_the_password_secret(
    bw_engine: Engine,
) -> None:
    created = _subscription(bw_engine)
    inputs = subscription_inputs(callback_url="https://ignored.example.com")
    got = bw_engine.get(SubscriptionProvider(), created.id, inputs)
    assert got is not None
    assert got.output("callback_url") == "https://hooks.example.com/orders"  # the live value
    assert got.outputs["callback_password"] == Secret(CALLBACK_PASSWORD)
    refreshed = bw_engine.refresh(got)
    assert refreshed is not None
    assert refreshed.inputs["callback_password"] == Secret(CALLBACK_PASSWORD)
    assert_state_is_clean(refreshed)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"callback_url": "ftp://x"}, "callback_url"),
        ({"order_type": "bogus"}, "order_type"),
        ({"callback_user": None}, "callback_user"),
        ({"expiry": -5}, "expiry"),
    ],
)
def test_subscription_check_failures_name_the_field(
    bw_engine: Engine, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(CheckFailed) as failed:
        bw_engine.preview(SubscriptionProvider(), subscription_inputs(**change))
    assert field in {prop for prop, _ in failed.value.failures}


# -- Application -----------------------------------------------------------------------------


def test_application_lifecycle_create_same_update_destroy(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = bw_engine.create(ApplicationProvider(), application_inputs(), name="app")
    assert created.output("application_id") == created.id
    assert created.output("callback_http_method") == "POST"
    assert bw_engine.up(ApplicationProvider(), application_inputs(), created).op == "same"

    renamed = bw_engine.up(ApplicationProvider(), application_inputs(name="renamed"), created)
    assert (renamed.op, renamed.id) == ("update", created.id)
    assert _live_applications(bw_emu)[created.id]["name"] == "renamed"

    bw_engine.destroy(renamed)
    assert _live_applications(bw_emu) == {}
    bw_engine.destroy(renamed)  # 404: already gone is success


def test_application_edited_out_of_band_shows_drift_and_up_repairs_it(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = bw_engine.create(ApplicationProvider(), application_inputs(), name="app")
    catapult(bw_emu).update_application(created.id, {"incomingMessageUrl": "https://evil.example"})
    refreshed = bw_plugin().refresh(created)
    assert refreshed is not None
    assert refreshed.inputs["incoming_message_url"] == "https://evil.example"
    assert refreshed.output("incoming_message_url") == "https://evil.example"

    repaired = bw_plugin().up(ApplicationProvider(), application_inputs(), refreshed)
    assert repaired.op == "update"
    live = _live_applications(bw_emu)[created.id]
    assert live["incomingMessageUrl"] == "https://hooks.example.com/sms"


def test_application_deleted_out_of_band_is_gone_and_up_recreates_it(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = bw_engine.create(ApplicationProvider(), application_inputs(), name="app")
    catapult(bw_emu).delete_application(created.id)
    assert bw_plugin().refresh(created) is None
    recreated = bw_engine.create(ApplicationProvider(), application_inputs(), name="app")
    assert list(_live_applications(bw_emu)) == [recreated.id]


def test_application_adoption_takes_over_the_existing_application(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    existing = catapult(bw_emu).create_application(
        {"name": "hand-made", "incomingMessageUrl": "https://old.example"}
    )
    adopted = bw_engine.create(
        ApplicationProvider(), application_inputs(adopt_application_id=existing), name="app"
    )
    assert adopted.id == existing
    live = _live_applications(bw_emu)
    assert list(live) == [existing]
    assert (live[existing]["name"], live[existing]["incomingMessageUrl"]) == (
        "hosted-sms",
        "https://hooks.example.com/sms",
    )


# -- PhoneNumber -----------------------------------------------------------------------------


def _app(engine: Engine, name: str = "hosted-sms") -> str:
    return engine.create(ApplicationProvider(), application_inputs(name=name), name=name).id


def _binding(engine: Engine, number: str, app_id: Any, **extra: Any) -> Resource:
    inputs = {"number": number, "application_id": app_id, **extra}
    return engine.create(PhoneNumberProvider(), inputs, name=f"number-{number}")


def test_phone_number_for_a_number_not_in_service_points_to_import_tn_order(
    bw_engine: Engine,
) -> None:
    app_id = _app(bw_engine)
    with pytest.raises(ProviderError) as failed:
        _binding(bw_engine, TN, app_id)
    assert "ImportTnOrder" in failed.value.details
    assert "+19195550111" in failed.value.details
    assert_no_credentials(failed.value.details + bw_engine.stderr)


def test_phone_number_lifecycle_update_in_place_and_replace_on_number(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(in_service=[TN, TN2])
    app_a, app_b = _app(bw_engine, "a"), _app(bw_engine, "b")
    created = _binding(bw_engine, "(919) 555-0111", app_a)
    assert created.output("number") == "+19195550111"
    assert (created.output("national_number"), created.output("in_service")) == (
        "(919) 555-0111",
        True,
    )
    inputs = {"number": "919-555-0111", "application_id": app_a}
    assert bw_engine.up(PhoneNumberProvider(), inputs, created).op == "same"

    moved = bw_engine.up(PhoneNumberProvider(), {**inputs, "application_id": app_b}, created)
    assert (moved.op, moved.id) == ("update", created.id)
    assert _live_numbers(bw_emu)[created.id]["application_id"] == app_b

    news = {"number": TN2, "application_id": app_b}
    plan = bw_engine.preview(PhoneNumberProvider(), news, moved)
    assert (plan.op, plan.replaces, plan.delete_before_replace) == ("replace", ["number"], True)
    replaced = bw_engine.up(PhoneNumberProvider(), news, moved)
    assert [n["number"] for n in _live_numbers(bw_emu).values()] == ["+19195550112"]

    bw_engine.destroy(replaced)
    assert _live_numbers(bw_emu) == {}
    bw_engine.destroy(replaced)  # 404: already gone is success


def test_phone_number_moved_out_of_band_leaves_the_stack_and_returns_only_by_adoption(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=[TN])
    app_a, app_b = _app(bw_engine, "a"), _app(bw_engine, "b")
    created = _binding(bw_engine, TN, app_a)
    catapult(bw_emu).update_number(created.id, application_id=app_b)

    assert bw_plugin().refresh(created) is None  # B's number now: the state forgets it
    with pytest.raises(ProviderError) as failed:  # the next up takes it only when told to
        _binding(bw_plugin(), TN, app_a)
    assert "adopt_existing" in failed.value.details
    adopted = _binding(bw_plugin(), TN, app_a, adopt_existing=True)
    assert adopted.id == created.id
    assert _live_numbers(bw_emu)[created.id]["application_id"] == app_a

    catapult(bw_emu).delete_number(created.id)
    assert bw_plugin().refresh(adopted) is None
    recreated = _binding(bw_engine, TN, app_a)
    assert list(_live_numbers(bw_emu)) == [recreated.id]


def test_phone_number_already_on_catapult_needs_adopt_existing(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(in_service=[TN])
    app_id = _app(bw_engine)
    existing = catapult(bw_emu).import_number(
        "+19195550111",
        app_id,
        account_id=bw_emu.account_id,
        username=bw_emu.username,
        password=bw_emu.password,
    )
    with pytest.raises(ProviderError) as failed:
        _binding(bw_engine, TN, app_id)
    assert "adopt_existing" in failed.value.details
    assert_no_credentials(failed.value.details)

    adopted = _binding(bw_engine, TN, app_id, adopt_existing=True, name="front desk")
    assert adopted.id == existing
    assert _live_numbers(bw_emu)[existing]["name"] == "front desk"


def test_preview_accepts_an_application_id_not_known_yet(bw_engine: Engine, bw_emu: Emulator):
    # The Application is created in the same `up`: during preview its id is unknown.
    plan = bw_engine.preview(PhoneNumberProvider(), {"number": TN, "application_id": UNKNOWN})
    assert plan.op == "create"
    assert plan.checked["application_id"] is UNKNOWN
    assert plan.checked["number"] == "+19195550111"

    bw_emu.control.numbers(in_service=[TN])
    created = _binding(bw_engine, TN, _app(bw_engine))
    plan = bw_engine.preview(
        PhoneNumberProvider(), {"number": TN, "application_id": UNKNOWN}, created
    )
    assert plan.op == "update"
    plan = bw_engine.preview(
        PhoneNumberProvider(), {"number": UNKNOWN, "application_id": "a-x"}, created
    )
    assert (plan.op, plan.replaces) == ("replace", ["number"])


def test_eight_phone_number_creates_in_parallel_complete_concurrently(
    start_engine: Callable[..., Engine], bw_emu: Emulator
) -> None:
    numbers = [f"91955502{i:02d}" for i in range(8)]
    bw_emu.control.numbers(in_service=numbers)
    in_flight = InFlight()
    with (
        lossy_proxy(bw_emu.dashboard_url, forward_all, in_flight) as dashboard_url,
        lossy_proxy(bw_emu.catapult_url, forward_all, in_flight) as catapult_url,
    ):
        config = {
            **bw_stack_config(bw_emu),
            "bandwidth:dashboardUrl": dashboard_url,
            "bandwidth:catapultUrl": catapult_url,
        }
        engine = start_engine(config, env={"BW_PULUMI_RATE_SCALE": "20"})
        app_id = _app(engine)
        # Each request stays in flight for the latency, so overlapping calls are seen overlapping.
        bw_emu.control.faults(latency_ms=250)
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(_binding, engine, tn, app_id) for tn in numbers]
            ids = {f.result(timeout=120).id for f in futures}
        bw_emu.control.faults()
    assert len(ids) == 8
    assert {n["number"] for n in _live_numbers(bw_emu).values()} == {f"+1{n}" for n in numbers}
    # The plugin serves four calls at once: at least three were seen in flight together.
    assert in_flight.peak >= 3, f"at most {in_flight.peak} request(s) at once: no parallelism"
