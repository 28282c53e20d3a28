"""The runtime's Messaging API v2 client shares the process's OAuth2 token with the Dashboard,
and a 401 drops that token once (a replay server stands in for Bandwidth)."""

from __future__ import annotations

import json

from bw_pulumi._runtime import RUNTIME
from bw_pulumi.config import Settings
from tests._replay_server import Recorded, ReplayServer, Reply

ACC = "9900778"
APP = "93de2206-9669-4e07-948d-329f4b722ee2"
JSON = {"Content-Type": "application/json"}
TOKEN_PATH = "/api/v1/oauth2/token"
# bandwidth-api-v2.md "Sample payloads": the 202 answer to a send.
ACCEPTED = {
    "id": "14762070468292kw2fuqty55yp2b2",
    "owner": "+12345678901",
    "applicationId": APP,
    "time": "2021-07-21T21:00:45.179Z",
    "segmentCount": 1,
    "direction": "out",
    "to": ["+12345678902"],
    "from": "+12345678901",
    "text": "Hello World",
}


def settings(server: ReplayServer) -> Settings:
    return Settings.load(
        {
            "bandwidth:accountId": ACC,
            "bandwidth:dashboardUrl": server.url + "/api",
            "bandwidth:clientId": "c",
            "bandwidth:clientSecret": "s",
            "bandwidth:oauthTokenUrl": server.url + TOKEN_PATH,
            "bandwidth:messagingUrl": server.url + "/api/v2",
        },
        env={},
    )


def test_messaging_uses_the_dashboards_token_and_renews_it_once_on_a_401(
    server: ReplayServer,
) -> None:
    issued: list[str] = []
    refused = {"tok-1"}

    def answer(rec: Recorded) -> Reply:
        if rec.path == TOKEN_PATH:
            issued.append(f"tok-{len(issued) + 1}")
            token = {"access_token": issued[-1], "token_type": "Bearer", "expires_in": 3600}
            return Reply(200, json.dumps(token).encode(), JSON)
        if rec.path.startswith("/api/accounts/"):
            return Reply(200, b"<TNs><TotalCount>0</TotalCount></TNs>", {})
        if rec.headers.get("Authorization", "")[7:] in refused:
            return Reply(401, b"{}", JSON)
        return Reply(202, json.dumps(ACCEPTED).encode(), JSON)

    server.respond_with(answer)
    RUNTIME.dashboard(settings(server)).in_service_total()
    sent = RUNTIME.messaging(settings(server)).send(APP, "+12345678901", "+12345678902", "a")
    assert sent.message_id == ACCEPTED["id"]
    assert issued == ["tok-1", "tok-2"]  # the Dashboard's token, then one renewal on the 401
    sends = [r for r in server.requests if r.path.endswith("/messages")]
    assert [r.headers["Authorization"] for r in sends] == ["Bearer tok-1", "Bearer tok-2"]
    RUNTIME.messaging(settings(server)).send(APP, "+12345678901", "+12345678902", "b")
    assert issued == ["tok-1", "tok-2"]
