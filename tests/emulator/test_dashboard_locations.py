"""Sites, SIP peers (Locations) and their messaging products (bandwidth-api-v2.md 3)."""

from __future__ import annotations

import requests
from _emu_helpers import (
    MMS_ON,
    SMS_ON,
    Api,
    app_body,
    create_app,
    create_peer,
    import_body,
    messaging_location,
    post_order,
    remove_body,
    wait_for,
)

from bw_pulumi import _xml


def _code(text: str) -> str | None:
    return _xml.find_text(_xml.parse(text), "ErrorCode")


def _settings(app_id: str) -> str:
    return (
        f"<ApplicationsSettings><HttpMessagingV2AppId>{app_id}</HttpMessagingV2AppId>"
        "</ApplicationsSettings>"
    )


def test_the_default_site_exists_and_new_sites_answer_201_with_a_location(api: Api) -> None:
    sites = _xml.parse(api.d("GET", "/sites").content)
    assert sites.tag == "SitesResponse" and _xml.texts(sites, "Id") == ["14"]
    response = api.d("POST", "/sites", data="<Site><Name>Staging</Name></Site>")
    assert response.status_code == 201
    site_id = _xml.find_text(_xml.parse(response.content), "Id")
    assert response.headers["Location"].endswith(f"/sites/{site_id}")
    got = _xml.parse(api.d("GET", f"/sites/{site_id}").content)
    assert got.tag == "SiteResponse" and _xml.find_text(got, "Name") == "Staging"
    assert api.d("GET", "/sites/999").status_code == 404


def test_sip_peer_create_answers_201_with_a_location_header_and_no_body(api: Api) -> None:
    body = "<SipPeer><PeerName>Loc A</PeerName><IsDefaultPeer>false</IsDefaultPeer></SipPeer>"
    response = api.d("POST", "/sites/14/sippeers", data=body)
    assert response.status_code == 201 and response.content == b""
    peer_id = response.headers["Location"].rsplit("/", 1)[1]
    assert "/sites/14/sippeers/" in response.headers["Location"]
    doc = _xml.parse(api.d("GET", f"/sites/14/sippeers/{peer_id}").content)
    assert doc.tag == "SipPeerResponse"
    assert _xml.find_text(doc, "PeerName") == "Loc A"
    # The first Location of a site is its default.
    assert _xml.find_text(doc, "IsDefaultPeer") == "true"
    listed = _xml.parse(api.d("GET", "/sites/14/sippeers").content)
    assert _xml.texts(listed, "PeerId") == [peer_id]
    assert api.d("DELETE", f"/sites/14/sippeers/{peer_id}").status_code == 200
    assert api.d("GET", f"/sites/14/sippeers/{peer_id}").status_code == 404
    assert api.d("POST", "/sites/999/sippeers", data=body).status_code == 404


def test_sms_then_mms_features_and_their_order_constraints(api: Api) -> None:
    peer = create_peer(api)
    base = f"/sites/14/sippeers/{peer}/products/messaging/features"
    assert api.d("GET", f"{base}/sms").status_code == 404
    early = api.d("POST", f"{base}/mms", data=MMS_ON)
    assert early.status_code == 400 and _code(early.text) == "13623"
    created = api.d("POST", f"{base}/sms", data=SMS_ON)
    assert created.status_code == 201
    doc = _xml.parse(created.content)
    assert doc.tag == "SipPeerSmsFeatureResponse"
    assert _xml.find_text(doc, "Protocol") == "HTTP"
    assert _xml.find_text(doc, "ProxyPeerId")
    mms = api.d("POST", f"{base}/mms", data=MMS_ON)
    assert mms.status_code == 201 and _xml.parse(mms.content).tag == "MmsFeatureResponse"
    settings = _xml.parse(api.d("GET", f"{base}/mms/settings").content)
    assert settings.tag == "MmsFeatureMmsSettingsResponse"
    assert _xml.find_text(settings, "Protocol") == "HTTP"
    refused = api.d("DELETE", f"{base}/sms")
    assert refused.status_code == 400 and _code(refused.text) == "13624"
    zone_off = SMS_ON.replace("<Zone2>true</Zone2>", "<Zone2>false</Zone2>")
    assert api.d("PUT", f"{base}/sms", data=zone_off).status_code == 200
    assert _xml.find_text(_xml.parse(api.d("GET", f"{base}/sms").content), "Zone2") == "false"
    assert api.d("DELETE", f"{base}/mms").status_code == 200
    assert api.d("DELETE", f"{base}/sms").status_code == 200
    assert api.d("GET", f"{base}/sms").status_code == 404


def test_sms_cannot_be_removed_while_the_locations_numbers_remain(api: Api) -> None:
    app_id = create_app(api)
    peer = messaging_location(api, app_id)
    body = import_body("9195550101", sip_peer=False).replace(
        "<SiteId>743</SiteId>", f"<SiteId>14</SiteId><SipPeerId>{peer}</SipPeerId>"
    )
    post_order(api, "importTnOrders", body)
    state = wait_for(lambda: api.emu.control.state()["in_service_peers"] or None)
    assert state == {"9195550101": peer}
    sms = f"/sites/14/sippeers/{peer}/products/messaging/features/sms"
    refused = api.d("DELETE", sms)
    assert refused.status_code == 400 and _code(refused.text) == "13673"
    post_order(api, "removeImportedTnOrders", remove_body("9195550101"))
    wait_for(lambda: not api.emu.control.state()["in_service_peers"])
    assert api.d("DELETE", sms).status_code == 200


def test_application_settings_assign_read_and_remove(api: Api) -> None:
    app_id = create_app(api)
    peer = create_peer(api)
    base = f"/sites/14/sippeers/{peer}/products/messaging"
    before = api.d("PUT", f"{base}/applicationSettings", data=_settings(app_id))
    assert before.status_code == 400 and _code(before.text) == "13645"
    assert api.d("POST", f"{base}/features/sms", data=SMS_ON).status_code == 201
    assigned = api.d("PUT", f"{base}/applicationSettings", data=_settings(app_id))
    assert assigned.status_code == 200
    doc = _xml.parse(api.d("GET", f"{base}/applicationSettings").content)
    assert doc.tag == "ApplicationsSettingsResponse"
    assert _xml.find_text(doc, "HttpMessagingV2AppId") == app_id
    remove = "<ApplicationsSettings>REMOVE</ApplicationsSettings>"
    assert api.d("PUT", f"{base}/applicationSettings", data=remove).status_code == 200
    doc = _xml.parse(api.d("GET", f"{base}/applicationSettings").content)
    assert _xml.find_text(doc, "HttpMessagingV2AppId") is None


def test_application_settings_refusals(api: Api) -> None:
    peer = create_peer(api)
    base = f"/sites/14/sippeers/{peer}/products/messaging"
    api.d("POST", f"{base}/features/sms", data=SMS_ON)
    url = f"{base}/applicationSettings"
    empty = api.d("PUT", url, data="<ApplicationsSettings></ApplicationsSettings>")
    assert empty.status_code == 400 and _code(empty.text) == "13628"
    unknown = api.d("PUT", url, data=_settings("c3b0f805-06ab-4d36-8bf4-8baff7623398"))
    assert unknown.status_code == 400 and _code(unknown.text) == "13629"
    voice = create_app(
        api,
        app_body(
            inbound=None,
            service_type="Voice-V2",
            extra="<CallInitiatedCallbackUrl>https://example.com/v</CallInitiatedCallbackUrl>",
        ),
    )
    refused = api.d("PUT", url, data=_settings(voice))
    assert refused.status_code == 400 and _code(refused.text) == "13648"


def test_account_http_messaging_feature_is_readable(api: Api) -> None:
    doc = _xml.parse(api.d("GET", "/products/messaging/features/http").content)
    assert doc.tag == "AccountHttpFeature" and _xml.find_text(doc, "DefaultProxyPeerId")


def test_state_shows_the_new_objects_and_reset_restores_the_default_site(api: Api) -> None:
    app_id = create_app(api)
    peer = messaging_location(api, app_id)
    api.d("POST", "/sites", data="<Site><Name>Extra</Name></Site>")
    state = api.emu.control.state()
    assert [a["id"] for a in state["dashboard_applications"]] == [app_id]
    assert [p["id"] for p in state["sip_peers"]] == [peer]
    assert state["sip_peers"][0]["application_id"] == app_id
    assert {s["id"] for s in state["sites"]} == {"14", "15"}
    api.emu.control.reset()
    state = api.emu.control.state()
    assert state["dashboard_applications"] == [] and state["sip_peers"] == []
    assert [s["id"] for s in state["sites"]] == ["14"]


def test_other_accounts_locations_are_forbidden(api: Api) -> None:
    url = f"{api.emu.dashboard_url}/accounts/1234/sites/14/sippeers"
    assert requests.get(url, auth=api.dash_auth, timeout=10).status_code == 403
