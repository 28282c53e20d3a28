"""The WSGI application: prefix and case folding, routing, auth, faults, budgets, counters.

The wire modules hold the formats and :mod:`.urls` the routes; this module decides *whether* a
request reaches a handler, hands each handler its API's backend, and shapes the refusals made
before any handler runs the way each API does (Dashboard: empty 401/429 bodies and
``ResponseStatus`` 403s; Catapult: JSON errors). ``/_emulator/`` routes bypass auth, faults,
budgets and counters.
"""

from __future__ import annotations

import math
import re
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator import urls
from bw_pulumi.emulator.catapult_backend import CatapultBackend
from bw_pulumi.emulator.control import ControlContext
from bw_pulumi.emulator.dashboard_backend import DashboardBackend
from bw_pulumi.emulator.delivery import Delivery
from bw_pulumi.emulator.store import Store
from bw_pulumi.emulator.traffic import Budgets, Faults, Stats
from bw_pulumi.emulator.wire import empty, json_error, json_response, status_error

__all__ = ["EmulatorApp"]

#: The three Dashboard base prefixes (API doc 1.1), longest first.
_DASHBOARD = re.compile(r"^(/api/v1|/api|/v1\.0)(/accounts/.*)$")
_CATAPULT = "/v1/users/"
#: Collection names matched case-insensitively (``importtnorders`` works). Shipped SDKs use both
#: cases, so the real router very likely folds them: inferred, not verified (API doc 1.4).
_CANONICAL = {
    name.lower(): name
    for name in [
        "subscriptions",
        "importTnChecker",
        "importTnOrders",
        "removeImportedTnOrders",
        "inserviceNumbers",
        "sites",
        "externalTns",
        "loas",
        "history",
        "totals",
        "metadata",
        "applications",
        "phoneNumbers",
        "messages",
    ]
}
#: Root element of a 403 per Dashboard collection (the ``{X}Response`` family, API doc 1.5).
_DENIED_ROOTS = {
    "subscriptions": "SubscriptionsResponse",
    "importTnChecker": "ImportTnCheckerResponse",
    "importTnOrders": "ImportTnOrderResponse",
    "removeImportedTnOrders": "RemoveImportedTnOrdersResponse",
    "externalTns": "ExternalTnsOrderResponse",
    "inserviceNumbers": "TNs",
}
_LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1", "localhost"}


_Handler = Callable[..., Response]


class _Routes:
    """One API's route table bound to a werkzeug ``Map`` and to the context its handlers take."""

    def __init__(self, table: list[urls.Route], context: object) -> None:
        # Rules bind to one Map, so every app gets fresh copies (several emulators per process).
        self.map = Map([rule.empty() for rule, _ in table], strict_slashes=False)
        self.handlers: dict[str, _Handler] = {str(rule.endpoint): h for rule, h in table}
        self.context = context


def _fold(path: str) -> str:
    return "/".join(_CANONICAL.get(part.lower(), part) for part in path.split("/"))


class EmulatorApp:
    """One WSGI callable serving the Dashboard, Catapult and control APIs."""

    def __init__(
        self,
        store: Store,
        delivery: Delivery,
        dashboard: DashboardBackend,
        catapult: CatapultBackend,
    ) -> None:
        self.ctx = ControlContext(store, delivery, catapult, Faults(), Budgets(), Stats())
        self.accounts = store.accounts
        self._dashboard = _Routes(urls.DASHBOARD, dashboard)
        self._catapult = _Routes(urls.CATAPULT, catapult)
        self._control = _Routes(urls.CONTROL, self.ctx)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith("/_emulator/"):
            response = self._serve_control(request)
        else:
            response = self._serve_api(request)
        result: Iterable[bytes] = response(environ, start_response)
        return result

    # -- control --------------------------------------------------------------------------

    def _serve_control(self, request: Request) -> Response:
        if request.remote_addr not in _LOOPBACK:
            return json_response({"error": "the control API only answers loopback clients"}, 403)
        try:
            endpoint, values = self._control.map.bind("emulator").match(
                request.path, method=request.method
            )
        except NotFound:
            return json_response({"error": f"no control route {request.path}"}, 404)
        except MethodNotAllowed:
            return json_response({"error": f"{request.method} not allowed here"}, 405)
        return self._run(self._control, endpoint, request, values)

    # -- APIs -----------------------------------------------------------------------------

    def _serve_api(self, request: Request) -> Response:
        found = _DASHBOARD.match(request.path)
        api = "dashboard" if found else "catapult"
        if found:
            request.environ["bw.prefix"] = found.group(1)
            path, routes = _fold(found.group(2)), self._dashboard
        else:
            path, routes = _fold(request.path), self._catapult
        endpoint: str | None = None
        values: Mapping[str, Any] = {}
        status: Response | None = None
        try:
            endpoint, values = routes.map.bind("emulator").match(path, method=request.method)
        except NotFound:
            status = self._not_found(api)
        except MethodNotAllowed:
            status = empty(405)
        route = f"{request.method} {endpoint or 'unmatched'}"
        response = self._shape(request, api, route) or status
        if response is None:
            response = self._authorize(request, api, path, values)
        if response is None:
            wait = self.ctx.budgets.check(route)
            if wait is not None:
                response = self._too_many(request, api, wait)
        if response is None and endpoint is not None:
            response = self._run(routes, endpoint, request, values)
        assert response is not None
        self.ctx.stats.count(route, str(response.status_code))
        return response

    @staticmethod
    def _run(
        routes: _Routes, endpoint: str, request: Request, values: Mapping[str, Any]
    ) -> Response:
        try:
            result: Response = routes.handlers[endpoint](routes.context, request, **values)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return empty(500)
        return result

    @staticmethod
    def _not_found(api: str) -> Response:
        if api == "catapult":
            return json_error(404, "not-found", "resource-not-found", "The resource does not exist")
        return empty(404)

    def _shape(self, request: Request, api: str, route: str) -> Response | None:
        """Injected latency and faults (``POST /_emulator/faults``), drawn per request."""
        latency, outcome = self.ctx.faults.draw()
        if latency:
            time.sleep(latency)
        if outcome == "drop":
            self.ctx.stats.count(route, "drop")
            sock = request.environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                sock.shutdown(socket.SHUT_RDWR)
            # werkzeug treats ConnectionError as "client went away": no response is written.
            raise ConnectionResetError("emulated dropped connection")
        if outcome == "429":
            return self._too_many(request, api, 1.0)
        if outcome in ("500", "503"):
            code = int(outcome)
            if api == "catapult":
                return json_error(code, "unavailable", "service-unavailable", "Emulated fault")
            return empty(code)
        return None

    @staticmethod
    def _too_many(request: Request, api: str, wait: float) -> Response:
        reset = time.time() + wait
        if api == "dashboard":
            # Empty body, X-RateLimit-Reset in epoch SECONDS (API doc 1.6).
            return empty(429, {"X-RateLimit-Reset": str(math.ceil(reset))})
        millis = str(math.ceil(reset * 1000))
        # JSON without "message", X-RateLimit-Reset in epoch MILLISECONDS (API doc 9).
        details = [
            {"name": "rateLimitResetTime", "value": millis},
            {"name": "requestMethod", "value": request.method},
            {"name": "remoteAddress", "value": request.remote_addr or ""},
            {"name": "requestPath", "value": request.path.removeprefix("/v1/")},
        ]
        body = {"category": "too-many-requests", "code": "rate-limit-reached", "details": details}
        return json_response(body, 429, {"X-RateLimit-Reset": millis})

    def _authorize(
        self, request: Request, api: str, path: str, values: Mapping[str, Any]
    ) -> Response | None:
        auth = request.authorization
        given = (auth.username, auth.password) if auth and auth.type == "basic" else None
        if api == "dashboard":
            if given != (self.accounts.username, self.accounts.password):
                # The Dashboard 401 body is undocumented (API doc 1.2): empty, with a challenge.
                return empty(401, {"WWW-Authenticate": 'Basic realm="Bandwidth Dashboard"'})
            account = path.split("/")[2]
            if account != self.accounts.account_id:
                parts = path.split("/")
                root = _DENIED_ROOTS.get(parts[3] if len(parts) > 3 else "", "ErrorResponse")
                return status_error(root, 403, 1001, "Access Denied")
            return None
        if given != (self.accounts.api_token, self.accounts.api_secret):
            response = json_error(
                401, "authentication", "unauthorized", "Invalid API token or secret"
            )
            response.headers["WWW-Authenticate"] = 'Basic realm="Catapult"'
            return response
        user = path.split("/")[3] if path.startswith(_CATAPULT) else None
        if user is not None and user != self.accounts.user_id:
            return json_error(
                403, "authorization", "access-denied", f"You have no access to user {user}"
            )
        return None
