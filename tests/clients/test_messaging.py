"""The Messaging API v2 client against a replay server with the documented payloads
(bandwidth-api-v2.md 4 and "Sample payloads"), and the webhook parser on both shapes."""

from __future__ import annotations

import base64
import json

import pytest

from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients.messaging import MessagingClient, WebhookError, parse_webhook
from bw_pulumi.config import Settings
from bw_pulumi.errors import ServerError, ValidationError
from tests._replay_server import Recorded, ReplayServer, Reply

ACC = "9900778"
APP = "93de2206-9669-4e07-948d-329f4b722ee2"
JSON = {"Content-Type": "application/json"}
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
    "tag": "test message",
    "priority": "default",
}
INBOUND = [
    {
        "type": "message-received",
        "time": "2016-09-14T18:20:16Z",
        "description": "Incoming message received",
        "to": "+12345678902",
        "message": {
            "id": "14762070468292kw2fuqty55yp2b2",
            "time": "2016-09-14T18:20:16Z",
            "to": ["+12345678902"],
            "from": "+12345678901",
            "text": "Hey, check this out!",
            "applicationId": APP,
            "owner": "+12345678902",
            "direction": "in",
            "segmentCount": 1,
        },
    }
]


@pytest.fixture
def client(server: ReplayServer) -> MessagingClient:
    return MessagingClient(server.url + "/api/v2", ACC, ("api-user", "api-pw"))


def test_send_posts_the_documented_body_and_reads_the_202(
    server: ReplayServer, client: MessagingClient
) -> None:
    server.script(Reply(202, json.dumps(ACCEPTED).encode(), JSON))
    sent = client.send_message(APP, "+12345678902", "+12345678901", "Hey, check this out!", tag="t")
    rec = server.last
    assert (rec.method, rec.path) == ("POST", f"/api/v2/users/{ACC}/messages")
    assert json.loads(rec.body) == {
        "applicationId": APP,
        "to": ["+12345678902"],
        "from": "+12345678901",
        "text": "Hey, check this out!",
        "tag": "t",
    }
    basic = base64.b64encode(b"api-user:api-pw").decode()
    assert rec.headers["Authorization"] == f"Basic {basic}"
    assert (sent.message_id, sent.to, sent.segment_count) == (
        ACCEPTED["id"],
        ("+12345678902",),
        1,
    )


def test_a_refused_send_carries_the_type_and_field_errors(
    server: ReplayServer, client: MessagingClient
) -> None:
    body = {
        "type": "request-validation",
        "description": "Your request could not be accepted",
        "fieldErrors": [{"fieldName": "to", "description": "'+1invalid' must be E164"}],
    }
    server.script(Reply(400, json.dumps(body).encode(), JSON))
    with pytest.raises(ValidationError) as caught:
        client.send_message(APP, "+1invalid", "+12345678901", "x")
    text = str(caught.value)
    assert "Bandwidth Messaging POST" in text and "[request-validation]" in text
    assert "to: '+1invalid' must be E164" in text


def test_a_send_is_never_repeated_after_a_5xx(
    server: ReplayServer, client: MessagingClient
) -> None:
    server.script(Reply(503, b"{}", JSON))
    with pytest.raises(ServerError):
        client.send_message(APP, "+12345678902", "+12345678901", "once")
    assert len(server.requests) == 1  # a second POST would send the message twice


def test_webhooks_parse_as_the_documented_array_and_as_a_single_object() -> None:
    [event] = parse_webhook(json.dumps(INBOUND))
    assert (event.type, event.to, event.message.text) == (
        "message-received",
        "+12345678902",
        "Hey, check this out!",
    )
    assert event.message.from_ == "+12345678901"
    failed = {
        "type": "message-failed",
        "time": "2016-09-14T18:20:16Z",
        "description": "forbidden to country",
        "to": "+52345678903",
        "errorCode": 4432,
        "message": {**ACCEPTED, "text": ""},
    }
    [single] = parse_webhook(json.dumps(failed).encode())
    assert (single.type, single.error_code, single.description) == (
        "message-failed",
        4432,
        "forbidden to country",
    )
    with pytest.raises(WebhookError):
        parse_webhook(b'{"no": "type"}')


def test_messaging_uses_the_dashboards_oauth_token(server: ReplayServer) -> None:
    def answer(rec: Recorded) -> Reply:
        if rec.path.endswith("/oauth2/token"):
            token = {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}
            return Reply(200, json.dumps(token).encode(), JSON)
        return Reply(202, json.dumps(ACCEPTED).encode(), JSON)

    server.respond_with(answer)
    settings = Settings.load(
        {
            "bandwidth:accountId": ACC,
            "bandwidth:clientId": "c",
            "bandwidth:clientSecret": "s",
            "bandwidth:oauthUrl": server.url + "/api/v1/oauth2/token",
            "bandwidth:messagingUrl": server.url + "/api/v2",
        },
        env={},
    )
    RUNTIME.messaging(settings).send_message(APP, "+12345678902", "+12345678901", "a")
    RUNTIME.messaging(settings).send_message(APP, "+12345678902", "+12345678901", "b")
    assert [r.path for r in server.requests].count("/api/v1/oauth2/token") == 1
    assert server.last.headers["Authorization"] == "Bearer tok-1"
