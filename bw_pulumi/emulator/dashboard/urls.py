"""The Dashboard route table: every path, method, endpoint name and handler, written once (moto's
``urls.py``). Paths are matched after the app strips the base prefix (API doc 1.1). Endpoint
names are public in ``GET /_emulator/stats`` and name the request budgets: never rename one.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.wrappers import Response

from bw_pulumi.emulator.dashboard import platform_responses as v2
from bw_pulumi.emulator.dashboard import responses as dash
from bw_pulumi.emulator.wire import Route
from bw_pulumi.emulator.wire import route as _route

__all__ = ["ROUTES"]


def _v2(*table: tuple[str, str, str, Callable[..., Response]]) -> list[Route]:
    """Current-platform routes (bandwidth-api-v2.md 2-3), relative to the account."""
    return [_route(m, f"{_A}{path}", f"dashboard.{name}", h) for m, path, name, h in table]


_A = "/accounts/<account_id>"
_APPL = "/applications/<application_id>"
_PEERS = "/sites/<site_id>/sippeers"
_PEER = f"{_PEERS}/<peer_id>"
_MSG = f"{_PEER}/products/messaging"
_SUB = f"{_A}/subscriptions/<subscription_id>"
_IMP = f"{_A}/importTnOrders/<order_id>"
_REM = f"{_A}/removeImportedTnOrders/<order_id>"
_LOA = f"{_IMP}/loas"
ROUTES: list[Route] = [
    _route(
        "POST", f"{_A}/subscriptions", "dashboard.subscriptions.create", dash.create_subscription
    ),
    _route("GET", f"{_A}/subscriptions", "dashboard.subscriptions.list", dash.list_subscriptions),
    _route("GET", _SUB, "dashboard.subscriptions.get", dash.get_subscription),
    _route("PUT", _SUB, "dashboard.subscriptions.put", dash.put_subscription),
    _route("DELETE", _SUB, "dashboard.subscriptions.delete", dash.delete_subscription),
    _route("POST", f"{_A}/importTnChecker", "dashboard.checker", dash.check),
    _route("POST", f"{_A}/importTnOrders", "dashboard.imports.create", dash.create_import),
    _route("GET", f"{_A}/importTnOrders", "dashboard.imports.list", dash.list_imports),
    _route("GET", _IMP, "dashboard.imports.get", dash.get_import),
    _route("GET", f"{_IMP}/history", "dashboard.imports.history", dash.import_history),
    _route(
        "POST", f"{_A}/removeImportedTnOrders", "dashboard.removals.create", dash.create_removal
    ),
    _route("GET", f"{_A}/removeImportedTnOrders", "dashboard.removals.list", dash.list_removals),
    _route("GET", _REM, "dashboard.removals.get", dash.get_removal),
    _route("GET", f"{_REM}/history", "dashboard.removals.history", dash.removal_history),
    _route("POST", _LOA, "dashboard.loas.create", dash.upload_loa),
    _route("GET", _LOA, "dashboard.loas.list", dash.list_loas),
    _route("GET", f"{_LOA}/<file_id>", "dashboard.loas.get", dash.get_loa),
    _route("DELETE", f"{_LOA}/<file_id>", "dashboard.loas.delete", dash.delete_loa),
    _route("GET", f"{_LOA}/<file_id>/metadata", "dashboard.loas.metadata", dash.loa_metadata),
    _route("POST", f"{_A}/externalTns", "dashboard.external.create", dash.create_external),
    _route("GET", f"{_A}/externalTns", "dashboard.external.list", dash.list_external),
    _route("GET", f"{_A}/externalTns/<order_id>", "dashboard.external.get", dash.get_external),
    _route("GET", f"{_A}/inserviceNumbers", "dashboard.inservice.list", dash.list_in_service),
    _route(
        "GET", f"{_A}/inserviceNumbers/totals", "dashboard.inservice.totals", dash.in_service_totals
    ),
    _route("GET", f"{_A}/inserviceNumbers/<tn>", "dashboard.inservice.get", dash.in_service_one),
    _route(
        "GET",
        f"{_A}/sites/<site_id>/inserviceNumbers",
        "dashboard.inservice.site_list",
        dash.list_site_in_service,
    ),
    *_v2(
        ("POST", "/applications", "applications.create", v2.create_application),
        ("GET", "/applications", "applications.list", v2.list_applications),
        ("GET", _APPL, "applications.get", v2.get_application),
        ("PUT", _APPL, "applications.put", v2.put_application),
        ("PATCH", _APPL, "applications.patch", v2.patch_application),
        ("DELETE", _APPL, "applications.delete", v2.delete_application),
        ("GET", f"{_APPL}/associatedsippeers", "applications.peers", v2.associated_peers),
        ("POST", "/sites", "sites.create", v2.create_site),
        ("GET", "/sites", "sites.list", v2.list_sites),
        ("GET", "/sites/<site_id>", "sites.get", v2.get_site),
        ("POST", _PEERS, "sippeers.create", v2.create_peer),
        ("GET", _PEERS, "sippeers.list", v2.list_peers),
        ("GET", _PEER, "sippeers.get", v2.get_peer),
        ("DELETE", _PEER, "sippeers.delete", v2.delete_peer),
        ("POST", f"{_MSG}/features/sms", "sippeers.sms.create", v2.create_sms),
        ("GET", f"{_MSG}/features/sms", "sippeers.sms.get", v2.get_sms),
        ("PUT", f"{_MSG}/features/sms", "sippeers.sms.put", v2.put_sms),
        ("DELETE", f"{_MSG}/features/sms", "sippeers.sms.delete", v2.delete_sms),
        ("POST", f"{_MSG}/features/mms", "sippeers.mms.create", v2.create_mms),
        ("GET", f"{_MSG}/features/mms", "sippeers.mms.get", v2.get_mms),
        ("PUT", f"{_MSG}/features/mms", "sippeers.mms.put", v2.put_mms),
        ("DELETE", f"{_MSG}/features/mms", "sippeers.mms.delete", v2.delete_mms),
        ("GET", f"{_MSG}/features/mms/settings", "sippeers.mms.settings", v2.get_mms_settings),
        ("GET", f"{_MSG}/applicationSettings", "sippeers.appsettings.get", v2.get_app_settings),
        ("PUT", f"{_MSG}/applicationSettings", "sippeers.appsettings.put", v2.put_app_settings),
        ("GET", "/products/messaging/features/http", "messaging.http.get", v2.get_http_feature),
    ),
]
