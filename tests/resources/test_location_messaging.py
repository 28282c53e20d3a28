"""Location and LocationMessaging against the emulator over real HTTP: lifecycles, drift
(application unassigned, a feature switched off), features the resource did not enable left
alone, and Bandwidth's order constraints."""

from __future__ import annotations

from typing import Any

import pytest

from bw_pulumi import LocationMessagingProvider, LocationProvider, MessagingApplicationProvider
from bw_pulumi.clients.dashboard_apps_models import SmsFeatureSettings
from bw_pulumi.clients.dashboard_models import Address, ImportOrderRequest
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import AdoptionMismatch, BandwidthError, NotFound

from .conftest import configured, dashboard
from .test_messaging_application import app_inputs, apps, checked

SITE = "14"


def peers(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in emu.control.state()["sip_peers"]}


def make_location(emu: Emulator, name: str = "staging") -> str:
    provider = configured(LocationProvider, emu)
    return provider.create(checked(provider, {"site_id": SITE, "peer_name": name})).id


def make_app(emu: Emulator) -> str:
    provider = configured(MessagingApplicationProvider, emu)
    return provider.create(checked(provider, app_inputs())).id


def test_location_lifecycle_and_get_from_the_peer_id_alone(emu: Emulator) -> None:
    provider = configured(LocationProvider, emu)
    inputs = checked(provider, {"site_id": SITE, "peer_name": "staging"})
    created = provider.create(inputs)
    assert created.outs["sip_peer_id"] == created.id
    assert peers(emu)[created.id]["site_id"] == SITE
    assert provider.diff(created.id, created.outs, inputs).changes is False
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.outs == created.outs
    got = configured(LocationProvider, emu).read(created.id, {})
    assert (got.outs["site_id"], got.outs["peer_name"]) == (SITE, "staging")
    provider.delete(created.id, created.outs)
    assert created.id not in peers(emu)
    assert provider.read(created.id, created.outs).id is None


def test_location_adoption_takes_the_peer_and_refuses_another_name(emu: Emulator) -> None:
    existing = apps(emu).create_sip_peer(SITE, "by-hand", None)
    provider = configured(LocationProvider, emu)
    adopted = provider.create(
        checked(provider, {"site_id": SITE, "peer_name": "by-hand", "adopt_sip_peer_id": existing})
    )
    assert adopted.id == existing and len(peers(emu)) == 1
    with pytest.raises(AdoptionMismatch, match="'by-hand'"):
        provider.create(
            checked(
                provider, {"site_id": SITE, "peer_name": "other", "adopt_sip_peer_id": existing}
            )
        )


def test_location_messaging_lifecycle(emu: Emulator) -> None:
    peer, app = make_location(emu), make_app(emu)
    provider = configured(LocationMessagingProvider, emu)
    inputs = checked(
        provider,
        {"site_id": SITE, "sip_peer_id": peer, "application_id": app, "mms": True, "zone2": True},
    )
    created = provider.create(inputs)
    assert created.id == f"{SITE}/{peer}"
    assert created.outs["sms_enabled_by_resource"] and created.outs["mms_enabled_by_resource"]
    live = peers(emu)[peer]
    assert live["application_id"] == app and live["mms"] == "HTTP"
    assert provider.diff(created.id, created.outs, inputs).changes is False
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.outs == created.outs
    assert provider.diff(created.id, refreshed.outs, inputs).changes is False

    # Out of band: the application unassigned and MMS switched off.
    client = apps(emu)
    client.assign_application(SITE, peer, None)
    client.delete_mms_feature(SITE, peer)
    drifted = provider.read(created.id, created.outs)
    assert "application_id" not in drifted.outs and drifted.outs["mms"] is False
    assert provider.diff(created.id, drifted.outs, inputs).changes is True
    repaired = provider.update(created.id, drifted.outs, inputs)
    assert repaired.outs == created.outs
    live = peers(emu)[peer]
    assert live["application_id"] == app and live["mms"] == "HTTP"

    provider.delete(created.id, repaired.outs)
    live = peers(emu)[peer]
    assert (live["application_id"], live["mms"], live["sms"]) == (None, None, None)
    assert provider.read(created.id, repaired.outs).outs["sms_enabled"] is False


def test_sms_switched_off_shows_as_drift_and_update_switches_it_back_on(emu: Emulator) -> None:
    peer, app = make_location(emu), make_app(emu)
    provider = configured(LocationMessagingProvider, emu)
    inputs = checked(provider, {"site_id": SITE, "sip_peer_id": peer, "application_id": app})
    created = provider.create(inputs)
    apps(emu).assign_application(SITE, peer, None)
    apps(emu).delete_sms_feature(SITE, peer)
    drifted = provider.read(created.id, created.outs)
    assert drifted.outs["sms_enabled"] is False
    provider.update(created.id, drifted.outs, inputs)
    assert peers(emu)[peer]["sms"] is not None and peers(emu)[peer]["application_id"] == app


def test_features_there_before_are_kept_on_delete(emu: Emulator) -> None:
    peer, app = make_location(emu), make_app(emu)
    apps(emu).create_sms_feature(SITE, peer, SmsFeatureSettings(toll_free=True))
    provider = configured(LocationMessagingProvider, emu)
    inputs = checked(
        provider, {"site_id": SITE, "sip_peer_id": peer, "application_id": app, "mms": True}
    )
    created = provider.create(inputs)
    assert created.outs["sms_enabled_by_resource"] is False
    assert created.outs["mms_enabled_by_resource"] is True
    provider.delete(created.id, created.outs)
    live = peers(emu)[peer]
    assert live["application_id"] is None and live["mms"] is None
    assert live["sms"] is not None  # it was there before: left alone
    assert apps(emu).get_sms_feature(SITE, peer) == SmsFeatureSettings(toll_free=True)


def test_dropping_mms_removes_it_only_when_this_resource_enabled_it(emu: Emulator) -> None:
    peer, app = make_location(emu), make_app(emu)
    provider = configured(LocationMessagingProvider, emu)
    base = {"site_id": SITE, "sip_peer_id": peer, "application_id": app}
    with_mms = checked(provider, {**base, "mms": True})
    created = provider.create(with_mms)
    updated = provider.update(created.id, created.outs, checked(provider, base))
    assert peers(emu)[peer]["mms"] is None and updated.outs["mms_enabled_by_resource"] is False


def test_a_failed_create_switches_off_what_it_switched_on(emu: Emulator) -> None:
    peer = make_location(emu)
    provider = configured(LocationMessagingProvider, emu)
    inputs = checked(
        provider,
        {
            "site_id": SITE,
            "sip_peer_id": peer,
            "application_id": "00000000-0000-4000-8000-000000000000",  # no such application
            "mms": True,
        },
    )
    with pytest.raises(BandwidthError) as caught:
        provider.create(inputs)
    assert "13629" in str(caught.value)
    live = peers(emu)[peer]
    assert (live["sms"], live["mms"], live["application_id"]) == (None, None, None)


def test_a_missing_location_fails_naming_it(emu: Emulator) -> None:
    provider = configured(LocationMessagingProvider, emu)
    inputs = checked(provider, {"site_id": SITE, "sip_peer_id": "999999", "application_id": "a"})
    with pytest.raises(NotFound, match=r"Location 999999 \(site 14\) does not exist"):
        provider.create(inputs)


def test_sms_kept_while_numbers_remain_is_reported_in_one_line(emu: Emulator) -> None:
    peer, app = make_location(emu), make_app(emu)
    provider = configured(LocationMessagingProvider, emu)
    created = provider.create(
        checked(provider, {"site_id": SITE, "sip_peer_id": peer, "application_id": app})
    )
    address = Address("900", "Main Campus Dr", "Raleigh", "NC", "27606")
    order = ImportOrderRequest(
        telephone_numbers=["9195550111"],
        site_id=SITE,
        subscriber_name="Acme",
        service_address=address,
        loa_authorizing_person="Jane Doe",
        sip_peer_id=peer,
    )
    placed = dashboard(emu).create_import_order(order)
    assert dashboard(emu).get_import_order(placed.order_id).status == "COMPLETE"
    assert emu.control.state()["in_service_peers"] == {"9195550111": peer}
    with pytest.raises(BandwidthError) as caught:
        provider.delete(created.id, created.outs)
    text = str(caught.value)
    assert "13673" in text and f"SMS stays on Location {peer} (site 14)" in text
    assert "Traceback" not in text and len(text.splitlines()) <= 2
    assert peers(emu)[peer]["application_id"] is None  # unassigned before the refusal
