"""Client for the current platform's messaging set-up on the Dashboard API: Messaging-V2
applications, Sites, Locations (SIP peers) and their messaging products.

It shares the account's :class:`~bw_pulumi.clients.dashboard.DashboardClient` (one transport,
one connection pool, the same auth) and only adds paths and bodies (bandwidth-api-v2.md 2, 3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _xml
from .._http import id_from_location
from ..errors import NotFound
from .dashboard import XML_HEADERS, DashboardClient
from .dashboard_apps_models import (
    AssociatedSipPeer,
    MessagingApp,
    MessagingAppSpec,
    MmsFeatureInfo,
    SipPeerInfo,
    SiteInfo,
    SmsFeatureSettings,
)
from .dashboard_apps_xml import (
    build_app_settings,
    build_application,
    build_mms_feature,
    build_sip_peer,
    build_sms_feature,
    parse_app_settings,
    parse_application,
    parse_applications,
    parse_associated_sip_peers,
    parse_mms_feature,
    parse_sip_peer,
    parse_sip_peers,
    parse_site,
    parse_sites,
    parse_sms_feature,
)

if TYPE_CHECKING:
    import requests
    from lxml import etree

__all__ = ["DashboardAppsClient"]

_FEATURES = ("products", "messaging", "features")


class DashboardAppsClient:
    """Typed calls for applications and Locations under one Dashboard account."""

    def __init__(self, dashboard: DashboardClient) -> None:
        self.dashboard = dashboard
        self.transport = dashboard.transport
        self.account_id = dashboard.account_id
        self.base_url = dashboard.base_url

    def __repr__(self) -> str:
        return f"DashboardAppsClient({self.base_url!r}, account_id={self.account_id!r})"

    def _path(self, *segments: str) -> str:
        return self.dashboard._path(*segments)

    def _send(self, method: str, path: str, body: bytes | None = None) -> requests.Response:
        headers = XML_HEADERS if body is not None else None
        return self.transport.request(method, path, data=body, headers=headers)

    @staticmethod
    def _root(response: requests.Response) -> etree._Element | None:
        """The parsed body, or ``None`` for 204 or an empty body."""
        if response.status_code == 204 or not response.content.strip():
            return None
        return _xml.parse(response.content)

    # -- applications (bandwidth-api-v2.md 2) ---------------------------------------------

    def list_applications(self) -> list[MessagingApp]:
        """Every application of the account, Messaging-V2 or not."""
        root = self._root(self._send("GET", self._path("applications")))
        return [] if root is None else parse_applications(root)

    def create_application(self, spec: MessagingAppSpec) -> MessagingApp:
        """POST (201). The docs answer with the body; the Node SDK reads the id from the
        ``Location`` header and GETs the rest, so either is accepted (section 2)."""
        response = self._send("POST", self._path("applications"), build_application(spec))
        root = self._root(response)
        if root is not None and _xml.find_text(root, "ApplicationId"):
            return parse_application(root)
        return self.get_application(id_from_location(response))

    def get_application(self, application_id: str) -> MessagingApp:
        root = self._root(self._send("GET", self._path("applications", application_id)))
        if root is None:
            raise _xml.UnsafeXmlError("GET application answered without a body")
        return parse_application(root)

    def replace_application(self, application_id: str, spec: MessagingAppSpec) -> None:
        """PUT replaces every field: passwords must be resent or they are cleared."""
        self._send("PUT", self._path("applications", application_id), build_application(spec))

    def patch_application(
        self, application_id: str, spec: MessagingAppSpec, fields: frozenset[str]
    ) -> None:
        """PATCH only ``fields`` (attribute names of :class:`MessagingAppSpec`)."""
        body = build_application(spec, partial=fields)
        self._send("PATCH", self._path("applications", application_id), body)

    def delete_application(self, application_id: str) -> None:
        """Refused with 12107 while a Location uses the application (section 2)."""
        self._send("DELETE", self._path("applications", application_id))

    def associated_sip_peers(self, application_id: str) -> list[AssociatedSipPeer]:
        path = self._path("applications", application_id, "associatedsippeers")
        root = self._root(self._send("GET", path))
        return [] if root is None else parse_associated_sip_peers(root)

    # -- sites and Locations (section 3, steps 1-2) ---------------------------------------

    def get_site(self, site_id: str) -> SiteInfo:
        root = self._root(self._send("GET", self._path("sites", site_id)))
        if root is None:
            return SiteInfo(site_id, None)
        return parse_site(root, site_id)

    def list_sites(self) -> list[SiteInfo]:
        """Every Site of the account (``SitesResponse > Sites > Site*``)."""
        root = self._root(self._send("GET", self._path("sites")))
        return [] if root is None else parse_sites(root)

    def find_sip_peer(self, peer_id: str) -> SipPeerInfo | None:
        """The SIP peer with this id in whichever Site holds it (ids are account-wide), for
        reads that know only the id; ``None`` when no Site has it."""
        for site in self.list_sites():
            for peer in self.list_sip_peers(site.site_id):
                if peer.peer_id == peer_id:
                    return peer
        return None

    def create_sip_peer(self, site_id: str, peer_name: str, is_default_peer: bool | None) -> str:
        """POST answers 201 with a ``Location`` header and no body: the id comes from it."""
        body = build_sip_peer(peer_name, is_default_peer)
        response = self._send("POST", self._path("sites", site_id, "sippeers"), body)
        return id_from_location(response)

    def get_sip_peer(self, site_id: str, peer_id: str) -> SipPeerInfo:
        response = self._send("GET", self._path("sites", site_id, "sippeers", peer_id))
        root = self._root(response)
        if root is None:
            raise _xml.UnsafeXmlError("GET sippeer answered without a body")
        return parse_sip_peer(root, site_id)

    def list_sip_peers(self, site_id: str) -> list[SipPeerInfo]:
        root = self._root(self._send("GET", self._path("sites", site_id, "sippeers")))
        return [] if root is None else parse_sip_peers(root, site_id)

    def delete_sip_peer(self, site_id: str, peer_id: str) -> None:
        self._send("DELETE", self._path("sites", site_id, "sippeers", peer_id))

    # -- messaging products (section 3, steps 3, 4 and 6) ---------------------------------

    def _feature(self, site_id: str, peer_id: str, name: str) -> str:
        return self._path("sites", site_id, "sippeers", peer_id, *_FEATURES, name)

    def get_sms_feature(self, site_id: str, peer_id: str) -> SmsFeatureSettings | None:
        """The Location's SMS settings, or ``None`` when SMS is not enabled. Unconfirmed how a
        Location without SMS answers: a 404 or an empty body are both read as "off"."""
        try:
            root = self._root(self._send("GET", self._feature(site_id, peer_id, "sms")))
        except NotFound:
            return None
        if root is None or _xml.find(root, "SipPeerSmsFeatureSettings") is None:
            return None
        return parse_sms_feature(root)

    def create_sms_feature(self, site_id: str, peer_id: str, settings: SmsFeatureSettings) -> None:
        self._send("POST", self._feature(site_id, peer_id, "sms"), build_sms_feature(settings))

    def update_sms_feature(self, site_id: str, peer_id: str, settings: SmsFeatureSettings) -> None:
        self._send("PUT", self._feature(site_id, peer_id, "sms"), build_sms_feature(settings))

    def delete_sms_feature(self, site_id: str, peer_id: str) -> None:
        """Refused while MMS or messaging-enabled numbers remain (13624/13673)."""
        self._send("DELETE", self._feature(site_id, peer_id, "sms"))

    def get_mms_feature(self, site_id: str, peer_id: str) -> MmsFeatureInfo | None:
        """The Location's MMS settings, or ``None`` when MMS is not enabled (as for SMS)."""
        try:
            root = self._root(self._send("GET", self._feature(site_id, peer_id, "mms")))
        except NotFound:
            return None
        if root is None or _xml.find(root, "MmsFeature") is None:
            return None
        return parse_mms_feature(root)

    def create_mms_feature(self, site_id: str, peer_id: str) -> None:
        """Refused with 13623 unless SMS is enabled first."""
        self._send("POST", self._feature(site_id, peer_id, "mms"), build_mms_feature())

    def update_mms_feature(self, site_id: str, peer_id: str) -> None:
        self._send("PUT", self._feature(site_id, peer_id, "mms"), build_mms_feature())

    def delete_mms_feature(self, site_id: str, peer_id: str) -> None:
        self._send("DELETE", self._feature(site_id, peer_id, "mms"))

    def _app_settings(self, site_id: str, peer_id: str) -> str:
        return self._path(
            "sites", site_id, "sippeers", peer_id, "products", "messaging", "applicationSettings"
        )

    def get_app_settings(self, site_id: str, peer_id: str) -> str | None:
        """The assigned messaging application's id, or ``None`` when none is assigned.

        Unconfirmed how a Location with none answers: an empty body, no ``HttpMessagingV2AppId``
        or a 404 all read as "none" (callers that must tell a gone Location apart GET it).
        """
        try:
            root = self._root(self._send("GET", self._app_settings(site_id, peer_id)))
        except NotFound:
            return None
        return None if root is None else parse_app_settings(root)

    def assign_application(self, site_id: str, peer_id: str, application_id: str | None) -> None:
        """PUT ``HttpMessagingV2AppId``; ``None`` sends ``REMOVE`` (unassigns)."""
        body = build_app_settings(application_id)
        self._send("PUT", self._app_settings(site_id, peer_id), body)
