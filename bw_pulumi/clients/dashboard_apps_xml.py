"""Wire format of the current platform's Dashboard objects: request bodies and readers.

Element names follow bandwidth-api-v2.md (sections 2 and 3, and its sample payloads). Readers
search by element name at any depth and never by position, and accept the spellings the sources
disagree on (``ApplicationsSettings``/``ApplicationSettings``, ``Protocol``/``protocol``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _xml
from .dashboard_apps_models import (
    MESSAGING_V2,
    AssociatedSipPeer,
    CallbackCreds,
    MessagingApp,
    MessagingAppSpec,
    MmsFeatureInfo,
    SipPeerInfo,
    SiteInfo,
    SmsFeatureSettings,
)

if TYPE_CHECKING:
    from lxml import etree

    Element = etree._Element

__all__ = [
    "REMOVE",
    "build_app_settings",
    "build_application",
    "build_mms_feature",
    "build_sip_peer",
    "build_sms_feature",
    "parse_app_settings",
    "parse_application",
    "parse_applications",
    "parse_associated_sip_peers",
    "parse_mms_feature",
    "parse_sip_peer",
    "parse_sip_peers",
    "parse_site",
    "parse_sites",
    "parse_sms_feature",
]

#: The applicationSettings value that unassigns the application (bandwidth-api-v2.md 3, step 6).
REMOVE = "REMOVE"

# -- request bodies -----------------------------------------------------------------------------


def _creds(tag: str, creds: object) -> Element | None:
    if not isinstance(creds, CallbackCreds):
        return None
    return _xml.element(tag, ("UserId", creds.user_id), ("Password", creds.password))


def build_application(spec: MessagingAppSpec, *, partial: frozenset[str] | None = None) -> bytes:
    """``Application`` as [DOCS-APPS] creates it; ``partial`` (for PATCH) keeps only the named
    fields of the spec, by their :class:`MessagingAppSpec` attribute names, and no ServiceType
    (it can never change, error 12964)."""

    def kept(attr: str) -> object:
        return getattr(spec, attr) if partial is None or attr in partial else None

    types = kept("requested_callback_types")
    callback_types = None
    if isinstance(types, tuple):
        callback_types = _xml.element(
            "RequestedCallbackTypes", *_xml.repeated("CallbackType", types)
        )
    return _xml.to_bytes(
        _xml.element(
            "Application",
            ("ServiceType", MESSAGING_V2 if partial is None else None),
            ("AppName", kept("app_name")),
            ("InboundCallbackUrl", kept("inbound_callback_url")),
            ("OutboundCallbackUrl", kept("outbound_callback_url")),
            _creds("InboundCallbackCreds", kept("inbound_credentials")),
            _creds("OutboundCallbackCreds", kept("outbound_credentials")),
            callback_types,
        )
    )


def build_sip_peer(peer_name: str, is_default_peer: bool | None) -> bytes:
    """``SipPeer`` as [DOCS-SETUP] step 2 creates a Location."""
    return _xml.to_bytes(
        _xml.element("SipPeer", ("PeerName", peer_name), ("IsDefaultPeer", is_default_peer))
    )


def build_sms_feature(settings: SmsFeatureSettings) -> bytes:
    """``SipPeerSmsFeature`` with an empty ``HttpSettings`` ([DOCS-SETUP] step 3)."""
    return _xml.to_bytes(
        _xml.element(
            "SipPeerSmsFeature",
            _xml.element(
                "SipPeerSmsFeatureSettings",
                ("TollFree", settings.toll_free),
                ("ShortCode", settings.short_code),
                ("Protocol", settings.protocol),
                ("Zone1", settings.zone1),
                ("Zone2", settings.zone2),
                ("Zone3", settings.zone3),
                ("Zone4", settings.zone4),
                ("Zone5", settings.zone5),
            ),
            _xml.element("HttpSettings"),
        )
    )


def build_mms_feature() -> bytes:
    """``MmsFeature`` over HTTP ([DOCS-SETUP] step 4)."""
    return _xml.to_bytes(
        _xml.element(
            "MmsFeature",
            _xml.element("MmsSettings", ("Protocol", "HTTP")),
            _xml.element("Protocols", _xml.element("HTTP", _xml.element("HttpSettings"))),
        )
    )


def build_app_settings(application_id: str | None) -> bytes:
    """``ApplicationsSettings`` (plural, as the spec, Ruby SDK and CLI spell it); ``None``
    sends ``REMOVE``, which unassigns (bandwidth-api-v2.md 3, step 6)."""
    if application_id is None:
        return _xml.to_bytes(_xml.element("ApplicationsSettings", text=REMOVE))
    return _xml.to_bytes(
        _xml.element("ApplicationsSettings", ("HttpMessagingV2AppId", application_id))
    )


# -- readers ------------------------------------------------------------------------------------


def _creds_user(app: Element, tag: str) -> str | None:
    return _xml.child_text(_xml.first_child(app, tag), "UserId")


def _application(app: Element) -> MessagingApp:
    app_id = _xml.child_text(app, "ApplicationId")
    if not app_id:
        raise _xml.UnsafeXmlError("the <Application> has no <ApplicationId>")
    return MessagingApp(
        application_id=app_id,
        service_type=_xml.child_text(app, "ServiceType"),
        app_name=_xml.child_text(app, "AppName"),
        inbound_callback_url=_xml.child_text(app, "InboundCallbackUrl"),
        outbound_callback_url=_xml.child_text(app, "OutboundCallbackUrl"),
        inbound_callback_user=_creds_user(app, "InboundCallbackCreds"),
        outbound_callback_user=_creds_user(app, "OutboundCallbackCreds"),
        requested_callback_types=tuple(
            _xml.texts(_xml.first_child(app, "RequestedCallbackTypes"), "CallbackType")
        ),
    )


def parse_application(root: Element) -> MessagingApp:
    """``ApplicationProvisioningResponse > Application`` (or a bare ``Application``)."""
    return _application(_xml.require(_xml.find(root, "Application"), "Application"))


def parse_applications(root: Element) -> list[MessagingApp]:
    """``ApplicationProvisioningResponse > ApplicationList > Application*``; a single item and
    an empty list both read as lists (as the Ruby and Node SDKs normalise them)."""
    return [_application(a) for a in _xml.find_all(root, "Application")]


def parse_associated_sip_peers(root: Element) -> list[AssociatedSipPeer]:
    """``AssociatedSipPeersResponse > AssociatedSipPeers > AssociatedSipPeer*``."""
    return [
        AssociatedSipPeer(
            site_id=_xml.child_text(node, "SiteId"),
            site_name=_xml.child_text(node, "SiteName"),
            peer_id=_xml.child_text(node, "PeerId"),
            peer_name=_xml.child_text(node, "PeerName"),
        )
        for node in _xml.find_all(root, "AssociatedSipPeer")
    ]


def parse_site(root: Element, site_id: str) -> SiteInfo:
    """``SiteResponse > Site``; the id is the one asked for when the body omits it."""
    site = _xml.find(root, "Site")
    return SiteInfo(_xml.child_text(site, "Id") or site_id, _xml.child_text(site, "Name"))


def parse_sites(root: Element) -> list[SiteInfo]:
    """``SitesResponse > Sites > Site*``; a site without an ``Id`` is skipped."""
    sites = (
        (_xml.child_text(node, "Id"), _xml.child_text(node, "Name"))
        for node in _xml.find_all(root, "Site")
    )
    return [SiteInfo(site_id, name) for site_id, name in sites if site_id]


def _sip_peer(node: Element, site_id: str | None) -> SipPeerInfo:
    peer_id = _xml.child_text(node, "PeerId")
    if not peer_id:
        raise _xml.UnsafeXmlError("the <SipPeer> has no <PeerId>")
    return SipPeerInfo(
        peer_id=peer_id,
        peer_name=_xml.child_text(node, "PeerName"),
        is_default_peer=_bool(_xml.child_text(node, "IsDefaultPeer")),
        site_id=site_id,
    )


def parse_sip_peer(root: Element, site_id: str) -> SipPeerInfo:
    """``SipPeerResponse > SipPeer``."""
    return _sip_peer(_xml.require(_xml.find(root, "SipPeer"), "SipPeer"), site_id)


def parse_sip_peers(root: Element, site_id: str) -> list[SipPeerInfo]:
    """Every ``SipPeer`` of a site's list, whatever wraps them."""
    return [_sip_peer(node, site_id) for node in _xml.find_all(root, "SipPeer")]


def parse_sms_feature(root: Element) -> SmsFeatureSettings:
    """``SipPeerSmsFeatureResponse > SipPeerSmsFeature > SipPeerSmsFeatureSettings``."""
    node = _xml.find(root, "SipPeerSmsFeatureSettings")

    def flag(name: str, default: bool = False) -> bool:
        value = _bool(_xml.child_text(node, name))
        return default if value is None else value

    protocol = _xml.child_text(node, "Protocol") or _xml.child_text(node, "protocol")
    return SmsFeatureSettings(
        toll_free=flag("TollFree"),
        short_code=flag("ShortCode"),
        zone1=flag("Zone1", True),
        zone2=flag("Zone2"),
        zone3=flag("Zone3"),
        zone4=flag("Zone4"),
        zone5=flag("Zone5"),
        protocol=(protocol or "").upper(),
    )


def parse_mms_feature(root: Element) -> MmsFeatureInfo:
    """``MmsFeatureResponse > MmsFeature > MmsSettings > Protocol`` (some spec examples spell
    it lowercase, bandwidth-api-v2.md 3, step 4)."""
    settings = _xml.find(root, "MmsSettings")
    protocol = _xml.child_text(settings, "Protocol") or _xml.child_text(settings, "protocol")
    return MmsFeatureInfo(protocol.upper() if protocol else None)


def parse_app_settings(root: Element) -> str | None:
    """The assigned ``HttpMessagingV2AppId``, or ``None`` (none assigned, or ``REMOVE``)."""
    app_id = _xml.find_text(root, "HttpMessagingV2AppId")
    return None if app_id is None or app_id.upper() == REMOVE else app_id


def _bool(text: str | None) -> bool | None:
    if text is None:
        return None
    return text.strip().lower() == "true"
