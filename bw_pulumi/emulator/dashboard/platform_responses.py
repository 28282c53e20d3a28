"""Dashboard wire handlers of the current platform: applications, Sites, SIP peers and their
messaging products (bandwidth-api-v2.md 2, 3). Paths are relative to the account, as in
:mod:`.responses`; errors use the ``{X}Response > ResponseStatus`` form of each route's root
(API doc 1.5 shape 1), the applications envelope being undocumented (v2 doc 2).
"""

from __future__ import annotations

from lxml import etree
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.dashboard import platform_wire as pw
from bw_pulumi.emulator.dashboard.app_forms import application_form
from bw_pulumi.emulator.dashboard.backend import DashboardBackend
from bw_pulumi.emulator.dashboard.faults import status_form
from bw_pulumi.emulator.dashboard.requests import location
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import BadXml, empty, faults_as, parse_xml, xml_response

_APP = pw.APP_ROOT
_PEER = "SipPeerResponse"
_SMS = "SipPeerSmsFeatureResponse"
_MMS = "MmsFeatureResponse"
_SETTINGS = "ApplicationsSettingsResponse"


def _body(request: Request, what: str) -> etree._Element:
    try:
        return parse_xml(request)
    except BadXml as exc:
        raise EmulatorFault(400, 1003, f"{what} is required: {exc}") from None


# -- applications ----------------------------------------------------------------------------


@faults_as(status_form(_APP))
def create_application(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    app = backend.platform.create_application(application_form(_body(request, "Application")))
    # 201 with the body (docs) AND a Location header (the Node SDK reads the id from it).
    url = location(request, account_id, "applications", app.application_id)
    return xml_response(pw.application_doc(app), 201, {"Location": url})


@faults_as(status_form(_APP))
def list_applications(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return xml_response(pw.app_list_doc(backend.platform.list_applications()))


@faults_as(status_form(_APP))
def get_application(
    backend: DashboardBackend, request: Request, account_id: str, application_id: str
) -> Response:
    return xml_response(pw.application_doc(backend.platform.get_application(application_id)))


def _update(
    backend: DashboardBackend, request: Request, application_id: str, partial: bool
) -> Response:
    backend.platform.get_application(application_id)  # 23020/23019 before reading the body
    form = application_form(_body(request, "Application"))
    app = backend.platform.update_application(application_id, form, partial=partial)
    return xml_response(pw.application_doc(app))


@faults_as(status_form(_APP))
def put_application(
    backend: DashboardBackend, request: Request, account_id: str, application_id: str
) -> Response:
    return _update(backend, request, application_id, False)


@faults_as(status_form(_APP))
def patch_application(
    backend: DashboardBackend, request: Request, account_id: str, application_id: str
) -> Response:
    return _update(backend, request, application_id, True)


@faults_as(status_form(_APP))
def delete_application(
    backend: DashboardBackend, request: Request, account_id: str, application_id: str
) -> Response:
    backend.platform.delete_application(application_id)
    return empty(200)


@faults_as(status_form("AssociatedSipPeersResponse"))
def associated_peers(
    backend: DashboardBackend, request: Request, account_id: str, application_id: str
) -> Response:
    return xml_response(pw.associated_doc(backend.platform.associated_peers(application_id)))


# -- sites and SIP peers ---------------------------------------------------------------------


@faults_as(status_form("SiteResponse"))
def create_site(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    node = _xml.find(_body(request, "Site"), "Site")
    site = backend.platform.create_site(
        _xml.child_text(node, "Name"), _xml.child_text(node, "Description")
    )
    url = location(request, account_id, "sites", site.site_id)
    return xml_response(pw.site_doc(site), 201, {"Location": url})


@faults_as(status_form("SitesResponse"))
def list_sites(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return xml_response(pw.site_list_doc(backend.platform.list_sites()))


@faults_as(status_form("SiteResponse"))
def get_site(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str
) -> Response:
    return xml_response(pw.site_doc(backend.platform.get_site(site_id)))


@faults_as(status_form(_PEER))
def create_peer(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str
) -> Response:
    node = _xml.find(_body(request, "SipPeer"), "SipPeer")
    default = (_xml.child_text(node, "IsDefaultPeer") or "false").lower() == "true"
    peer = backend.platform.create_peer(site_id, _xml.child_text(node, "PeerName"), default)
    # 201 with a Location header and no body (v2 doc 3 step 2).
    url = location(request, account_id, "sites", site_id, "sippeers", peer.peer_id)
    return empty(201, {"Location": url})


@faults_as(status_form("TNSipPeersResponse"))
def list_peers(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str
) -> Response:
    return xml_response(pw.peer_list_doc(backend.platform.list_peers(site_id)))


@faults_as(status_form(_PEER))
def get_peer(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return xml_response(pw.peer_doc(backend.platform.get_peer(site_id, peer_id)))


@faults_as(status_form(_PEER))
def delete_peer(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    backend.platform.delete_peer(site_id, peer_id)
    return empty(200)


# -- messaging products of a SIP peer --------------------------------------------------------


def _sms(
    backend: DashboardBackend, request: Request, site_id: str, peer_id: str, creating: bool
) -> Response:
    backend.platform.get_peer(site_id, peer_id)
    settings = pw.sms_settings_in(_body(request, "SipPeerSmsFeature"))
    if settings is None:
        raise EmulatorFault(400, 1003, "SipPeerSmsFeatureSettings is required")
    peer = backend.platform.set_sms(site_id, peer_id, settings, creating=creating)
    return xml_response(pw.sms_doc(peer), 201 if creating else 200)


@faults_as(status_form(_SMS))
def create_sms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return _sms(backend, request, site_id, peer_id, True)


@faults_as(status_form(_SMS))
def put_sms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return _sms(backend, request, site_id, peer_id, False)


@faults_as(status_form(_SMS))
def get_sms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    peer = backend.platform.get_peer(site_id, peer_id)
    if peer.sms is None:
        raise EmulatorFault(404, None, f"SMS feature of SIP peer {peer_id} not found")
    return xml_response(pw.sms_doc(peer))


@faults_as(status_form(_SMS))
def delete_sms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    backend.platform.delete_sms(site_id, peer_id)
    return empty(200)


def _mms(
    backend: DashboardBackend, request: Request, site_id: str, peer_id: str, creating: bool
) -> Response:
    backend.platform.get_peer(site_id, peer_id)
    root = _body(request, "MmsFeature")
    # Some spec examples spell it in lowercase (v2 doc 3 step 4): both are read.
    protocol = _xml.find_text(root, "Protocol") or _xml.find_text(root, "protocol") or "HTTP"
    peer = backend.platform.set_mms(site_id, peer_id, protocol, creating=creating)
    return xml_response(pw.mms_doc(peer), 201 if creating else 200)


@faults_as(status_form(_MMS))
def create_mms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return _mms(backend, request, site_id, peer_id, True)


@faults_as(status_form(_MMS))
def put_mms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return _mms(backend, request, site_id, peer_id, False)


@faults_as(status_form(_MMS))
def get_mms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    peer = backend.platform.get_peer(site_id, peer_id)
    if peer.mms is None:
        raise EmulatorFault(404, None, f"MMS feature of SIP peer {peer_id} not found")
    return xml_response(pw.mms_doc(peer))


@faults_as(status_form("MmsFeatureMmsSettingsResponse"))
def get_mms_settings(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    """``GET .../features/mms/settings`` (v2 doc 3 step 4)."""
    peer = backend.platform.get_peer(site_id, peer_id)
    if peer.mms is None:
        raise EmulatorFault(404, None, f"MMS feature of SIP peer {peer_id} not found")
    return xml_response(pw.mms_settings_doc(peer))


@faults_as(status_form(_MMS))
def delete_mms(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    backend.platform.delete_mms(site_id, peer_id)
    return empty(200)


@faults_as(status_form(_SETTINGS))
def get_app_settings(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    return xml_response(pw.settings_doc(backend.platform.get_peer(site_id, peer_id)))


@faults_as(status_form(_SETTINGS))
def put_app_settings(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str, peer_id: str
) -> Response:
    backend.platform.get_peer(site_id, peer_id)
    root = _body(request, "ApplicationsSettings")
    # The spec's root is plural; the Node SDK's fixture is singular (v2 doc 3 step 6): both.
    node = _xml.find(root, "ApplicationsSettings")
    if node is None:
        node = _xml.find(root, "ApplicationSettings")
    if node is None:
        raise EmulatorFault(400, 13628, "HttpMessagingV2AppId must be a valid string or REMOVE")
    app_id = _xml.child_text(node, "HttpMessagingV2AppId") or (node.text or "").strip() or None
    peer = backend.platform.assign(site_id, peer_id, app_id)
    return xml_response(pw.settings_doc(peer))


def get_http_feature(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return xml_response(pw.http_feature_doc(backend.platform.default_proxy_peer()))
