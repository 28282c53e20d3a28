"""When a 404 may be read as "gone": only once the account's own collection has answered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from bw_pulumi import SubscriptionProvider
from bw_pulumi.errors import ConfigError
from tests._replay_server import ReplayServer, Reply, serve, xml_reply

SUB_ID = "2dc59c67-ac53-11ec-9f4c-0242ac110002"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def _provider(server: ReplayServer) -> SubscriptionProvider:
    provider = SubscriptionProvider()
    config = {
        "bandwidth:accountId": "9900000",
        "bandwidth:username": "user",
        "bandwidth:password": "pw",
        "bandwidth:dashboardUrl": server.url + "/api",
    }
    provider.configure(ConfigureRequest(Config(config, "tests")))
    return provider


def test_a_404_is_gone_when_the_account_probe_is_refused_for_a_missing_role(
    server: ReplayServer,
) -> None:
    # bandwidth-api.md 1.2: without the role the server answers 403; the path still exists.
    server.script(Reply(404), xml_reply("dashboard_error_403_access_denied_spec.xml", 403))
    assert _provider(server).read(SUB_ID, {"subscription_id": SUB_ID}).id is None
    assert server.requests[1].path == "/api/accounts/9900000/inserviceNumbers/totals"


def test_a_404_is_a_configuration_error_when_the_account_itself_answers_404(
    server: ReplayServer,
) -> None:
    server.script(Reply(404), Reply(404))
    with pytest.raises(ConfigError, match="bandwidth:dashboardUrl"):
        _provider(server).read(SUB_ID, {"subscription_id": SUB_ID})
