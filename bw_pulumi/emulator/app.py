"""The WSGI application: prefix and case folding, routing, auth, faults, budgets, counters.

:mod:`.urls` holds the routes and the wire modules the formats; this module decides *whether* a
request reaches a handler and hands each handler its API's backend. Requests refused before a
handler runs (401, 403, 404, 429, injected 5xx) are answered by the API's ``*_faults`` module,
where its other error shapes live. ``/_emulator/`` routes bypass auth, faults, budgets and
counters.
"""

from __future__ import annotations

import re
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator import oauth, urls
from bw_pulumi.emulator.catapult import faults as catapult_faults
from bw_pulumi.emulator.catapult.backend import CatapultBackend
from bw_pulumi.emulator.control import ControlContext
from bw_pulumi.emulator.dashboard import faults as dashboard_faults
from bw_pulumi.emulator.dashboard import up
from bw_pulumi.emulator.dashboard.backend import DashboardBackend
from bw_pulumi.emulator.delivery import Delivery
from bw_pulumi.emulator.httpd import SOCKET_KEY
from bw_pulumi.emulator.messaging import faults as messaging_faults
from bw_pulumi.emulator.messaging.backend import MessagingBackend
from bw_pulumi.emulator.store import Store
from bw_pulumi.emulator.traffic import Budgets, Faults, Stats
from bw_pulumi.emulator.wire import empty, json_response

__all__ = ["EmulatorApp"]

#: The three Dashboard base prefixes (API doc 1.1), and the Universal Platform's ``/api/v2``
#: (v2 doc 1, served by translation: :mod:`.dashboard.up`).
_DASHBOARD = re.compile(r"^(/api/v1|/api/v2|/api|/v1\.0)(/accounts/.*)$")
_CATAPULT = "/v1/users/"
#: The Messaging API v2 base (``https://messaging.bandwidth.com/api/v2``, v2 doc 4): on this
#: port its ``/users/...`` paths sit beside the Dashboard's ``/api/v2/accounts/...``.
_MESSAGING = re.compile(r"^/api/v2(/users/.*)$")
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
        "sippeers",
        "associatedsippeers",
        "products",
        "messaging",
        "features",
        "applicationSettings",
    ]
}
_LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1", "localhost"}


_Handler = Callable[..., Response]


class _Refusals(Protocol):
    """An API's answers for requests refused before a handler runs (its ``*_faults`` module)."""

    def unauthorized(self) -> Response: ...
    def denied(self, whose: str) -> Response: ...
    def too_many(self, request: Request, wait: float) -> Response: ...
    def unavailable(self, status: int) -> Response: ...
    def no_route(self) -> Response: ...


_DASHBOARD_REFUSALS: _Refusals = dashboard_faults
_CATAPULT_REFUSALS: _Refusals = catapult_faults
_MESSAGING_REFUSALS: _Refusals = messaging_faults
_OAUTH_REFUSALS: _Refusals = oauth


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
        messaging: MessagingBackend,
        tokens: oauth.Tokens,
    ) -> None:
        self.ctx = ControlContext(
            store, delivery, catapult, Faults(), Budgets(), Stats(), messaging, tokens
        )
        self.accounts = store.accounts
        self.tokens = tokens
        self._dashboard = _Routes(urls.DASHBOARD, dashboard)
        self._catapult = _Routes(urls.CATAPULT, catapult)
        self._messaging = _Routes(urls.MESSAGING, messaging)
        self._oauth = _Routes(urls.OAUTH, tokens)
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

    def _select(self, request: Request) -> tuple[str, _Routes, _Refusals]:
        """The API a path belongs to: its path inside that API, its routes and refusals."""
        found = _DASHBOARD.match(request.path)
        if found:
            request.environ["bw.prefix"] = found.group(1)
            if found.group(1) == up.PREFIX:
                return up.inner_path(_fold(found.group(2))), self._dashboard, _DASHBOARD_REFUSALS
            return _fold(found.group(2)), self._dashboard, _DASHBOARD_REFUSALS
        found = _MESSAGING.match(request.path)
        if found:
            return found.group(1), self._messaging, _MESSAGING_REFUSALS
        if request.path.startswith("/api/v1/oauth2/"):
            return request.path, self._oauth, _OAUTH_REFUSALS
        return _fold(request.path), self._catapult, _CATAPULT_REFUSALS

    def _serve_api(self, request: Request) -> Response:
        path, routes, refuse = self._select(request)
        endpoint: str | None = None
        values: Mapping[str, Any] = {}
        status: Response | None = None
        try:
            endpoint, values = routes.map.bind("emulator").match(path, method=request.method)
        except NotFound:
            status = refuse.no_route()
        except MethodNotAllowed:
            status = empty(405)
        route = f"{request.method} {endpoint or 'unmatched'}"
        response = self._shape(request, refuse, route) or status
        if response is None:
            response = self._authorize(request, refuse, path)
        if response is None:
            wait = self.ctx.budgets.check(route)
            if wait is not None:
                response = refuse.too_many(request, wait)
        if response is None and endpoint is not None:
            universal = request.environ.get("bw.prefix") == up.PREFIX
            response = self._run(
                routes, endpoint, up.request_in(request) if universal else request, values
            )
            if universal:
                response = up.response_out(response)
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

    def _shape(self, request: Request, refuse: _Refusals, route: str) -> Response | None:
        """Injected latency and faults (``POST /_emulator/faults``), drawn per request."""
        latency, outcome = self.ctx.faults.draw()
        if latency:
            time.sleep(latency)
        if outcome == "drop":
            self.ctx.stats.count(route, "drop")
            sock = request.environ.get(SOCKET_KEY)
            if isinstance(sock, socket.socket):
                sock.shutdown(socket.SHUT_RDWR)
            # The server treats ConnectionError as "connection gone": no response is written.
            raise ConnectionResetError("emulated dropped connection")
        if outcome == "429":
            return refuse.too_many(request, 1.0)
        if outcome in ("500", "503"):
            return refuse.unavailable(int(outcome))
        return None

    def _authorize(self, request: Request, refuse: _Refusals, path: str) -> Response | None:
        """401 for wrong credentials, 403 for another account's or user's path."""
        if refuse is _OAUTH_REFUSALS:
            return None  # the token endpoint checks the client credentials itself
        auth = request.authorization
        given = (auth.username, auth.password) if auth and auth.type == "basic" else None
        parts = path.split("/")
        if refuse is _CATAPULT_REFUSALS:
            # Catapult v1 has its own token and secret, never OAuth.
            if given != (self.accounts.api_token, self.accounts.api_secret):
                return refuse.unauthorized()
            user = parts[3] if path.startswith(_CATAPULT) else None
            if user is not None and user != self.accounts.user_id:
                return refuse.denied(user)
            return None
        # Dashboard and Messaging: the API user's Basic credentials or an unexpired OAuth2
        # bearer token (bandwidth-api.md 1.2, v2 doc 4 "Auth").
        bearer = auth is not None and auth.type == "bearer" and self.tokens.valid(auth.token or "")
        if not bearer and given != (self.accounts.username, self.accounts.password):
            return refuse.unauthorized()
        if parts[2] != self.accounts.account_id:
            return refuse.denied(
                parts[3] if refuse is _DASHBOARD_REFUSALS and len(parts) > 3 else parts[2]
            )
        return None
