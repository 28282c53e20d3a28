"""XML of the current platform's Dashboard objects, both directions (bandwidth-api-v2.md 2, 3 and
its sample payloads).

Roots: ``ApplicationProvisioningResponse > Application | ApplicationList``,
``AssociatedSipPeersResponse > AssociatedSipPeers`` (present even when empty: the Node SDK needs
it), ``SiteResponse > Site``, ``SitesResponse > Sites``, ``SipPeerResponse > SipPeer``,
``TNSipPeersResponse > SipPeers``, ``SipPeerSmsFeatureResponse > SipPeerSmsFeature``,
``MmsFeatureResponse > MmsFeature``, ``MmsFeatureMmsSettingsResponse > MmsSettings``,
``ApplicationsSettingsResponse > ApplicationsSettings``, ``AccountHttpFeature``. Passwords are
never written (v2 doc 2).
"""

from __future__ import annotations

from lxml import etree

from bw_pulumi import _xml
from bw_pulumi.emulator.provisioning import DashboardApplication, SipPeer, Site

__all__ = [
    "app_list_doc",
    "application_doc",
    "associated_doc",
    "mms_doc",
    "mms_settings_doc",
    "peer_doc",
    "peer_list_doc",
    "settings_doc",
    "site_doc",
    "site_list_doc",
    "sms_doc",
    "sms_settings_in",
]

APP_ROOT = "ApplicationProvisioningResponse"
#: The SMS settings the emulator keeps and echoes, in the order the docs show them.
SMS_SETTINGS = (
    "TollFree",
    "ShortCode",
    "Protocol",
    "Zone1",
    "Zone2",
    "Zone3",
    "Zone4",
    "Zone5",
    "A2pLongCode",
    "A2pMessageClass",
    "A2pCampaignId",
)


def _creds(name: str, user: str | None) -> etree._Element | None:
    return None if user is None else _xml.element(name, ("UserId", user))


def application_xml(app: DashboardApplication) -> etree._Element:
    types = None
    if app.callback_types:
        types = _xml.element(
            "RequestedCallbackTypes", *_xml.repeated("CallbackType", app.callback_types)
        )
    return _xml.element(
        "Application",
        ("ApplicationId", app.application_id),
        ("ServiceType", app.service_type),
        ("AppName", app.app_name),
        ("CallbackUrl", app.legacy_url),
        ("MsgCallbackUrl", app.legacy_url),
        ("InboundCallbackUrl", app.inbound_callback_url),
        ("OutboundCallbackUrl", app.outbound_callback_url),
        _creds("InboundCallbackCreds", app.inbound_user),
        _creds("OutboundCallbackCreds", app.outbound_user),
        types,
        *((name, value) for name, value in app.voice.items()),
    )


def application_doc(app: DashboardApplication) -> etree._Element:
    return _xml.element(APP_ROOT, application_xml(app))


def app_list_doc(apps: list[DashboardApplication]) -> etree._Element:
    return _xml.element(
        APP_ROOT, _xml.element("ApplicationList", *(application_xml(a) for a in apps))
    )


def associated_doc(pairs: list[tuple[Site | None, SipPeer]]) -> etree._Element:
    peers = [
        _xml.element(
            "AssociatedSipPeer",
            ("SiteId", peer.site_id),
            ("SiteName", site.name if site else None),
            ("PeerId", peer.peer_id),
            ("PeerName", peer.name),
        )
        for site, peer in pairs
    ]
    return _xml.element("AssociatedSipPeersResponse", _xml.element("AssociatedSipPeers", *peers))


def _site_xml(site: Site) -> etree._Element:
    return _xml.element(
        "Site", ("Id", site.site_id), ("Name", site.name), ("Description", site.description)
    )


def site_doc(site: Site) -> etree._Element:
    return _xml.element("SiteResponse", _site_xml(site))


def site_list_doc(sites: list[Site]) -> etree._Element:
    return _xml.element("SitesResponse", _xml.element("Sites", *(_site_xml(s) for s in sites)))


def _peer_xml(peer: SipPeer) -> etree._Element:
    return _xml.element(
        "SipPeer",
        ("PeerId", peer.peer_id),
        ("PeerName", peer.name),
        ("IsDefaultPeer", peer.is_default),
        ("ShortMessagingProtocol", (peer.sms or {}).get("Protocol")),
    )


def peer_doc(peer: SipPeer) -> etree._Element:
    return _xml.element("SipPeerResponse", _peer_xml(peer))


def peer_list_doc(peers: list[SipPeer]) -> etree._Element:
    return _xml.element(
        "TNSipPeersResponse", _xml.element("SipPeers", *(_peer_xml(p) for p in peers))
    )


def sms_settings_in(root: etree._Element) -> dict[str, str] | None:
    """``SipPeerSmsFeatureSettings`` children as sent; ``None`` when the element is missing."""
    node = _xml.find(root, "SipPeerSmsFeatureSettings")
    if node is None:
        return None
    return {
        name: text for name in SMS_SETTINGS if (text := _xml.child_text(node, name)) is not None
    }


def sms_doc(peer: SipPeer) -> etree._Element:
    settings = peer.sms or {}
    feature = _xml.element(
        "SipPeerSmsFeature",
        _xml.element(
            "SipPeerSmsFeatureSettings",
            *((name, settings[name]) for name in SMS_SETTINGS if name in settings),
        ),
        _xml.element("HttpSettings", ("ProxyPeerId", peer.proxy_peer_id)),
    )
    return _xml.element("SipPeerSmsFeatureResponse", feature)


def mms_doc(peer: SipPeer) -> etree._Element:
    http = _xml.element("HTTP", _xml.element("HttpSettings", ("ProxyPeerId", peer.proxy_peer_id)))
    feature = _xml.element(
        "MmsFeature",
        _xml.element("MmsSettings", ("Protocol", peer.mms)),
        _xml.element("Protocols", http),
    )
    return _xml.element("MmsFeatureResponse", feature)


def mms_settings_doc(peer: SipPeer) -> etree._Element:
    settings = _xml.element("MmsSettings", ("Protocol", peer.mms))
    return _xml.element("MmsFeatureMmsSettingsResponse", settings)


def settings_doc(peer: SipPeer) -> etree._Element:
    """An unassigned Location answers an empty ``ApplicationsSettings`` (inferred)."""
    settings = _xml.element("ApplicationsSettings", ("HttpMessagingV2AppId", peer.application_id))
    return _xml.element("ApplicationsSettingsResponse", settings)


def http_feature_doc(default_proxy_peer: str) -> etree._Element:
    return _xml.element("AccountHttpFeature", ("DefaultProxyPeerId", default_proxy_peer))
