"""The native plugin over gRPC: schema, camelCase names, preview, CRUD against the emulator."""

from __future__ import annotations

import json

import grpc
import pytest
from native_harness import BW_PASSWORD, RESOURCE_NAMES, FakeEngine, Plugin, order_inputs, urn
from pulumi.runtime.proto import provider_pb2
from wire import UNKNOWN, Secret

from bw_pulumi.emulator import Emulator
from bw_pulumi.emulator.control_client import ControlClient

APP = {"name": "native-sms", "incomingMessageUrl": "https://hooks.example.com/sms"}


def state(emu: Emulator) -> dict:
    return ControlClient(emu.base_url).state()


def test_schema_serves_every_resource_in_camel_case_with_secret_flags(plugin: Plugin) -> None:
    doc = json.loads(plugin.call("GetSchema", provider_pb2.GetSchemaRequest(version=0)).schema)
    assert sorted(doc["resources"]) == sorted(f"bandwidth:index:{n}" for n in RESOURCE_NAMES)
    app = doc["resources"]["bandwidth:index:Application"]
    assert "incomingMessageUrl" in app["inputProperties"]
    assert app["requiredInputs"] == ["name", "incomingMessageUrl"]
    assert app["properties"]["applicationId"]["description"]
    sub = doc["resources"]["bandwidth:index:Subscription"]
    assert sub["inputProperties"]["callbackPassword"]["secret"] is True
    assert sub["properties"]["callbackPassword"]["secret"] is True
    msg = doc["resources"]["bandwidth:index:MessagingApplication"]["properties"]
    assert msg["inboundCallbackCredentials"]["secret"] is True
    assert doc["config"]["variables"]["password"]["secret"] is True
    assert doc["types"]["bandwidth:index:ServiceAddress"]["properties"]["stateCode"]


def test_check_reports_failures_under_the_camel_case_name(plugin: Plugin) -> None:
    _, failures = plugin.check("Application", {"name": "x", "incomingMessageUrl": "ftp://nope"})
    assert failures and {prop for prop, _ in failures} == {"incomingMessageUrl"}


def test_preview_create_makes_no_api_call_and_leaves_outputs_unknown(
    plugin: Plugin, emu: Emulator
) -> None:
    inputs, failures = plugin.check("Application", APP)
    assert not failures
    id_, outs = plugin.create("Application", inputs, preview=True)
    assert id_ == ""
    assert outs["applicationId"] is UNKNOWN
    assert state(emu)["applications"] == []


def test_application_lifecycle_round_trips_camel_case_state(plugin: Plugin, emu: Emulator) -> None:
    inputs, _ = plugin.check("Application", {**APP, "callbackHttpMethod": "post"})
    assert inputs["callbackHttpMethod"] == "POST"
    id_, outs = plugin.create("Application", inputs)
    assert outs["applicationId"] == id_ and outs["incomingMessageUrl"] == APP["incomingMessageUrl"]
    assert [a["id"] for a in state(emu)["applications"]] == [id_]

    same = plugin.diff("Application", id_, outs, inputs)
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
    read_id, read_outs, read_inputs = plugin.read("Application", id_, outs, inputs)
    assert read_id == id_ and read_outs == outs and read_inputs == inputs

    news = {**inputs, "incomingMessageUrl": "https://hooks.example.com/sms2"}
    changed = plugin.diff("Application", id_, outs, news)
    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(changed.diffs) == ["incomingMessageUrl"] and not changed.replaces
    preview = plugin.update("Application", id_, outs, news, preview=True)
    assert preview["incomingMessageUrl"].endswith("sms2")
    assert state(emu)["applications"][0]["incomingMessageUrl"].endswith("/sms")
    updated = plugin.update("Application", id_, outs, news)
    assert updated["incomingMessageUrl"].endswith("sms2")
    assert state(emu)["applications"][0]["incomingMessageUrl"].endswith("sms2")

    plugin.delete("Application", id_, updated)
    assert state(emu)["applications"] == []
    gone_id, _, _ = plugin.read("Application", id_, updated, news)
    assert gone_id == ""


def test_import_rebuilds_inputs_from_the_id_alone(plugin: Plugin, emu: Emulator) -> None:
    inputs, _ = plugin.check("Application", APP)
    id_, _ = plugin.create("Application", inputs)
    read_id, _outs, rebuilt = plugin.read("Application", id_)
    assert read_id == id_
    assert rebuilt["name"] == APP["name"]
    assert rebuilt["incomingMessageUrl"] == APP["incomingMessageUrl"]
    _, failures = plugin.check("Application", rebuilt)
    assert not failures


def test_import_of_a_missing_id_fails_in_one_line(plugin: Plugin) -> None:
    with pytest.raises(grpc.RpcError) as err:
        plugin.read("Application", "a-doesnotexist")
    details = err.value.details()
    assert "no Application with id 'a-doesnotexist'" in details
    assert "Traceback" not in details and "File " not in details


def test_bandwidth_errors_reach_the_engine_as_their_message_only(
    fake_engine: FakeEngine, emu: Emulator
) -> None:
    bad = Plugin(fake_engine)
    try:
        bad.configure({**emu.stack_config(), "bandwidth:apiSecret": "wrong-secret"})
        inputs, _ = bad.check("Application", APP)
        with pytest.raises(grpc.RpcError) as err:
            bad.create("Application", inputs)
    finally:
        bad.close()
    details = err.value.details()
    assert "401" in details and "bandwidth:apiSecret" in details
    assert "Traceback" not in details and "wrong-secret" not in details


def test_progress_lines_reach_the_resource_row_through_engine_log(
    plugin: Plugin, emu: Emulator
) -> None:
    order = order_inputs("+19195550111")
    inputs, failures = plugin.check("ImportTnOrder", order, name="numbers")
    assert not failures
    assert inputs["customerOrderId"]  # the Python constructor's default, from the URN
    id_, outs = plugin.create("ImportTnOrder", inputs, name="numbers")
    assert outs["orderId"] == id_ and outs["importedNumbers"] == ["9195550111"]
    lines = [line for line in plugin.engine.lines if "placed import order" in line.message]
    assert lines and all(
        line.urn == urn("ImportTnOrder", "numbers") and line.ephemeral for line in lines
    )
    assert "placed import order" not in plugin.stderr


def test_secret_outputs_are_marked_secret_and_never_logged(plugin: Plugin, emu: Emulator) -> None:
    password = "cb-pw-native-77e1"
    props = {
        "orderType": "importtnorders",
        "callbackUrl": "https://hooks.example.com/orders",
        "callbackUser": "hook",
        "callbackPassword": password,
    }
    inputs, failures = plugin.check("Subscription", props)
    assert not failures and inputs["callbackPassword"] == Secret(password)
    id_, outs = plugin.create("Subscription", inputs)
    assert outs["callbackPassword"] == Secret(password)
    assert outs["subscriptionId"] == id_
    _, read_outs, _ = plugin.read("Subscription", id_, outs, inputs)
    assert read_outs["callbackPassword"] == Secret(password)
    logged = plugin.stderr + "".join(line.message for line in plugin.engine.lines)
    assert password not in logged and BW_PASSWORD not in logged
