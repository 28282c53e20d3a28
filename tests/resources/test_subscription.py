"""Subscription provider against the emulator."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import dill
import pytest
from pulumi.output import Unknown

from bw_pulumi import SubscriptionProvider
from bw_pulumi._wait import wait_for_status
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import AdoptionMismatch, ConfigError, NotFound
from bw_pulumi.resources.subscription import DEFAULT_EXPIRY

from .conftest import configured, dashboard

SECRET = "callback-s3cret-value"


def _inputs(**extra: Any) -> dict[str, Any]:
    return {
        "order_type": "ImportTnOrders",
        "callback_url": " https://hooks.example.com/bandwidth ",
        "callback_user": "hook",
        "callback_password": SECRET,
        **extra,
    }


def _checked(provider: SubscriptionProvider, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def test_check_canonicalizes_order_type_spelling_and_url(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    inputs = _checked(provider, _inputs())
    assert inputs["order_type"] == "importtnorders"
    assert inputs["callback_url"] == "https://hooks.example.com/bandwidth"
    removal = _checked(provider, _inputs(order_type="REMOVEIMPORTEDTNORDERS"))
    assert removal["order_type"] == "removeImportedTnOrders"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order_type": "imports"}, "order_type"),
        ({"callback_url": "ftp://example.com/x"}, "callback_url"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"callback_url": None}, "callback_url"),
        ({"expiry": 0}, "expiry"),
        ({"expiry": -5}, "expiry"),
        ({"callback_password": None}, "callback_password"),
        ({"order_id": "not-a-uuid"}, "order_id"),
    ],
)
def test_check_names_the_bad_field(emu: Emulator, change: dict[str, Any], field: str) -> None:
    failures = SubscriptionProvider().check({}, _inputs(**change)).failures
    assert field in {f.property for f in failures}


def test_check_accepts_unknowns(emu: Emulator) -> None:
    result = SubscriptionProvider().check({}, _inputs(callback_url=Unknown(), expiry=Unknown()))
    assert result.failures == []


def test_lifecycle_create_read_update_delete(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    inputs = _checked(provider, _inputs())
    created = provider.create(inputs)
    live = dashboard(emu).get_subscription(created.id)
    assert live.order_type == "importtnorders" and live.callback_user == "hook"
    assert created.outs["expiry"] == DEFAULT_EXPIRY

    read = provider.read(created.id, created.outs)
    # Expiry counts down and the password never comes back: neither is drift.
    assert provider.diff(created.id, read.outs, inputs).changes is False
    assert read.outs["callback_password"] == SECRET

    news = _checked(provider, _inputs(callback_url="https://hooks.example.com/v2"))
    diff = provider.diff(created.id, read.outs, news)
    assert diff.changes and not diff.replaces
    provider.update(created.id, read.outs, news)
    assert (
        dashboard(emu).get_subscription(created.id).callback_url == "https://hooks.example.com/v2"
    )

    provider.delete(created.id, news)
    provider.delete(created.id, news)  # already gone: still success
    with pytest.raises(NotFound):
        dashboard(emu).get_subscription(created.id)


def test_update_resends_every_field_because_put_is_a_full_replace(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    created = provider.create(_checked(provider, _inputs()))
    news = _checked(provider, _inputs(expiry=7200 * 24 * 30))
    provider.update(created.id, created.outs, news)
    live = dashboard(emu).get_subscription(created.id)
    assert live.callback_user == "hook"  # omitted credentials would have been dropped
    assert live.callback_url == "https://hooks.example.com/bandwidth"


def test_expiry_counting_down_on_bandwidth_never_shows_as_drift(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    inputs = _checked(provider, _inputs(expiry=4))
    created = provider.create(inputs)
    wait_for_status(  # until most of the requested life is gone on Bandwidth's side
        lambda: dashboard(emu).get_subscription(created.id).expiry_remaining,
        lambda remaining: "LOW" if remaining is not None and remaining <= 1 else "HIGH",
        pending={"HIGH"},
        target={"LOW"},
        timeout=10,
        what="the subscription's countdown",
    )
    read = provider.read(created.id, created.outs)
    assert read.outs["expiry"] == 4 and read.inputs["expiry"] == 4
    assert provider.diff(created.id, read.outs, inputs).changes is False


REPLACING = [{"order_type": "removeImportedTnOrders"}, {"order_id": str(uuid.uuid4())}]


@pytest.mark.parametrize("change", REPLACING)
def test_order_type_and_order_id_replace(emu: Emulator, change: dict[str, Any]) -> None:
    provider = configured(SubscriptionProvider, emu)
    olds = _checked(provider, _inputs())
    diff = provider.diff("s", olds, _checked(provider, _inputs(**change)))
    assert diff.replaces == sorted(change)


def test_refresh_reports_out_of_band_deletion_as_gone(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    created = provider.create(_checked(provider, _inputs()))
    dashboard(emu).delete_subscription(created.id)
    assert provider.read(created.id, created.outs).id is None


def test_refresh_reports_url_edited_out_of_band(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    inputs = _checked(provider, _inputs())
    created = provider.create(inputs)
    from bw_pulumi.clients.dashboard import SubscriptionSpec

    dashboard(emu).update_subscription(
        created.id,
        SubscriptionSpec("importtnorders", "https://elsewhere.example.com", 3600, "hook", "x"),
    )
    read = provider.read(created.id, created.outs)
    assert read.inputs["callback_url"] == "https://elsewhere.example.com"
    assert provider.diff(created.id, read.outs, inputs).changes is True


def test_adoption_takes_over_an_existing_subscription(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    first = provider.create(_checked(provider, _inputs()))
    adopted = provider.create(_checked(provider, _inputs(adopt_subscription_id=first.id)))
    assert adopted.id == first.id
    assert len(emu.control.state()["subscriptions"]) == 1


def test_adopting_a_subscription_of_another_order_type_is_refused(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    removals = provider.create(_checked(provider, _inputs(order_type="removeImportedTnOrders")))
    with pytest.raises(AdoptionMismatch, match="order_type is 'removeImportedTnOrders'"):
        provider.create(_checked(provider, _inputs(adopt_subscription_id=removals.id)))
    [live] = emu.control.state()["subscriptions"]
    assert live["order_type"] == "removeImportedTnOrders"  # untouched


def test_adopting_a_missing_subscription_names_the_input(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    inputs = _checked(
        provider, _inputs(adopt_subscription_id="2dc59c67-ac53-11ec-9f4c-0242ac110002")
    )
    with pytest.raises(NotFound, match="adopt_subscription_id"):
        provider.create(inputs)


def test_missing_credentials_name_config_key_and_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("BANDWIDTH_ACCOUNT_ID", "BANDWIDTH_USERNAME", "BANDWIDTH_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    provider = SubscriptionProvider()
    with pytest.raises(ConfigError) as err:
        provider.create(_inputs(order_type="importtnorders"))
    assert "bandwidth:password" in str(err.value) and "BANDWIDTH_PASSWORD" in str(err.value)


def test_pickled_provider_holds_no_secret_even_after_configure(emu: Emulator) -> None:
    provider = configured(SubscriptionProvider, emu)
    provider.dashboard()  # clients and settings now exist in this process
    blob = dill.dumps(provider, recurse=True)
    assert emu.password.encode() not in blob and emu.api_secret.encode() not in blob
    assert b"bw_pulumi" in blob and b"SubscriptionProvider" in blob
    assert type(pickle.loads(blob)) is SubscriptionProvider


def test_refresh_with_a_wrong_dashboard_url_fails_instead_of_dropping_the_subscription(
    emu: Emulator,
) -> None:
    created = configured(SubscriptionProvider, emu).create(
        _checked(configured(SubscriptionProvider, emu), _inputs())
    )
    url = emu.stack_config()["bandwidth:dashboardUrl"]
    wrong = configured(SubscriptionProvider, emu, **{"bandwidth:dashboardUrl": url + "/v9"})
    with pytest.raises(ConfigError, match="bandwidth:dashboardUrl"):
        wrong.read(created.id, created.outs)
    with pytest.raises(ConfigError, match="bandwidth:dashboardUrl"):
        wrong.delete(created.id, created.outs)
    assert len(emu.control.state()["subscriptions"]) == 1
