"""DashboardAppsClient against a local replay server: the documented request bodies, the
documented answers parsed (bandwidth-api-v2.md "Sample payloads"), errors with their codes."""

from __future__ import annotations

from typing import Any

import pytest

from bw_pulumi import _xml
from bw_pulumi.clients.dashboard import DashboardClient
from bw_pulumi.clients.dashboard_apps import DashboardAppsClient
from bw_pulumi.clients.dashboard_apps_models import (
    CallbackCreds,
    MessagingAppSpec,
    SmsFeatureSettings,
)
from bw_pulumi.errors import ValidationError
from tests._replay_server import ReplayServer, Reply

ACC = "9900778"
BASE = f"/api/accounts/{ACC}"
APP_ID = "d4d1b41d-4c05-47d0-838a-34e4f14e4e3e"
XML = {"Content-Type": "application/xml"}

# [DOCS-APPS] create request and 201 answer (bandwidth-api-v2.md, "Sample payloads").
CREATE_REQUEST = b"""<Application>
  <ServiceType>Messaging-V2</ServiceType>
  <AppName>EBVICs</AppName>
  <InboundCallbackUrl>https://example.com</InboundCallbackUrl>
  <OutboundCallbackUrl>https://example2.com</OutboundCallbackUrl>
  <InboundCallbackCreds><UserId>u</UserId><Password>p</Password></InboundCallbackCreds>
  <OutboundCallbackCreds><UserId>u</UserId><Password>p</Password></OutboundCallbackCreds>
  <RequestedCallbackTypes>
    <CallbackType>message-delivered</CallbackType>
    <CallbackType>message-failed</CallbackType>
    <CallbackType>message-sending</CallbackType>
  </RequestedCallbackTypes>
</Application>"""
CREATE_ANSWER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ApplicationProvisioningResponse>
  <Application>
    <ApplicationId>{APP_ID}</ApplicationId>
    <ServiceType>Messaging-V2</ServiceType>
    <AppName>EBVICs</AppName>
    <InboundCallbackUrl>https://example.com</InboundCallbackUrl>
    <OutboundCallbackUrl>https://example2.com</OutboundCallbackUrl>
    <InboundCallbackCreds><UserId>u</UserId></InboundCallbackCreds>
    <OutboundCallbackCreds><UserId>u</UserId></OutboundCallbackCreds>
    <RequestedCallbackTypes>
      <CallbackType>message-delivered</CallbackType>
      <CallbackType>message-failed</CallbackType>
      <CallbackType>message-sending</CallbackType>
    </RequestedCallbackTypes>
  </Application>
</ApplicationProvisioningResponse>""".encode()
DOC_SPEC = MessagingAppSpec(
    app_name="EBVICs",
    inbound_callback_url="https://example.com",
    outbound_callback_url="https://example2.com",
    inbound_credentials=CallbackCreds("u", "p"),
    outbound_credentials=CallbackCreds("u", "p"),
    requested_callback_types=("message-delivered", "message-failed", "message-sending"),
)
# [NODE] test/xml.json applicationSipPeers.
SIP_PEERS = b"""<AssociatedSipPeersResponse><AssociatedSipPeers><AssociatedSipPeer>
  <SiteId>1</SiteId><SiteName>Site Name</SiteName><PeerId>2</PeerId><PeerName>Peer Name</PeerName>
</AssociatedSipPeer></AssociatedSipPeers></AssociatedSipPeersResponse>"""
# [DOCS-SETUP] step 3, the request and its 201 answer.
SMS_REQUEST = b"""<SipPeerSmsFeature>
  <SipPeerSmsFeatureSettings>
    <TollFree>true</TollFree><ShortCode>true</ShortCode><Protocol>HTTP</Protocol>
    <Zone1>true</Zone1><Zone2>true</Zone2><Zone3>true</Zone3><Zone4>true</Zone4><Zone5>true</Zone5>
  </SipPeerSmsFeatureSettings>
  <HttpSettings/>
</SipPeerSmsFeature>"""
SMS_ANSWER = b"""<SipPeerSmsFeatureResponse><SipPeerSmsFeature>
  <SipPeerSmsFeatureSettings>
    <TollFree>true</TollFree><ShortCode>false</ShortCode><Protocol>HTTP</Protocol>
    <Zone1>true</Zone1><Zone2>false</Zone2><Zone3>false</Zone3><Zone4>false</Zone4>
    <Zone5>false</Zone5>
  </SipPeerSmsFeatureSettings>
  <HttpSettings><ProxyPeerId>569238</ProxyPeerId></HttpSettings>
</SipPeerSmsFeature></SipPeerSmsFeatureResponse>"""
MMS_REQUEST = b"""<MmsFeature><MmsSettings><Protocol>HTTP</Protocol></MmsSettings>
  <Protocols><HTTP><HttpSettings/></HTTP></Protocols></MmsFeature>"""
APP_SETTINGS_ANSWER = (
    b"<ApplicationsSettingsResponse><ApplicationsSettings><HttpMessagingV2AppId>"
    b"c3b0f805-06ab-4d36-8bf4-8baff7623398</HttpMessagingV2AppId></ApplicationsSettings>"
    b"</ApplicationsSettingsResponse>"
)


@pytest.fixture
def client(server: ReplayServer) -> DashboardAppsClient:
    return DashboardAppsClient(DashboardClient(server.url + "/api", ACC, "api-user", "api-pw"))


def canon(xml: bytes) -> Any:
    def walk(node: Any) -> Any:
        return (node.tag, (node.text or "").strip(), [walk(c) for c in node])

    return walk(_xml.parse(xml))


def test_create_application_sends_the_documented_body_and_reads_the_201_body(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    server.script(Reply(201, CREATE_ANSWER, {**XML, "Location": f"{BASE}/applications/{APP_ID}"}))
    app = client.create_application(DOC_SPEC)
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/applications")
    assert canon(server.last.body) == canon(CREATE_REQUEST)
    assert len(server.requests) == 1  # the body sufficed: no GET
    assert app.application_id == APP_ID
    assert app.service_type == "Messaging-V2"
    assert (app.inbound_callback_user, app.outbound_callback_user) == ("u", "u")
    assert app.requested_callback_types == DOC_SPEC.requested_callback_types


def test_create_application_without_a_body_takes_the_id_from_location_and_gets_it(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    # [NODE] test/application.js: 201, empty body, a relative Location header.
    server.script(
        Reply(201, b"", {"Location": f"/accounts/{ACC}/applications/{APP_ID}"}),
        Reply(200, CREATE_ANSWER, XML),
    )
    app = client.create_application(DOC_SPEC)
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", f"{BASE}/applications"),
        ("GET", f"{BASE}/applications/{APP_ID}"),
    ]
    assert app.app_name == "EBVICs"


def test_list_applications_reads_one_many_and_none(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    one = CREATE_ANSWER.replace(b"<Application>", b"<ApplicationList><Application>").replace(
        b"</Application>", b"</Application></ApplicationList>"
    )
    two = one.replace(
        b"</ApplicationList>",
        b"<Application><ApplicationId>a2</ApplicationId><ServiceType>Voice-V2</ServiceType>"
        b"<AppName>calls</AppName></Application></ApplicationList>",
    )
    empty = b"<ApplicationProvisioningResponse><ApplicationList/></ApplicationProvisioningResponse>"
    server.script(Reply(200, one, XML), Reply(200, two, XML), Reply(200, empty, XML))
    assert [a.application_id for a in client.list_applications()] == [APP_ID]
    assert [(a.application_id, a.service_type) for a in client.list_applications()] == [
        (APP_ID, "Messaging-V2"),
        ("a2", "Voice-V2"),
    ]
    assert client.list_applications() == []


def test_put_resends_every_field_and_patch_only_the_named_ones(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    server.script(Reply(200, CREATE_ANSWER, XML))
    client.replace_application(APP_ID, DOC_SPEC)
    assert (server.last.method, server.last.path) == ("PUT", f"{BASE}/applications/{APP_ID}")
    assert canon(server.last.body) == canon(CREATE_REQUEST)
    client.patch_application(APP_ID, DOC_SPEC, frozenset({"inbound_callback_url"}))
    assert server.last.method == "PATCH"
    assert canon(server.last.body) == (
        "Application",
        "",
        [("InboundCallbackUrl", "https://example.com", [])],
    )


def test_delete_refused_with_12107_carries_the_code_and_description(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    body = (
        b"<ApplicationProvisioningResponse><ResponseStatus><ErrorCode>12107</ErrorCode>"
        b"<Description>Application cannot be removed, it is in use by one or more locations"
        b"</Description></ResponseStatus></ApplicationProvisioningResponse>"
    )
    server.script(Reply(400, body, XML))
    with pytest.raises(ValidationError) as caught:
        client.delete_application(APP_ID)
    assert caught.value.codes == ["12107"]
    assert "in use by one or more locations" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_associated_sip_peers_are_read_from_the_node_fixture(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    server.script(Reply(200, SIP_PEERS, XML))
    [peer] = client.associated_sip_peers(APP_ID)
    assert server.last.path == f"{BASE}/applications/{APP_ID}/associatedsippeers"
    assert (peer.site_id, peer.site_name, peer.peer_id, peer.peer_name) == (
        "1",
        "Site Name",
        "2",
        "Peer Name",
    )
    assert str(peer) == "'Peer Name' (sip peer 2) in site 1"
    server.script(
        Reply(
            200,
            b"<AssociatedSipPeersResponse><AssociatedSipPeers/></AssociatedSipPeersResponse>",
            XML,
        )
    )
    assert client.associated_sip_peers(APP_ID) == []


def test_create_sip_peer_takes_the_id_from_the_location_header_of_a_bodiless_201(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    location = f"https://dashboard.bandwidth.com/api/accounts/{ACC}/sites/14/sippeers/552"
    server.script(Reply(201, b"", {"Location": location}))
    assert client.create_sip_peer("14", "staging", True) == "552"
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/sites/14/sippeers")
    assert canon(server.last.body) == (
        "SipPeer",
        "",
        [("PeerName", "staging", []), ("IsDefaultPeer", "true", [])],
    )


def test_sip_peer_get_and_list_read_peer_id_name_and_default(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    peer = (
        b"<SipPeerResponse><SipPeer><PeerId>552</PeerId><PeerName>staging</PeerName>"
        b"<IsDefaultPeer>false</IsDefaultPeer></SipPeer></SipPeerResponse>"
    )
    peers = (
        b"<TNSipPeersResponse><SipPeers><SipPeer><PeerId>551</PeerId><PeerName>main</PeerName>"
        b"<IsDefaultPeer>true</IsDefaultPeer></SipPeer><SipPeer><PeerId>552</PeerId>"
        b"<PeerName>staging</PeerName><IsDefaultPeer>false</IsDefaultPeer></SipPeer>"
        b"</SipPeers></TNSipPeersResponse>"
    )
    server.script(Reply(200, peer, XML), Reply(200, peers, XML))
    got = client.get_sip_peer("14", "552")
    assert server.requests[0].path == f"{BASE}/sites/14/sippeers/552"
    assert (got.peer_id, got.peer_name, got.is_default_peer, got.site_id) == (
        "552",
        "staging",
        False,
        "14",
    )
    assert [(p.peer_id, p.is_default_peer) for p in client.list_sip_peers("14")] == [
        ("551", True),
        ("552", False),
    ]


def test_sms_feature_post_sends_the_documented_body_and_get_reads_the_answer(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    server.script(Reply(201, SMS_ANSWER, XML))
    everything = SmsFeatureSettings(True, True, True, True, True, True, True)
    client.create_sms_feature("14", "552", everything)
    path = f"{BASE}/sites/14/sippeers/552/products/messaging/features/sms"
    assert (server.last.method, server.last.path) == ("POST", path)
    assert canon(server.last.body) == canon(SMS_REQUEST)
    assert client.get_sms_feature("14", "552") == SmsFeatureSettings(toll_free=True)


def test_a_feature_that_is_not_enabled_reads_as_none(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    server.script(Reply(404, b"", XML))
    assert client.get_sms_feature("14", "552") is None
    assert client.get_mms_feature("14", "552") is None


def test_mms_feature_body_and_lowercase_protocol_answer(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    answer = (
        b"<MmsFeatureResponse><MmsFeature><MmsSettings><protocol>HTTP</protocol></MmsSettings>"
        b"<Protocols><HTTP><HttpSettings><proxyPeerId>539692</proxyPeerId></HttpSettings></HTTP>"
        b"</Protocols></MmsFeature></MmsFeatureResponse>"
    )
    server.script(Reply(201, answer, XML))
    client.create_mms_feature("14", "552")
    assert canon(server.last.body) == canon(MMS_REQUEST)
    mms = client.get_mms_feature("14", "552")
    assert mms is not None and mms.protocol == "HTTP"


def test_mms_before_sms_is_refused_with_13623(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    body = (
        b"<MmsFeatureResponse><ResponseStatus><ErrorCode>13623</ErrorCode><Description>"
        b"SMS must be enabled before MMS</Description></ResponseStatus></MmsFeatureResponse>"
    )
    server.script(Reply(400, body, XML))
    with pytest.raises(ValidationError) as caught:
        client.create_mms_feature("14", "552")
    assert caught.value.codes == ["13623"]


def test_application_settings_assign_read_and_remove(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    path = f"{BASE}/sites/14/sippeers/552/products/messaging/applicationSettings"
    server.script(Reply(200, APP_SETTINGS_ANSWER, XML))
    client.assign_application("14", "552", "c3b0f805-06ab-4d36-8bf4-8baff7623398")
    assert (server.last.method, server.last.path) == ("PUT", path)
    assert canon(server.last.body) == (
        "ApplicationsSettings",
        "",
        [("HttpMessagingV2AppId", "c3b0f805-06ab-4d36-8bf4-8baff7623398", [])],
    )
    assert client.get_app_settings("14", "552") == "c3b0f805-06ab-4d36-8bf4-8baff7623398"
    client.assign_application("14", "552", None)
    assert canon(server.last.body) == ("ApplicationsSettings", "REMOVE", [])


def test_application_settings_singular_root_and_none_assigned(
    server: ReplayServer, client: DashboardAppsClient
) -> None:
    # [NODE] test/xml.json peerApplications spells the root in the singular.
    singular = (
        b"<ApplicationSettingsResponse><ApplicationSettings><HttpMessagingV2AppId>a1"
        b"</HttpMessagingV2AppId></ApplicationSettings></ApplicationSettingsResponse>"
    )
    empty = b"<ApplicationsSettingsResponse><ApplicationsSettings/></ApplicationsSettingsResponse>"
    server.script(Reply(200, singular, XML), Reply(200, empty, XML))
    assert client.get_app_settings("14", "552") == "a1"
    assert client.get_app_settings("14", "552") is None
