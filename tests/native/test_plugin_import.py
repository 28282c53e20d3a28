"""`pulumi import` of every resource: Read with the id alone rebuilds inputs that pass Check.

The engine's import calls Read with no state and no inputs, then Check on what Read returned,
and prints those inputs as the program to copy. Each resource is created through the plugin
first, then imported by the id its create returned.
"""

from __future__ import annotations

from typing import Any

import pytest
from native_harness import RESOURCE_NAMES, Plugin, order_inputs


def _create(plugin: Plugin, type_name: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    inputs, failures = plugin.check(type_name, props)
    assert not failures, failures
    return plugin.create(type_name, inputs)


def _stack(plugin: Plugin) -> dict[str, tuple[str, dict[str, Any]]]:
    made: dict[str, tuple[str, dict[str, Any]]] = {}
    made["Subscription"] = _create(
        plugin,
        "Subscription",
        {"orderType": "importtnorders", "callbackUrl": "https://hooks.example.com/orders"},
    )
    made["ImportTnOrder"] = _create(
        plugin,
        "ImportTnOrder",
        order_inputs("+19195550131", "+19195550132"),
    )
    made["Application"] = _create(
        plugin,
        "Application",
        {"name": "imp-app", "incomingMessageUrl": "https://hooks.example.com/sms"},
    )
    app_id = made["Application"][0]
    made["PhoneNumber"] = _create(
        plugin, "PhoneNumber", {"number": "+19195550131", "applicationId": app_id}
    )
    made["PhoneNumberBindings"] = _create(
        plugin,
        "PhoneNumberBindings",
        {"applicationId": app_id, "telephoneNumbers": ["+19195550132"]},
    )
    made["MessagingApplication"] = _create(
        plugin,
        "MessagingApplication",
        {"appName": "imp-v2", "inboundCallbackUrl": "https://hooks.example.com/v2"},
    )
    made["Location"] = _create(plugin, "Location", {"siteId": "14", "peerName": "imp-peer"})
    made["LocationMessaging"] = _create(
        plugin,
        "LocationMessaging",
        {
            "siteId": "14",
            "sipPeerId": made["Location"][0],
            "applicationId": made["MessagingApplication"][0],
        },
    )
    return made


@pytest.mark.parametrize("type_name", RESOURCE_NAMES)  # every id is enough
def test_import_by_id_rebuilds_inputs_that_pass_check(plugin: Plugin, type_name: str) -> None:
    made = _stack(plugin)
    id_, outs = made[type_name]
    read_id, read_outs, rebuilt = plugin.read(type_name, id_)
    assert read_id == id_
    _, failures = plugin.check(type_name, rebuilt)
    assert not failures, failures
    shared = {k: v for k, v in outs.items() if k in rebuilt}
    assert shared, "some inputs come back"
    if type_name == "PhoneNumberBindings":
        # The id is the application's: an import takes every number bound to it, the one the
        # PhoneNumber resource binds too (README says so).
        assert rebuilt["telephoneNumbers"] == ["+19195550131", "+19195550132"]
        del shared["telephoneNumbers"]
    for key, value in shared.items():
        assert read_outs.get(key) == value, key
