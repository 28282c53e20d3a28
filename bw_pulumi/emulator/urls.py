"""The route table: every path, method, endpoint name and handler, written once (moto's
``urls.py``).

One list of ``(rule, handler)`` pairs per API, because each API has its own path space and its
own handler context: Dashboard paths are matched after the app strips the base prefix (API doc
1.1), Catapult paths as sent, control paths under ``/_emulator``. Endpoint names are public in
``GET /_emulator/stats`` and name the request budgets (:mod:`.traffic`): never rename one.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from bw_pulumi.emulator import catapult_responses as cat
from bw_pulumi.emulator import control as ctl
from bw_pulumi.emulator import dashboard_responses as dash

__all__ = ["CATAPULT", "CONTROL", "DASHBOARD", "Route"]

Route = tuple[Rule, Callable[..., Response]]


def _route(method: str, path: str, endpoint: str, handler: Callable[..., Response]) -> Route:
    return Rule(path, endpoint=endpoint, methods=[method]), handler


_A = "/accounts/<account_id>"
_SUB = f"{_A}/subscriptions/<subscription_id>"
_IMP = f"{_A}/importTnOrders/<order_id>"
_REM = f"{_A}/removeImportedTnOrders/<order_id>"
_LOA = f"{_IMP}/loas"
DASHBOARD: list[Route] = [
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
]

_U = "/v1/users/<user_id>"
_APP = f"{_U}/applications/<application_id>"
_NUM = f"{_U}/phoneNumbers/<number_id>"
CATAPULT: list[Route] = [
    _route("POST", f"{_U}/applications", "catapult.applications.create", cat.create_application),
    _route("GET", f"{_U}/applications", "catapult.applications.list", cat.list_applications),
    _route("GET", _APP, "catapult.applications.get", cat.get_application),
    _route("POST", _APP, "catapult.applications.update", cat.update_application),
    _route("DELETE", _APP, "catapult.applications.delete", cat.delete_application),
    _route("POST", f"{_U}/phoneNumbers", "catapult.numbers.create", cat.create_number),
    _route("GET", f"{_U}/phoneNumbers", "catapult.numbers.list", cat.list_numbers),
    _route("GET", _NUM, "catapult.numbers.get", cat.get_number),
    _route("POST", _NUM, "catapult.numbers.update", cat.update_number),
    _route("DELETE", _NUM, "catapult.numbers.delete", cat.delete_number),
    _route("POST", f"{_U}/messages", "catapult.messages.create", cat.send_message),
    _route("GET", f"{_U}/messages/<message_id>", "catapult.messages.get", cat.get_message),
]

_C = "/_emulator"
CONTROL: list[Route] = [
    _route("GET", f"{_C}/state", "control.state", ctl.get_state),
    _route("POST", f"{_C}/reset", "control.reset", ctl.post_reset),
    _route("POST", f"{_C}/faults", "control.faults", ctl.post_faults),
    _route("POST", f"{_C}/limits", "control.limits", ctl.post_limits),
    _route("POST", f"{_C}/progression", "control.progression", ctl.post_progression),
    _route("POST", f"{_C}/settle", "control.settle", ctl.post_settle),
    _route("POST", f"{_C}/numbers", "control.numbers", ctl.post_numbers),
    _route("GET", f"{_C}/callbacks", "control.callbacks", ctl.get_callbacks),
    _route("POST", f"{_C}/inbound", "control.inbound", ctl.post_inbound),
    _route("GET", f"{_C}/stats", "control.stats", ctl.get_stats),
]
