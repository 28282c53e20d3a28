"""Messaging API v2: send (202), status and inbound webhooks with challenge auth
(bandwidth-api-v2.md 4), over raw HTTP against a running emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from _emu_helpers import (
    Api,
    Receiver,
    app_body,
    create_app,
    create_peer,
    import_into,
    messaging_location,
    wait_for,
)

NUMBER = "9195550100"
OWNED = "+1" + NUMBER
CALLBACK_TYPES = (
    "<RequestedCallbackTypes><CallbackType>message-delivered</CallbackType>"
    "<CallbackType>message-failed</CallbackType></RequestedCallbackTypes>"
)


def _app_with_hooks(api: Api, receiver: Receiver, creds: bool = False) -> str:
    user, password = receiver.credentials
    cred = (
        f"<InboundCallbackCreds><UserId>{user}</UserId><Password>{password}</Password>"
        f"</InboundCallbackCreds><OutboundCallbackCreds><UserId>{user}</UserId>"
        f"<Password>{password}</Password></OutboundCallbackCreds>"
        if creds
        else ""
    )
    extra = f"<OutboundCallbackUrl>{receiver.url}/out</OutboundCallbackUrl>{cred}{CALLBACK_TYPES}"
    return create_app(api, app_body(inbound=f"{receiver.url}/in", extra=extra))


@pytest.fixture
def app_id(api: Api, receiver: Receiver) -> str:
    """A messaging application whose Location holds NUMBER."""
    app = _app_with_hooks(api, receiver)
    import_into(api, messaging_location(api, app), NUMBER)
    return app


def _send(api: Api, body: dict[str, Any], **kw: Any) -> requests.Response:
    kw.setdefault("auth", api.dash_auth)
    url = f"{api.emu.messaging_url}/users/{api.emu.account_id}/messages"
    return requests.post(url, json=body, timeout=10, **kw)


def _message(app_id: str, to: str = "+19195550199", **extra: Any) -> dict[str, Any]:
    return {"applicationId": app_id, "to": [to], "from": OWNED, "text": "hi", **extra}


def _webhooks(api: Api, count: int) -> list[dict[str, Any]]:
    def ready() -> list[dict[str, Any]] | None:
        found = [c for c in api.emu.control.callbacks() if c["kind"] == "webhook"]
        return found if len(found) >= count else None

    found: list[dict[str, Any]] = wait_for(ready)
    return found


def test_send_answers_202_with_the_documented_message(api: Api, app_id: str) -> None:
    response = _send(api, _message(app_id, tag="t-1"))
    assert response.status_code == 202
    body = response.json()
    assert body["applicationId"] == app_id and body["from"] == OWNED and body["owner"] == OWNED
    assert body["to"] == ["+19195550199"] and body["direction"] == "out"
    assert body["segmentCount"] == 1 and body["priority"] == "default" and body["tag"] == "t-1"
    assert body["time"].endswith("Z") and body["id"][:13].isdigit()
    assert api.emu.messaging_url.endswith("/api/v2")


def test_delivered_event_goes_to_the_outbound_url_as_a_json_array(
    api: Api, app_id: str, receiver: Receiver
) -> None:
    message_id = _send(api, _message(app_id, tag="t-2")).json()["id"]
    [record] = _webhooks(api, 1)
    assert record["url"].endswith("/hook/out") and record["delivered"]
    hit = next(r for r in receiver.requests if r.path == "/hook/out")
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["User-Agent"] == "BandwidthAPI/v2"
    [event] = json.loads(hit.body)
    assert event["type"] == "message-delivered" and event["to"] == "+19195550199"
    assert event["message"]["id"] == message_id and event["message"]["tag"] == "t-2"
    assert event["message"]["text"] == "" and event["message"]["to"] == ["+19195550199"]


def test_an_undeliverable_number_gets_message_failed_with_its_error_code(
    api: Api, app_id: str
) -> None:
    api.emu.control.numbers(undeliverable={"+19195550177": 4432})
    assert _send(api, _message(app_id, to="+19195550188")).status_code == 202
    assert _send(api, _message(app_id, to="+19195550177")).status_code == 202
    delivered, failed_record = _webhooks(api, 2)
    assert delivered["body"][0]["type"] == "message-delivered"
    failed = failed_record["body"][0]
    assert failed["type"] == "message-failed" and failed["errorCode"] == 4432
    assert failed["description"] == "forbidden to country"


def test_only_the_accounts_numbers_in_service_may_send(api: Api, app_id: str) -> None:
    body = _message(app_id)
    body["from"] = "+19195550111"
    response = _send(api, body)
    assert response.status_code == 400
    error = response.json()
    assert error["type"] == "request-validation"
    assert error["fieldErrors"][0]["fieldName"] == "from"


def test_application_id_must_be_a_messaging_application(api: Api, app_id: str) -> None:
    unknown = _send(api, _message("93de2206-9669-4e07-948d-329f4b722ee2"))
    assert unknown.status_code == 400
    assert unknown.json()["fieldErrors"][0]["fieldName"] == "applicationId"
    missing = _send(api, {"to": ["+19195550199"], "from": OWNED})
    assert missing.status_code == 400


def test_a_number_whose_location_has_another_application_sends_but_nothing_arrives(
    api: Api, app_id: str, receiver: Receiver
) -> None:
    other = _app_with_hooks(api, receiver)
    vanished = _send(api, _message(other))
    assert vanished.status_code == 202  # "202 accepted, never delivered" (v2 doc 3)
    delivered = _send(api, _message(app_id)).json()["id"]
    [record] = _webhooks(api, 1)  # delivery is in order: the first message made none
    assert record["message_id"] == delivered
    states = {m["id"]: m["state"] for m in api.emu.control.state()["messages_v2"]}
    assert states[vanished.json()["id"]] == "vanished"


def test_inbound_message_reaches_the_locations_application_with_challenge_auth(
    api: Api, receiver: Receiver
) -> None:
    receiver.mode = "challenge"
    app = _app_with_hooks(api, receiver, creds=True)
    import_into(api, messaging_location(api, app), NUMBER)
    result = api.emu.control.inbound("+19195550199", OWNED, "hello")
    assert result["platform"] == "v2" and result["url"].endswith("/hook/in")
    [record] = _webhooks(api, 1)
    assert [a["authorization"] for a in record["auth_attempts"]] == [False, True]
    assert record["response_status"] == 200 and record["delivered"]
    first, second = [r for r in receiver.requests if r.path == "/hook/in"]
    assert "Authorization" not in first.headers and second.headers["Authorization"]
    [event] = json.loads(second.body)
    assert event["type"] == "message-received" and event["to"] == OWNED
    assert event["message"]["text"] == "hello" and event["message"]["direction"] == "in"
    assert event["message"]["applicationId"] == app


def test_messaging_auth_basic_bearer_and_other_accounts(api: Api, app_id: str) -> None:
    wrong = _send(api, _message(app_id), auth=("emulator-user", "nope"))
    assert wrong.status_code == 401 and wrong.json()["type"] == "unauthorized"
    token = requests.post(
        api.emu.token_url,
        auth=(api.emu.client_id, api.emu.client_secret),
        data={"grant_type": "client_credentials"},
        timeout=10,
    ).json()["access_token"]
    bearer = _send(api, _message(app_id), auth=None, headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 202
    url = f"{api.emu.messaging_url}/users/1234567/messages"
    other = requests.post(url, json=_message(app_id), auth=api.dash_auth, timeout=10)
    assert other.status_code == 403 and other.json()["type"] == "forbidden"


def test_a_body_that_is_not_json_is_a_validation_error(api: Api) -> None:
    url = f"{api.emu.messaging_url}/users/{api.emu.account_id}/messages"
    response = requests.post(url, data=b"{nope", auth=api.dash_auth, timeout=10)
    assert response.status_code == 400 and response.json()["type"] == "request-validation"


def test_location_without_an_application_falls_back_to_catapult_inbound(api: Api) -> None:
    import_into(api, create_peer(api), NUMBER)
    response = requests.post(
        f"{api.emu.base_url}/_emulator/inbound",
        json={"from": "+19195550199", "to": OWNED, "text": "x"},
        timeout=10,
    )
    assert response.status_code == 404  # no Catapult binding either
