"""OAuth2 client credentials over real HTTP: one token per process shared by every thread,
renewed before it expires and once on a 401, and never shown in errors, reprs or pickles."""

from __future__ import annotations

import base64
import json
import pickle
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pytest_mock import MockerFixture

from bw_pulumi import _oauth
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.config import DEFAULT_MESSAGING_URL, DEFAULT_OAUTH_TOKEN_URL, Settings
from bw_pulumi.errors import ConfigError, Unauthorized
from bw_pulumi.resources.subscription import SubscriptionProvider
from tests._replay_server import Recorded, ReplayServer, Reply, serve
from tests.fake_clock import FakeClock

CLIENT_ID, CLIENT_SECRET = "client-7", "s3cret-client-value"
TOKEN_PATH = "/api/v1/oauth2/token"
ACC = "9900778"
SUBS = (
    b"<SubscriptionsResponse><Subscriptions><Subscription><SubscriptionId>s1</SubscriptionId>"
    b"<OrderType>importtnorders</OrderType><CallbackSubscription><URL>https://h.example.com</URL>"
    b"</CallbackSubscription></Subscription></Subscriptions></SubscriptionsResponse>"
)


class Bandwidth:
    """The token endpoint and a Dashboard path on one replay server; tokens ``tok-1``,
    ``tok-2``, ... each valid for ``lifetime`` seconds; ``revoked`` tokens get 401."""

    def __init__(self, server: ReplayServer, lifetime: int = 3600) -> None:
        self.server = server
        self.lifetime = lifetime
        self.issued: list[str] = []
        self.revoked: set[str] = set()
        self.lock = threading.Lock()
        server.respond_with(self.answer)

    def answer(self, rec: Recorded) -> Reply:
        if rec.path == TOKEN_PATH:
            return self.token(rec)
        bearer = rec.headers.get("Authorization", "")
        if not bearer.startswith("Bearer ") or bearer[7:] not in self.issued:
            return Reply(401, b"")
        if bearer[7:] in self.revoked:
            return Reply(401, b"")
        return Reply(200, SUBS, {"Content-Type": "application/xml"})

    def token(self, rec: Recorded) -> Reply:
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = parse_qs(rec.body.decode())
        if rec.headers.get("Authorization") != f"Basic {basic}":
            body = {"error": "invalid_client", "error_description": "Client authentication failed"}
            return Reply(401, json.dumps(body).encode(), {"Content-Type": "application/json"})
        assert form == {"grant_type": ["client_credentials"]}
        with self.lock:
            token = f"tok-{len(self.issued) + 1}"
            self.issued.append(token)
        body = {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    @property
    def api_calls(self) -> list[Recorded]:
        return [r for r in self.server.requests if r.path != TOKEN_PATH]


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def oauth_settings(server: ReplayServer, secret: str = CLIENT_SECRET) -> Settings:
    return Settings.load(
        {
            "bandwidth:accountId": ACC,
            "bandwidth:dashboardUrl": server.url + "/api",
            "bandwidth:clientId": CLIENT_ID,
            "bandwidth:clientSecret": secret,
            "bandwidth:oauthUrl": server.url + TOKEN_PATH,
        },
        env={},
    )


def test_config_reads_oauth_keys_with_env_fallbacks_and_production_defaults() -> None:
    s = Settings.load(
        {"bandwidth:clientId": "c"},
        env={
            "BANDWIDTH_CLIENT_SECRET": "sekrit-value",
            "BANDWIDTH_MESSAGING_URL": "http://127.0.0.1:9/v2/",
        },
    )
    assert s.oauth_client() == ("c", "sekrit-value")
    assert s.messaging_url == "http://127.0.0.1:9/v2"
    assert s.oauth_token_url == DEFAULT_OAUTH_TOKEN_URL
    assert Settings.load({}, env={}).messaging_url == DEFAULT_MESSAGING_URL
    assert Settings.load({}, env={}).oauth_client() is None
    assert "sekrit-value" not in repr(s)


def test_a_client_id_without_its_secret_names_the_missing_key() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.load({"bandwidth:clientId": "c"}, env={}).oauth_client()
    assert "bandwidth:clientSecret" in str(caught.value)
    assert "BANDWIDTH_CLIENT_SECRET" in str(caught.value)


def test_oauth_needs_no_username_or_password_for_the_dashboard(server: ReplayServer) -> None:
    assert oauth_settings(server).dashboard_credentials() == (ACC, "", "")


def test_dashboard_requests_carry_one_bearer_token_shared_by_every_thread(
    server: ReplayServer,
) -> None:
    bandwidth = Bandwidth(server)
    client = RUNTIME.dashboard(oauth_settings(server))
    threads = [threading.Thread(target=client.list_subscriptions) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert bandwidth.issued == ["tok-1"]
    assert len(bandwidth.api_calls) == 8
    assert {r.headers["Authorization"] for r in bandwidth.api_calls} == {"Bearer tok-1"}


def test_the_token_is_renewed_before_it_expires(
    server: ReplayServer, mocker: MockerFixture
) -> None:
    clock = FakeClock()
    mocker.patch.object(_oauth, "time", clock)
    bandwidth = Bandwidth(server, lifetime=600)
    client = RUNTIME.dashboard(oauth_settings(server))
    client.list_subscriptions()
    clock.now += 600 - _oauth.MIN_RENEW_MARGIN - 70  # 100 s left: still used
    client.list_subscriptions()
    assert bandwidth.issued == ["tok-1"]
    clock.now += 71  # 29 s left (the margin is 60 s, a tenth of 600): renewed first
    client.list_subscriptions()
    assert bandwidth.issued == ["tok-1", "tok-2"]
    assert bandwidth.api_calls[-1].headers["Authorization"] == "Bearer tok-2"


def test_a_401_renews_the_token_once_and_resends(server: ReplayServer) -> None:
    bandwidth = Bandwidth(server)
    client = RUNTIME.dashboard(oauth_settings(server))
    client.list_subscriptions()
    bandwidth.revoked.add("tok-1")  # revoked early, as Bandwidth may
    [sub] = client.list_subscriptions()
    assert sub.subscription_id == "s1"
    assert bandwidth.issued == ["tok-1", "tok-2"]
    assert [r.headers["Authorization"] for r in bandwidth.api_calls] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_a_401_to_a_renewed_token_fails_naming_the_client_keys_never_the_token(
    server: ReplayServer,
) -> None:
    bandwidth = Bandwidth(server)
    client = RUNTIME.dashboard(oauth_settings(server))
    bandwidth.revoked.update({"tok-1", "tok-2", "tok-3"})
    with pytest.raises(Unauthorized) as caught:
        client.list_subscriptions()
    text = str(caught.value)
    assert bandwidth.issued == ["tok-1", "tok-2"]  # renewed once, not in a loop
    assert "bandwidth:clientId" in text and "bandwidth:clientSecret" in text
    assert "tok-" not in text and CLIENT_SECRET not in text
    assert "Traceback" not in text


def test_a_refused_client_secret_fails_at_the_token_endpoint_without_echoing_it(
    server: ReplayServer,
) -> None:
    Bandwidth(server)
    client = RUNTIME.dashboard(oauth_settings(server, secret="wrong-secret-value"))
    with pytest.raises(Unauthorized) as caught:
        client.list_subscriptions()
    text = str(caught.value)
    assert "OAuth2 POST /api/v1/oauth2/token failed with HTTP 401" in text
    assert "invalid_client" in text and "bandwidth:clientSecret" in text
    assert "wrong-secret-value" not in text
    source = RUNTIME.token_source(oauth_settings(server, secret="wrong-secret-value"))
    assert "wrong-secret-value" not in repr(source) and "wrong-secret-value" not in repr(client)


def test_the_pickled_provider_holds_neither_the_client_secret_nor_the_token(
    server: ReplayServer,
) -> None:
    bandwidth = Bandwidth(server)
    provider = SubscriptionProvider()
    config = {
        "bandwidth:accountId": ACC,
        "bandwidth:dashboardUrl": server.url + "/api",
        "bandwidth:clientId": CLIENT_ID,
        "bandwidth:clientSecret": CLIENT_SECRET,
        "bandwidth:oauthUrl": server.url + TOKEN_PATH,
    }
    provider.configure(ConfigureRequest(Config(config, "bw-pulumi-tests")))
    provider.dashboard().list_subscriptions()  # a token now exists in this process
    assert bandwidth.issued == ["tok-1"]
    blob = dill.dumps(provider, recurse=True)
    assert CLIENT_SECRET.encode() not in blob and b"tok-1" not in blob
    assert type(pickle.loads(blob)) is SubscriptionProvider
    assert CLIENT_SECRET not in repr(provider.settings)
