"""Dashboard applications of the current platform (bandwidth-api-v2.md 2), over raw HTTP."""

from __future__ import annotations

import uuid

import pytest
import requests
from _emu_helpers import Api, app_body, create_app, messaging_location

from bw_pulumi import _xml

CREDS = (
    "<InboundCallbackCreds><UserId>in-user</UserId><Password>in-secret</Password>"
    "</InboundCallbackCreds>"
)


def _code(response_text: str) -> str | None:
    return _xml.find_text(_xml.parse(response_text), "ErrorCode")


def test_create_answers_201_with_the_body_and_a_location_header(api: Api) -> None:
    extra = (
        "<OutboundCallbackUrl>https://example2.com</OutboundCallbackUrl>"
        f"{CREDS}<RequestedCallbackTypes><CallbackType>message-delivered</CallbackType>"
        "<CallbackType>message-failed</CallbackType></RequestedCallbackTypes>"
    )
    response = api.d("POST", "/applications", data=app_body(extra=extra))
    assert response.status_code == 201
    doc = _xml.parse(response.content)
    assert doc.tag == "ApplicationProvisioningResponse"
    app_id = _xml.find_text(doc, "ApplicationId")
    assert app_id is not None and uuid.UUID(app_id)
    assert response.headers["Location"].endswith(
        f"/api/accounts/{api.emu.account_id}/applications/{app_id}"
    )
    assert _xml.find_text(doc, "ServiceType") == "Messaging-V2"
    assert _xml.find_text(doc, "OutboundCallbackUrl") == "https://example2.com"
    assert _xml.texts(doc, "CallbackType") == ["message-delivered", "message-failed"]
    # Passwords are write-only: the creds come back with the UserId only.
    assert _xml.find_text(doc, "UserId") == "in-user"
    assert b"in-secret" not in response.content
    got = api.d("GET", f"/applications/{app_id}")
    assert got.status_code == 200 and b"in-secret" not in got.content
    assert _xml.find_text(_xml.parse(got.content), "AppName") == "EBVICs"


def test_list_holds_every_application_and_an_empty_list_is_an_empty_element(api: Api) -> None:
    empty = _xml.parse(api.d("GET", "/applications").content)
    assert _xml.find(empty, "ApplicationList") is not None
    first, second = create_app(api), create_app(api, app_body(name="Other"))
    doc = _xml.parse(api.d("GET", "/applications").content)
    assert set(_xml.texts(doc, "ApplicationId")) == {first, second}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (app_body(service_type="Fax"), "12801"),
        (app_body(inbound=None), "12802"),
        (app_body(inbound="not a url"), "12803"),
        (app_body(name=""), "12806"),
        (app_body(inbound="http://example.com/in", extra=CREDS), "12812"),
        (
            app_body(extra="<InboundCallbackCreds><Password>p</Password></InboundCallbackCreds>"),
            "12800",
        ),
        (
            app_body(extra="<InboundCallbackCreds><UserId>u</UserId></InboundCallbackCreds>"),
            "12977",
        ),
        ("<Nothing/>", "1003"),
    ],
)
def test_invalid_application_is_refused_with_bandwidths_code(
    api: Api, body: str, code: str
) -> None:
    response = api.d("POST", "/applications", data=body)
    assert response.status_code == 400
    assert _code(response.text) == code
    assert _xml.parse(response.content).tag == "ApplicationProvisioningResponse"
    assert api.emu.control.state()["dashboard_applications"] == []


def test_put_replaces_every_field_and_patch_only_those_sent(api: Api) -> None:
    extra = "<OutboundCallbackUrl>https://example.com/out</OutboundCallbackUrl>"
    app_id = create_app(api, app_body(extra=extra))
    patched = api.d(
        "PATCH", f"/applications/{app_id}", data="<Application><AppName>New</AppName></Application>"
    )
    assert patched.status_code == 200
    doc = _xml.parse(patched.content)
    assert _xml.find_text(doc, "AppName") == "New"
    assert _xml.find_text(doc, "OutboundCallbackUrl") == "https://example.com/out"
    put = api.d("PUT", f"/applications/{app_id}", data=app_body(name="Put"))
    assert put.status_code == 200
    doc = _xml.parse(api.d("GET", f"/applications/{app_id}").content)
    assert _xml.find_text(doc, "AppName") == "Put"
    assert _xml.find_text(doc, "OutboundCallbackUrl") is None  # full replace


def test_service_type_cannot_change(api: Api) -> None:
    app_id = create_app(api)
    response = api.d("PUT", f"/applications/{app_id}", data=app_body(service_type="Voice-V2"))
    assert response.status_code == 400 and _code(response.text) == "12964"


def test_password_is_kept_when_the_same_user_is_sent_without_it(api: Api) -> None:
    app_id = create_app(api, app_body(extra=CREDS))
    same_user = "<InboundCallbackCreds><UserId>in-user</UserId></InboundCallbackCreds>"
    assert api.d("PUT", f"/applications/{app_id}", data=app_body(extra=same_user)).ok
    stored = api.emu.control.state()["dashboard_applications"][0]
    assert stored["inbound_password"] == "in-secret"
    other_user = "<InboundCallbackCreds><UserId>other</UserId></InboundCallbackCreds>"
    refused = api.d("PUT", f"/applications/{app_id}", data=app_body(extra=other_user))
    assert refused.status_code == 400 and _code(refused.text) == "12976"


def test_unknown_and_malformed_ids(api: Api) -> None:
    missing = api.d("GET", f"/applications/{uuid.uuid4()}")
    assert missing.status_code == 404 and _code(missing.text) == "23019"
    malformed = api.d("GET", "/applications/not-a-uuid")
    assert malformed.status_code == 400 and _code(malformed.text) == "23020"


def test_delete_is_refused_while_a_location_uses_the_application(api: Api) -> None:
    app_id = create_app(api)
    peer = messaging_location(api, app_id)
    associated = _xml.parse(api.d("GET", f"/applications/{app_id}/associatedsippeers").content)
    assert _xml.find_text(associated, "PeerId") == peer
    assert _xml.find_text(associated, "SiteId") == "14"
    refused = api.d("DELETE", f"/applications/{app_id}")
    assert refused.status_code == 400 and _code(refused.text) == "12107"
    assert peer in refused.text  # the refusal names the Location
    remove = "<ApplicationsSettings>REMOVE</ApplicationsSettings>"
    settings = f"/sites/14/sippeers/{peer}/products/messaging/applicationSettings"
    assert api.d("PUT", settings, data=remove).status_code == 200
    empty = _xml.parse(api.d("GET", f"/applications/{app_id}/associatedsippeers").content)
    assert _xml.find(empty, "AssociatedSipPeers") is not None
    assert _xml.find(empty, "AssociatedSipPeer") is None
    assert api.d("DELETE", f"/applications/{app_id}").status_code == 200
    assert api.d("GET", f"/applications/{app_id}").status_code == 404


def test_deprecated_single_url_sets_both_urls_and_every_callback_type(api: Api) -> None:
    body = (
        "<Application><ServiceType>Messaging-V2</ServiceType><AppName>cli</AppName>"
        "<MsgCallbackUrl>https://example.com/cb</MsgCallbackUrl>"
        "<CallbackUrl>https://example.com/cb</CallbackUrl></Application>"
    )
    doc = _xml.parse(api.d("POST", "/applications", data=body).content)
    assert _xml.find_text(doc, "InboundCallbackUrl") == "https://example.com/cb"
    assert _xml.find_text(doc, "OutboundCallbackUrl") == "https://example.com/cb"
    assert len(_xml.texts(doc, "CallbackType")) == 3


def test_the_other_prefixes_and_lowercase_collection_serve_the_same_applications(
    api: Api,
) -> None:
    app_id = create_app(api)
    url = f"{api.emu.base_url}/v1.0/accounts/{api.emu.account_id}/APPLICATIONS/{app_id}"
    assert requests.get(url, auth=api.dash_auth, timeout=10).status_code == 200
