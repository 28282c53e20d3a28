"""OAuth2 end to end against the emulator's token endpoint over real HTTP: providers configured
with client credentials only (no username or password) create, read and delete; an expired
token is renewed once; a token close to its end is renewed before it is sent; a message is sent
with the same token."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_mock import MockerFixture

from bw_pulumi import (
    LocationMessagingProvider,
    LocationProvider,
    MessagingApplicationProvider,
    _oauth,
)
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients.dashboard_models import Address, ImportOrderRequest
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import Unauthorized
from bw_pulumi.resources._provider import BaseProvider
from tests.fake_clock import FakeClock

from .conftest import configured, dashboard
from .test_messaging_application import app_inputs, checked

SITE = "14"
TN = "9195550141"


def oauth_config(emu: Emulator, **overrides: str) -> dict[str, str]:
    """Client credentials instead of the Dashboard login (blanked: never used)."""
    return {
        "bandwidth:username": "",
        "bandwidth:password": "",
        "bandwidth:clientId": emu.client_id,
        "bandwidth:clientSecret": emu.client_secret,
        "bandwidth:oauthUrl": emu.token_url,
        "bandwidth:messagingUrl": emu.messaging_url,
        **overrides,
    }


def oauth_provider(cls: type[BaseProvider], emu: Emulator, **overrides: str) -> Any:
    return configured(cls, emu, **oauth_config(emu, **overrides))


def fetches(provider: BaseProvider) -> int:
    source = RUNTIME.token_source(provider.settings)
    assert source is not None
    return source.fetches


def test_resources_work_with_client_credentials_alone(emu: Emulator) -> None:
    apps = oauth_provider(MessagingApplicationProvider, emu)
    app = apps.create(checked(apps, app_inputs()))
    locations = oauth_provider(LocationProvider, emu)
    peer = locations.create(checked(locations, {"site_id": SITE, "peer_name": "staging"}))
    assert apps.read(app.id, app.outs).outs == app.outs
    assert fetches(apps) == 1  # one token for the whole process, every resource
    locations.delete(peer.id, peer.outs)
    apps.delete(app.id, app.outs)
    assert emu.control.state()["dashboard_applications"] == []


def test_an_expired_token_is_renewed_once_and_the_request_resent(emu: Emulator) -> None:
    apps = oauth_provider(MessagingApplicationProvider, emu)
    app = apps.create(checked(apps, app_inputs()))
    emu.control.oauth(expire=True)  # Bandwidth revoked or expired it early
    assert apps.read(app.id, app.outs).outs == app.outs
    assert fetches(apps) == 2


def test_a_token_about_to_expire_is_renewed_before_it_is_sent(
    emu: Emulator, mocker: MockerFixture
) -> None:
    clock = FakeClock()
    mocker.patch.object(_oauth, "time", clock)
    apps = oauth_provider(MessagingApplicationProvider, emu)
    app = apps.create(checked(apps, app_inputs()))
    # The emulator's tokens live an hour, so the renewal margin is a tenth of it, 360 s.
    clock.now += 3600 - 400  # 400 s left: kept
    apps.read(app.id, app.outs)
    assert fetches(apps) == 1
    clock.now += 80  # 320 s left, within the margin: renewed first
    apps.read(app.id, app.outs)
    assert fetches(apps) == 2


def test_a_wrong_client_secret_fails_naming_the_keys_without_echoing_it(emu: Emulator) -> None:
    apps = oauth_provider(
        MessagingApplicationProvider, emu, **{"bandwidth:clientSecret": "nope-x1"}
    )
    inputs = checked(MessagingApplicationProvider(), app_inputs())  # inputs only, no config
    with pytest.raises(Unauthorized) as caught:
        apps.create(inputs)
    text = str(caught.value)
    assert "invalid_client" in text and "bandwidth:clientSecret" in text
    assert "nope-x1" not in text and emu.control.state()["dashboard_applications"] == []


def test_a_message_is_sent_with_the_same_token(emu: Emulator) -> None:
    apps = oauth_provider(MessagingApplicationProvider, emu)
    app = apps.create(checked(apps, app_inputs()))
    locations = oauth_provider(LocationProvider, emu)
    peer = locations.create(checked(locations, {"site_id": SITE, "peer_name": "staging"}))
    messaging = oauth_provider(LocationMessagingProvider, emu)
    messaging.create(
        checked(messaging, {"site_id": SITE, "sip_peer_id": peer.id, "application_id": app.id})
    )
    order = dashboard(emu).create_import_order(
        ImportOrderRequest(
            telephone_numbers=[TN],
            site_id=SITE,
            subscriber_name="Acme",
            service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
            loa_authorizing_person="Jane Doe",
            sip_peer_id=peer.id,
        )
    )
    assert dashboard(emu).get_import_order(order.order_id).status == "COMPLETE"
    sent = RUNTIME.messaging(apps.settings).send_message(
        app.id, "+19195550999", f"+1{TN}", "hello from a bearer token"
    )
    assert sent.application_id == app.id and sent.to == ("+19195550999",)
    assert fetches(apps) == 1
