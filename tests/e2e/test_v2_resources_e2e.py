"""The current platform's resources through the real engine: callback passwords only ever as
secrets in state (refresh included), and `X.get(name, id)` from an id alone."""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest
from bw_e2e import assert_no_credentials, emulator, stack_config
from engine import PulumiE2E, is_secret
from pulumi import automation as auto

from bw_pulumi import (
    CallbackCredentials,
    Location,
    LocationArgs,
    LocationMessaging,
    LocationMessagingArgs,
    MessagingApplication,
    MessagingApplicationArgs,
)
from bw_pulumi.emulator import Emulator

PROJECT = "bw-v2-resources"
TYPE = "pulumi-python:dynamic/bandwidth:"
CALLBACK_PASSWORD = "cb-pass-7f3e91"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as running:
        yield running


def owner() -> None:
    app = MessagingApplication(
        "app",
        MessagingApplicationArgs(
            app_name="sms",
            inbound_callback_url="https://hooks.example.com/in",
            inbound_callback_credentials=CallbackCredentials("bw", CALLBACK_PASSWORD),
        ),
    )
    location = Location("location", LocationArgs(site_id="14", peer_name="staging"))
    messaging = LocationMessaging(
        "messaging",
        LocationMessagingArgs(
            site_id=location.site_id,
            sip_peer_id=location.sip_peer_id,
            application_id=app.application_id,
        ),
    )
    pulumi.export("application_id", app.application_id)
    pulumi.export("sip_peer_id", location.sip_peer_id)
    pulumi.export("messaging_id", messaging.id)


def config(emu: Emulator, auth: str) -> dict[str, str | auto.ConfigValue]:
    """The Dashboard login (Basic), or OAuth2 client credentials instead of it."""
    cfg = stack_config(emu, PROJECT)
    if auth == "oauth":
        del cfg["bandwidth:username"], cfg["bandwidth:password"]
        cfg["bandwidth:clientId"] = emu.client_id
        cfg["bandwidth:clientSecret"] = auto.ConfigValue(emu.client_secret, secret=True)
        cfg["bandwidth:oauthUrl"] = emu.token_url
    return cfg


@pytest.mark.parametrize("auth", ["basic", "oauth"])
def test_callback_passwords_are_secret_in_state_and_get_works_from_ids(
    pulumi_e2e: PulumiE2E, emu: Emulator, auth: str
) -> None:
    stack = pulumi_e2e.stack(owner, config=config(emu, auth), project=PROJECT)
    outputs = stack.up().outputs
    assert stack.up().summary.resource_changes == {"same": 4}
    assert stack.refresh().summary.resource_changes == {"same": 4}
    for text in (stack.export_text(), stack.backend_text(), "\n".join(stack.log)):
        assert CALLBACK_PASSWORD not in text and emu.client_secret not in text
        assert "Bearer" not in text
        assert_no_credentials(text)
    app = stack.resources(TYPE + "MessagingApplication")[0]
    assert is_secret(app["inputs"]["inbound_callback_credentials"])
    assert is_secret(app["outputs"]["inbound_callback_credentials"])
    [live] = emu.control.state()["dashboard_applications"]
    assert live["inbound_password"] == CALLBACK_PASSWORD

    ids = {k: outputs[k].value for k in ("application_id", "sip_peer_id", "messaging_id")}

    def reader() -> None:
        got_app = MessagingApplication.get("app", ids["application_id"])
        got_location = Location.get("location", ids["sip_peer_id"])
        got_messaging = LocationMessaging.get("messaging", ids["messaging_id"])
        pulumi.export("app_name", got_app.app_name)
        pulumi.export("peer_name", got_location.peer_name)
        pulumi.export("site_id", got_location.site_id)
        pulumi.export("assigned", got_messaging.application_id)

    other = pulumi_e2e.stack(reader, config=config(emu, auth), stack_name="reader", project=PROJECT)
    read = other.up().outputs
    assert read["app_name"].value == "sms"
    assert (read["peer_name"].value, read["site_id"].value) == ("staging", "14")
    assert read["assigned"].value == ids["application_id"]
    assert other.destroy().summary.resource_changes == {"delete": 1, "discard": 3}
    assert len(emu.control.state()["dashboard_applications"]) == 1  # left alone

    assert stack.destroy().summary.resource_changes == {"delete": 4}
    state = emu.control.state()
    assert state["dashboard_applications"] == [] and state["sip_peers"] == []
