"""The lifecycle cores called directly, on plain values, with their settings passed in: what
both adapters (dynamic providers, native plugin) run."""

from __future__ import annotations

from typing import Any

from pulumi.runtime import rpc

from bw_pulumi import SubscriptionProvider
from bw_pulumi.config import Settings
from bw_pulumi.core.application import ApplicationCore
from bw_pulumi.core.import_tn_order import ImportTnOrderCore, default_customer_order_id
from bw_pulumi.core.lifecycle import UNKNOWN, ResourceName
from bw_pulumi.core.subscription import SubscriptionCore
from bw_pulumi.emulator import Emulator

from .conftest import configured, order_inputs

SECRET = "core-callback-s3cret"
SUB = {
    "order_type": "importtnorders",
    "callback_url": "https://hooks.example.com/bandwidth",
    "callback_user": "hook",
    "callback_password": SECRET,
}


def _settings(emu: Emulator) -> Settings:
    return Settings.load(emu.stack_config())


def _plain(value: Any) -> bool:
    """True if nothing inside is the SDK's secret wrapper."""
    if isinstance(value, dict):
        return not rpc.is_rpc_secret(value) and all(_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return True


def test_a_read_names_the_password_secret_and_returns_it_plain(emu: Emulator) -> None:
    core = SubscriptionCore(_settings(emu))
    checked = core.check({}, dict(SUB))
    assert checked.failures == []
    id_, outs = core.create(checked.inputs)

    read = core.read(id_, outs)
    assert read.id == id_
    assert read.inputs is not None and read.inputs["callback_password"] == SECRET
    assert read.secrets == {"callback_password"}
    assert _plain(read.inputs) and _plain(read.outputs)


def test_the_dynamic_adapter_wraps_what_the_core_names_secret(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    id_, outs = SubscriptionCore(_settings(emu)).create(dict(SUB))
    inputs = provider.read(id_, outs).inputs
    assert rpc.is_rpc_secret(inputs["callback_password"])
    assert rpc.unwrap_rpc_secret(inputs["callback_password"]) == SECRET
    assert not rpc.is_rpc_secret(inputs["callback_url"])


def test_diff_names_each_changed_input_and_not_a_normalized_one() -> None:
    olds = {"name": "app", "incoming_message_url": "https://a.example/x"}
    olds["callback_http_method"] = "POST"
    news = {**olds, "incoming_message_url": "https://a.example/y", "callback_http_method": "post"}
    outcome = ApplicationCore().diff("id", olds, news)
    assert outcome.changes and outcome.changed == ["incoming_message_url"]
    assert outcome.replaces == []


def test_import_order_diff_names_the_numbers_when_the_held_ones_differ() -> None:
    olds = {"telephone_numbers": ["9195550100"], "imported_numbers": ["9195550100"]}
    news = {"telephone_numbers": ["9195550100", "9195550101"]}
    outcome = ImportTnOrderCore().diff("id", olds, news)
    assert outcome.changes and "telephone_numbers" in outcome.changed


def test_an_unknown_input_passes_check_and_counts_as_changed() -> None:
    core = SubscriptionCore()  # never configured: checks inputs only, no request
    checked = core.check({}, {**SUB, "callback_url": UNKNOWN})
    assert checked.failures == [] and checked.inputs["callback_url"] is UNKNOWN
    outcome = core.diff("id", SUB, {**SUB, "callback_url": UNKNOWN})
    assert outcome.changes and outcome.changed == ["callback_url"]


def test_check_derives_the_order_id_from_the_resource_name_as_the_constructor_does() -> None:
    news = order_inputs(["9195550100"])
    del news["customer_order_id"]
    where = ResourceName("app", "dev", "numbers")
    checked = ImportTnOrderCore().check({}, news, where)
    assert checked.inputs["customer_order_id"] == default_customer_order_id("app", "dev", "numbers")
    kept = ImportTnOrderCore().check({}, {**news, "customer_order_id": "mine-1"}, where)
    assert kept.inputs["customer_order_id"] == "mine-1"
    assert "customer_order_id" not in ImportTnOrderCore().check({}, news).inputs
