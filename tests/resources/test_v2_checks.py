"""Preview-time checks and diffs of the current platform's resources (no network: check and
diff never call Bandwidth)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from bw_pulumi import LocationMessagingProvider, LocationProvider, MessagingApplicationProvider

HOOK = "https://hooks.example.com/bw"
APP_ID = "d4d1b41d-4c05-47d0-838a-34e4f14e4e3e"


def _app(**extra: Any) -> dict[str, Any]:
    return {"app_name": "sms", "inbound_callback_url": HOOK, **extra}


def _failed(provider: Any, inputs: dict[str, Any]) -> set[str]:
    return {f.property for f in provider.check({}, inputs).failures}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"app_name": " "}, "app_name"),
        ({"inbound_callback_url": None}, "inbound_callback_url"),
        ({"inbound_callback_url": "ftp://x.example.com"}, "inbound_callback_url"),
        ({"outbound_callback_url": "not a url"}, "outbound_callback_url"),
        (
            {
                "inbound_callback_url": "http://plain.example.com",
                "inbound_callback_credentials": {"user_id": "u", "password": "p"},
            },
            "inbound_callback_url",
        ),
        ({"inbound_callback_credentials": {"user_id": "u"}}, "inbound_callback_credentials"),
        ({"inbound_callback_credentials": {"password": "p"}}, "inbound_callback_credentials"),
        (
            {"outbound_callback_credentials": {"user_id": "u", "password": "p"}},
            "outbound_callback_credentials",
        ),
        ({"requested_callback_types": ["message-received"]}, "requested_callback_types"),
        (
            {"requested_callback_types": ["message-failed", "message-failed"]},
            "requested_callback_types",
        ),
        ({"adopt_application_id": "a-123"}, "adopt_application_id"),
    ],
)
def test_messaging_application_check_names_the_bad_field(
    change: dict[str, Any], field: str
) -> None:
    assert field in _failed(MessagingApplicationProvider(), _app(**change))


def test_messaging_application_check_accepts_https_credentials_and_sorts_types() -> None:
    result = MessagingApplicationProvider().check(
        {},
        _app(
            outbound_callback_url=HOOK + "/status",
            inbound_callback_credentials={"user_id": "u", "password": "p"},
            outbound_callback_credentials={"user_id": "u", "password": "p"},
            requested_callback_types=["message-failed", "message-delivered"],
        ),
    )
    assert result.failures == []
    assert result.inputs["requested_callback_types"] == ["message-delivered", "message-failed"]


def test_messaging_application_check_passes_unknowns_through() -> None:
    unknown = Unknown()
    result = MessagingApplicationProvider().check(
        {},
        _app(
            inbound_callback_url=unknown,
            inbound_callback_credentials={"user_id": "u", "password": unknown},
        ),
    )
    assert result.failures == []
    assert result.inputs["inbound_callback_url"] is unknown


def test_messaging_application_diff_updates_in_place_and_ignores_unset_callback_types() -> None:
    provider = MessagingApplicationProvider()
    olds = {**_app(requested_callback_types=["message-delivered"]), "application_id": APP_ID}
    assert provider.diff(APP_ID, olds, _app()).changes is False
    changed = provider.diff(APP_ID, olds, _app(app_name="renamed"))
    assert changed.changes is True and changed.replaces == []
    secret = _app(inbound_callback_credentials={"user_id": "u", "password": "new"})
    olds["inbound_callback_credentials"] = {"user_id": "u", "password": "old"}
    assert provider.diff(APP_ID, olds, secret).changes is True


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"peer_name": "staging"}, "site_id"),
        ({"site_id": "14"}, "peer_name"),
        ({"site_id": "14", "peer_name": ""}, "peer_name"),
        ({"site_id": "14", "peer_name": "s", "is_default_peer": "yes"}, "is_default_peer"),
    ],
)
def test_location_check_names_the_bad_field(inputs: dict[str, Any], field: str) -> None:
    assert field in _failed(LocationProvider(), inputs)


def test_location_check_writes_numeric_site_ids_as_text_and_every_change_replaces() -> None:
    provider = LocationProvider()
    result = provider.check({}, {"site_id": 14.0, "peer_name": "staging"})
    assert result.failures == [] and result.inputs["site_id"] == "14"
    olds = {"site_id": "14", "peer_name": "staging", "sip_peer_id": "552", "is_default": True}
    assert provider.diff("552", olds, {"site_id": "14", "peer_name": "staging"}).changes is False
    renamed = provider.diff("552", olds, {"site_id": "14", "peer_name": "other"})
    assert renamed.replaces == ["peer_name"]


def _messaging(**extra: Any) -> dict[str, Any]:
    return {"site_id": "14", "sip_peer_id": "552", "application_id": APP_ID, **extra}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"application_id": ""}, "application_id"),
        ({"sip_peer_id": None}, "sip_peer_id"),
        ({"site_id": "14/552"}, "site_id"),
        ({"zone1": False}, "zone1"),
        ({"toll_free": "yes"}, "toll_free"),
        ({"mms": 1}, "mms"),
    ],
)
def test_location_messaging_check_names_the_bad_field(change: dict[str, Any], field: str) -> None:
    assert field in _failed(LocationMessagingProvider(), _messaging(**change))


def test_location_messaging_diff_sees_a_feature_turned_off_and_a_changed_application() -> None:
    provider = LocationMessagingProvider()
    news = dict(provider.check({}, _messaging(mms=True)).inputs)
    olds = {**news, "sms_enabled_by_resource": True, "mms_enabled_by_resource": True}
    assert provider.diff("14/552", olds, news).changes is False
    for drift in ({"sms_enabled": False}, {"mms": False}, {"application_id": "other"}):
        result = provider.diff("14/552", {**olds, **drift}, news)
        assert result.changes is True and result.replaces == []
    moved = provider.diff("14/552", olds, {**news, "sip_peer_id": "553"})
    assert moved.replaces == ["sip_peer_id"]
