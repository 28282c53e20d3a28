"""MessagingApplication against the emulator over real HTTP: the lifecycle steps (create, no-op
diff, refresh without drift, an out-of-band edit seen and repaired, delete leaves nothing),
adoption, `get`, write-only passwords, and a refused delete that names the Location."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ReadResult
from pulumi.runtime.rpc import unwrap_rpc_secret

from bw_pulumi import (
    LocationMessagingProvider,
    LocationProvider,
    MessagingApplicationProvider,
)
from bw_pulumi.clients.dashboard_apps import DashboardAppsClient
from bw_pulumi.clients.dashboard_apps_models import MessagingAppSpec
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import AdoptionMismatch, BandwidthError, NotFound

from .conftest import configured, dashboard

HOOK = "https://hooks.example.com/bw"
SITE = "14"


def apps(emu: Emulator) -> DashboardAppsClient:
    return DashboardAppsClient(dashboard(emu))


def checked(provider: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def app_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "app_name": "hosted-sms",
        "inbound_callback_url": HOOK + "/in",
        "outbound_callback_url": HOOK + "/status",
        "inbound_callback_credentials": {"user_id": "bw", "password": "in-pass-1"},
        "requested_callback_types": ["message-delivered", "message-failed"],
        **extra,
    }


def live_app(emu: Emulator, app_id: str) -> dict[str, Any]:
    [app] = [a for a in emu.control.state()["dashboard_applications"] if a["id"] == app_id]
    return app


def unwrapped(result: ReadResult) -> dict[str, Any]:
    return {k: unwrap_rpc_secret(v) for k, v in (result.inputs or {}).items()}


def test_messaging_application_lifecycle(emu: Emulator) -> None:
    provider = configured(MessagingApplicationProvider, emu)
    inputs = checked(provider, app_inputs())
    created = provider.create(inputs)
    outs = created.outs
    live = live_app(emu, created.id)
    assert live["service_type"] == "Messaging-V2"
    assert (live["inbound_user"], live["inbound_password"]) == ("bw", "in-pass-1")
    assert outs["application_id"] == created.id
    assert provider.diff(created.id, outs, inputs).changes is False

    refreshed = provider.read(created.id, outs)
    assert refreshed.outs == outs  # the write-only password is carried, never drift
    assert unwrapped(refreshed) == inputs
    assert provider.diff(created.id, refreshed.outs, inputs).changes is False

    # Out of band, as a person in the portal: a PATCH of one URL (the password stays).
    spec = MessagingAppSpec("hosted-sms", HOOK + "/moved")
    apps(emu).patch_application(created.id, spec, frozenset({"inbound_callback_url"}))
    drifted = provider.read(created.id, outs)
    assert drifted.outs["inbound_callback_url"] == HOOK + "/moved"
    assert {k for k in outs if drifted.outs.get(k) != outs[k]} == {"inbound_callback_url"}
    assert provider.diff(created.id, drifted.outs, inputs).changes is True

    updated = provider.update(created.id, drifted.outs, inputs)
    assert updated.outs == outs
    live = live_app(emu, created.id)
    assert live["inbound_callback_url"] == HOOK + "/in"
    assert live["inbound_password"] == "in-pass-1"  # the full PUT resent it

    provider.delete(created.id, updated.outs)
    assert emu.control.state()["dashboard_applications"] == []
    assert provider.read(created.id, updated.outs).id is None


def test_a_new_password_is_sent_and_kept_secret_from_reads(emu: Emulator) -> None:
    provider = configured(MessagingApplicationProvider, emu)
    inputs = checked(provider, app_inputs())
    created = provider.create(inputs)
    news = checked(
        provider,
        app_inputs(inbound_callback_credentials={"user_id": "bw", "password": "in-pass-2"}),
    )
    assert provider.diff(created.id, created.outs, news).changes is True
    provider.update(created.id, created.outs, news)
    assert live_app(emu, created.id)["inbound_password"] == "in-pass-2"
    read = provider.read(created.id, {**created.outs, **news})
    creds = read.inputs["inbound_callback_credentials"]  # type: ignore[index]
    assert unwrap_rpc_secret(creds) == {"user_id": "bw", "password": "in-pass-2"}
    assert creds != unwrap_rpc_secret(creds)  # wrapped as a secret for the engine


def test_get_reads_every_field_from_the_id_alone_without_a_password(emu: Emulator) -> None:
    provider = configured(MessagingApplicationProvider, emu)
    created = provider.create(checked(provider, app_inputs()))
    got = configured(MessagingApplicationProvider, emu).read(created.id, {})
    assert got.id == created.id
    assert got.outs["app_name"] == "hosted-sms"
    assert got.outs["outbound_callback_url"] == HOOK + "/status"
    assert got.outs["inbound_callback_credentials"] == {"user_id": "bw"}
    assert got.outs["requested_callback_types"] == ["message-delivered", "message-failed"]


def test_adoption_converges_the_live_application_and_a_missing_one_fails(emu: Emulator) -> None:
    client = apps(emu)
    existing = client.create_application(MessagingAppSpec("old-name", HOOK + "/old"))
    provider = configured(MessagingApplicationProvider, emu)
    inputs = checked(provider, app_inputs(adopt_application_id=existing.application_id))
    adopted = provider.create(inputs)
    assert adopted.id == existing.application_id
    live = live_app(emu, adopted.id)
    assert (live["app_name"], live["inbound_password"]) == ("hosted-sms", "in-pass-1")
    assert len(emu.control.state()["dashboard_applications"]) == 1

    missing = checked(
        provider, app_inputs(adopt_application_id="00000000-0000-4000-8000-000000000000")
    )
    with pytest.raises(NotFound, match="adopt_application_id"):
        provider.create(missing)


def test_adopting_a_voice_application_is_refused(emu: Emulator) -> None:
    body = (
        b"<Application><ServiceType>Voice-V2</ServiceType><AppName>calls</AppName>"
        b"<CallInitiatedCallbackUrl>https://v.example.com</CallInitiatedCallbackUrl>"
        b"</Application>"
    )
    response = dashboard(emu).transport.request(
        "POST",
        dashboard(emu)._path("applications"),
        data=body,
        headers={"Content-Type": "application/xml"},
    )
    voice_id = response.headers["Location"].rsplit("/", 1)[-1]
    provider = configured(MessagingApplicationProvider, emu)
    with pytest.raises(AdoptionMismatch, match="Voice-V2"):
        provider.create(checked(provider, app_inputs(adopt_application_id=voice_id)))


def test_delete_refused_while_a_location_uses_it_names_the_location(emu: Emulator) -> None:
    provider = configured(MessagingApplicationProvider, emu)
    app = provider.create(checked(provider, app_inputs()))
    locations = configured(LocationProvider, emu)
    peer = locations.create(checked(locations, {"site_id": SITE, "peer_name": "staging"}))
    messaging = configured(LocationMessagingProvider, emu)
    messaging.create(
        checked(messaging, {"site_id": SITE, "sip_peer_id": peer.id, "application_id": app.id})
    )
    with pytest.raises(BandwidthError) as caught:
        provider.delete(app.id, app.outs)
    text = str(caught.value)
    assert "12107" in text and "'staging'" in text and f"sip peer {peer.id}" in text
    assert "Traceback" not in text and len(text.splitlines()) <= 2
    assert len(emu.control.state()["dashboard_applications"]) == 1
