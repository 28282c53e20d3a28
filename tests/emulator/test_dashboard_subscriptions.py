"""Subscriptions over raw HTTP: statuses, Location, the wrapped GET, counting-down Expiry."""

from __future__ import annotations

import re

import pytest
from _emu_helpers import Api, create, fixture_text, fixture_xml, subscription_body, tag_paths

from bw_pulumi import _xml


def test_create_returns_201_without_body_and_location_with_uuid(api: Api) -> None:
    body = fixture_text("dashboard_subscription_create_request_importtnorders.xml")
    response = api.d(
        "POST", "/subscriptions", data=body.replace("{your-callback-url}", "http://x/y")
    )
    assert response.status_code == 201
    assert response.content == b""
    assert re.search(
        rf"/api/accounts/{api.emu.account_id}/subscriptions/[0-9a-f-]{{36}}$",
        response.headers["Location"],
    )


def test_get_one_is_wrapped_like_the_captured_form_and_hides_the_password(api: Api) -> None:
    sid = create(api, subscription_body(expiry="3319"))
    response = api.d("GET", f"/subscriptions/{sid}")
    assert response.status_code == 200
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_subscription_get_wrapped.xml"))
    assert _xml.find_text(root, "SubscriptionId") == sid
    assert _xml.find_text(root, "Status") == "READY"
    assert _xml.find_text(root, "Username") == "hook-user"
    assert b"hook-pass" not in response.content


def test_expiry_comes_back_as_remaining_seconds(api: Api) -> None:
    sid = create(api, subscription_body(expiry="3600"))
    expiry = int(
        _xml.find_text(_xml.parse(api.d("GET", f"/subscriptions/{sid}").content), "Expiry") or 0
    )
    assert 3590 <= expiry < 3600


def test_list_filters_by_order_type_and_a_filter_matching_nothing_is_404(api: Api) -> None:
    create(api, subscription_body())
    create(api, subscription_body(order_type="removeImportedTnOrders"))
    listed = _xml.parse(api.d("GET", "/subscriptions").content)
    assert len(_xml.find_all(listed, "Subscription")) == 2
    assert tag_paths(listed) <= tag_paths(fixture_xml("dashboard_subscriptions_list_ready.xml"))
    only = _xml.parse(
        api.d("GET", "/subscriptions", params={"orderType": "importtnorders"}).content
    )
    assert _xml.texts(only, "OrderType") == ["importtnorders"]
    missing = api.d("GET", "/subscriptions", params={"orderType": "portins"})
    assert missing.status_code == 404
    assert _xml.find_text(_xml.parse(missing.content), "ErrorCode") == "16001"


def test_unknown_order_type_spelling_is_rejected_with_14500(api: Api) -> None:
    response = api.d("POST", "/subscriptions", data=subscription_body(order_type="importTnOrders"))
    assert response.status_code == 404  # a POST failing validation is a 404 (API doc 2.2)
    root = _xml.parse(response.content)
    assert root.tag == "SubscriptionsResponse"
    assert _xml.find_text(root, "ErrorCode") == "14500"


def _with_public_key(body: str, key: str) -> str:
    return body.replace(
        "</CallbackCredentials>", f"<PublicKey>{key}</PublicKey></CallbackCredentials>"
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (subscription_body(url="ftp://127.0.0.1/hook"), "14506"),
        (subscription_body(expiry="-5"), "14501"),
        (subscription_body(expiry="soon"), "14501"),
        (_with_public_key(subscription_body(), "not base64!"), "14504"),
    ],
    ids=["url", "negative-expiry", "non-numeric-expiry", "public-key"],
)
def test_post_failing_validation_answers_404_with_the_validation_code(
    api: Api, body: str, code: str
) -> None:
    response = api.d("POST", "/subscriptions", data=body)
    assert response.status_code == 404
    root = _xml.parse(response.content)
    assert root.tag == "SubscriptionsResponse"
    assert _xml.find_text(root, "ErrorCode") == code
    assert api.d("GET", "/subscriptions").content.count(b"<Subscription>") == 0


def test_post_accepts_a_base64_public_key_without_padding(api: Api) -> None:
    # The guide's sample key ("LStLQ0K") is unpadded BASE64 (API doc 2.1 request fixture).
    sid = create(api, _with_public_key(subscription_body(), "LStLQ0K"))
    assert api.d("GET", f"/subscriptions/{sid}").status_code == 200


def test_put_failing_validation_answers_400_and_keeps_the_subscription(api: Api) -> None:
    sid = create(api, subscription_body())
    for bad in (
        subscription_body(url="ftp://127.0.0.1/hook"),
        _with_public_key(subscription_body(), "not base64!"),
    ):
        response = api.d("PUT", f"/subscriptions/{sid}", data=bad)
        assert response.status_code == 400  # PUT validation stays 400 (API doc 2.5)
        assert _xml.find_text(_xml.parse(response.content), "ErrorCode") in {"14506", "14504"}
    root = _xml.parse(api.d("GET", f"/subscriptions/{sid}").content)
    assert _xml.find_text(root, "URL") == "http://127.0.0.1:9/hook"


def test_put_replaces_everything_and_delete_then_404(api: Api) -> None:
    sid = create(api, subscription_body())
    replaced = (
        "<Subscription><OrderType>importtnorders</OrderType><CallbackSubscription>"
        "<URL>http://127.0.0.1:9/other</URL></CallbackSubscription></Subscription>"
    )
    assert api.d("PUT", f"/subscriptions/{sid}", data=replaced).status_code == 200
    root = _xml.parse(api.d("GET", f"/subscriptions/{sid}").content)
    assert _xml.find_text(root, "URL") == "http://127.0.0.1:9/other"
    assert _xml.find(root, "CallbackCredentials") is None  # omitted credentials are dropped
    assert 86390 <= int(_xml.find_text(root, "Expiry") or 0) <= 86400  # default expiry
    assert api.d("DELETE", f"/subscriptions/{sid}").status_code == 200
    gone = api.d("GET", f"/subscriptions/{sid}")
    assert gone.status_code == 404
    assert _xml.find_text(_xml.parse(gone.content), "ErrorCode") == "16000"
    assert api.d("DELETE", f"/subscriptions/{sid}").status_code == 404
    assert api.d("PUT", f"/subscriptions/{sid}", data=replaced).status_code == 404
