"""Subscription create on a 409: Bandwidth's duplicate rule is unverified and the emulator has
none (bandwidth-api.md 2.2), so a scripted server plays the real error shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from bw_pulumi import SubscriptionProvider
from bw_pulumi.errors import Conflict
from tests._replay_server import ReplayServer, Reply, serve, xml_reply

DUPLICATE = (
    b"<SubscriptionsResponse><ResponseStatus><ErrorCode>16008</ErrorCode>"
    b"<Description>Duplicate subscription already exists</Description>"
    b"</ResponseStatus></SubscriptionsResponse>"
)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def test_duplicate_subscription_fails_naming_the_existing_id_and_adoption_input(
    server: ReplayServer,
) -> None:
    server.script(
        xml_reply("dashboard_subscriptions_list_ready.xml"),
        Reply(409, DUPLICATE, {"Content-Type": "application/xml"}),
    )
    provider = SubscriptionProvider()
    config = {
        "bandwidth:accountId": "9900000",
        "bandwidth:username": "user",
        "bandwidth:password": "conflict-pa55",
        "bandwidth:dashboardUrl": server.url + "/api",
    }
    provider.configure(ConfigureRequest(Config(config, "tests")))
    inputs = {
        "order_type": "portins",
        "callback_url": "https://myUrl.com/portins",
        "expiry": 3600,
    }
    with pytest.raises(Conflict) as err:
        provider.create(inputs)
    message = str(err.value)
    assert "16008" in message and "adopt_subscription_id" in message
    assert "23bba4e1-50f1-4461-94b1-33d223e886dc" in message
    assert "conflict-pa55" not in message
    assert [r.method for r in server.requests] == ["GET", "POST"]
