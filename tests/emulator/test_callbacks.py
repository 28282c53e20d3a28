"""The order clock, order Notifications with challenge-response auth, and inbound SMS."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from _emu_helpers import (
    Api,
    Receiver,
    create,
    import_body,
    post_order,
    remove_body,
    subscription_body,
    wait_for,
)

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator


@pytest.fixture
def timed() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0.3) as running:
        yield running


def test_order_advances_on_the_clock_and_notifies_with_challenge_auth(
    timed: Emulator, receiver: Receiver
) -> None:
    api = Api(timed)
    receiver.mode = "challenge"
    sid = create(api, subscription_body(url=receiver.url))
    response = api.d("POST", "/importTnOrders", data=import_body("9195550100"))
    assert _xml.find_text(_xml.parse(response.content), "ProcessingStatus") == "RECEIVED"
    order_id = _xml.find_text(_xml.parse(response.content), "OrderId")
    # No API request drives the order: the clock does, and the notification proves it.
    wait_for(lambda: len(receiver.requests) >= 2)
    first, second = receiver.requests[:2]
    assert "Authorization" not in first.headers
    assert second.headers["Authorization"].startswith("Basic ")
    assert second.headers["Content-Type"].startswith("application/xml")
    note = _xml.parse(second.body)
    assert note.tag == "Notification"
    assert _xml.find_text(note, "SubscriptionId") == sid
    assert _xml.find_text(note, "OrderType") == "importtnorders"
    assert _xml.find_text(note, "OrderId") == order_id
    assert _xml.find_text(note, "Status") == "COMPLETE"
    history = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}/history").content)
    assert _xml.texts(history, "Status") == ["received", "processing", "complete"]
    record = wait_for(lambda: timed.control.callbacks())[0]
    assert [a["status"] for a in record["auth_attempts"]] == [401, 200]
    assert [a["authorization"] for a in record["auth_attempts"]] == [False, True]
    assert record["url"] == receiver.url and "<Notification>" in record["body"]
    status = wait_for(
        lambda: (
            _xml.find_text(_xml.parse(api.d("GET", f"/subscriptions/{sid}").content), "Status")
            != "READY"
            and _xml.find_text(_xml.parse(api.d("GET", f"/subscriptions/{sid}").content), "Status")
        )
    )
    assert status == "200 OK"


def test_401_without_challenge_loses_the_callback(api: Api, receiver: Receiver) -> None:
    receiver.mode = "bare401"
    create(api, subscription_body(url=receiver.url))
    post_order(api, "importTnOrders", import_body("9195550100"))
    record = wait_for(lambda: api.emu.control.callbacks())[0]
    assert record["delivered"] is False
    assert [a["authorization"] for a in record["auth_attempts"]] == [False]
    assert len(receiver.requests) == 1


def test_removal_notifies_processing_and_complete_only_to_matching_subscriptions(
    api: Api, receiver: Receiver
) -> None:
    api.emu.control.numbers(in_service=["9195550100"])
    create(api, subscription_body(url=receiver.url, order_type="removeImportedTnOrders"))
    other = "5bb3b642-cbbb-4438-9a44-56069550d603"
    create(
        api,
        subscription_body(
            url=receiver.url + "/x", order_type="removeImportedTnOrders", order_id=other
        ),
    )
    post_order(api, "removeImportedTnOrders", remove_body("9195550100"))
    wait_for(lambda: len(receiver.requests) >= 2)
    statuses = [_xml.find_text(_xml.parse(r.body), "Status") for r in receiver.requests]
    assert statuses == ["PROCESSING", "COMPLETE"]
    assert {r.path for r in receiver.requests} == {"/hook"}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_inbound_sms_reaches_the_application_per_callback_method(
    api: Api, receiver: Receiver, method: str
) -> None:
    response = api.c(
        "POST",
        "/applications",
        json={"name": "sms", "incomingMessageUrl": receiver.url, "callbackHttpMethod": method},
    )
    app_id = response.headers["Location"].rsplit("/", 1)[1]
    api.emu.control.numbers(in_service=["9195550100"])
    imported = api.c(
        "POST",
        "/phoneNumbers",
        json={
            "number": "+19195550100",
            "applicationId": app_id,
            "provider": {
                "providerName": "bandwidth-dashboard",
                "properties": {
                    "accountId": api.emu.account_id,
                    "userName": api.emu.username,
                    "password": api.emu.password,
                },
            },
        },
    )
    assert imported.status_code == 201
    api.emu.control.inbound("+19195550199", "+19195550100", "hello there")
    wait_for(lambda: receiver.requests)
    got = receiver.requests[0]
    assert got.method == method
    query = {k: v[0] for k, v in got.query.items()}
    fields = query if method == "GET" else json.loads(got.body)
    assert fields["eventType"] == "sms" and fields["direction"] == "in"
    assert fields["from"] == "+19195550199" and fields["to"] == "+19195550100"
    assert fields["text"] == "hello there" and fields["state"] == "received"
    assert fields["applicationId"] == app_id and fields["messageId"].startswith("m-")
    record = wait_for(lambda: api.emu.control.callbacks())[0]
    assert record["kind"] == "inbound_sms" and record["response_status"] == 200
