"""OAuth2 client credentials: ``POST /api/v1/oauth2/token`` and the bearer tokens it issues.

Bandwidth's token endpoint (``https://api.bandwidth.com/api/v1/oauth2/token``, bandwidth-api.md
1.2, bandwidth-api-v2.md 4 "Auth") takes Basic ``client_id:client_secret`` and the form body
``grant_type=client_credentials`` and answers JSON ``{access_token, token_type, expires_in}``;
the Dashboard and Messaging APIs then accept ``Authorization: Bearer <token>`` as well as Basic.
Bandwidth's own SDK (``bandwidth-sdk`` 23.x ``Configuration.get_access_token``) reads exactly
``access_token`` and ``expires_in``. Error bodies follow RFC 6749 5.2 (``{"error": ...}``): the
docs show none. Tokens live in memory only: after a restart a client gets 401 and fetches anew.
"""

from __future__ import annotations

import math
import secrets
import threading
import time

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.wire import empty, json_response

__all__ = [
    "DEFAULT_TOKEN_SECONDS",
    "TOKEN_PATH",
    "Tokens",
    "denied",
    "issue_token",
    "no_route",
    "too_many",
    "unauthorized",
    "unavailable",
]

TOKEN_PATH = "/api/v1/oauth2/token"
#: An hour, the usual client-credentials lifetime (no Bandwidth source gives the number).
DEFAULT_TOKEN_SECONDS = 3600.0


class Tokens:
    """The client the emulator accepts, the tokens it issued and their lifetime."""

    def __init__(
        self, client_id: str, client_secret: str, seconds: float = DEFAULT_TOKEN_SECONDS
    ) -> None:
        self.client = (client_id, client_secret)
        self._initial_seconds = self.seconds = seconds
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> tuple[str, float]:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[token] = time.time() + self.seconds
            return token, self.seconds

    def valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._expiry.get(token)
            if expiry is not None and expiry <= time.time():
                del self._expiry[token]  # expired tokens are forgotten
                expiry = None
        return expiry is not None

    def expire_all(self) -> int:
        """Every issued token stops working now (a test's way to see a client renew)."""
        with self._lock:
            count = len(self._expiry)
            self._expiry.clear()
        return count

    def configure(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError("token_seconds must be a positive number")
        with self._lock:
            self.seconds = seconds

    def reset(self) -> None:
        with self._lock:
            self._expiry.clear()
            self.seconds = self._initial_seconds


def _error(status: int, error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, status)


def issue_token(tokens: Tokens, request: Request) -> Response:
    """The token endpoint: Basic client credentials (or, per RFC 6749 2.3.1, the same two in
    the form body), ``grant_type=client_credentials``."""
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        given = (auth.username, auth.password)
    else:
        given = (request.form.get("client_id"), request.form.get("client_secret"))
    if given != tokens.client:
        response = _error(401, "invalid_client", "Client authentication failed")
        response.headers["WWW-Authenticate"] = 'Basic realm="Bandwidth OAuth"'
        return response
    if request.form.get("grant_type") != "client_credentials":
        return _error(400, "unsupported_grant_type", "Only client_credentials is supported")
    token, seconds = tokens.issue()
    body = {"access_token": token, "token_type": "Bearer", "expires_in": math.floor(seconds)}
    return json_response(body, 200, {"Cache-Control": "no-store"})


# -- refusals made before the handler runs (the app's fault injection) -----------------------


def unauthorized() -> Response:
    return _error(401, "invalid_client", "Client authentication failed")


def denied(whose: str) -> Response:
    return _error(403, "access_denied", "Access denied")


def too_many(request: Request, wait: float) -> Response:
    return empty(429, {"Retry-After": str(math.ceil(wait))})


def unavailable(status: int) -> Response:
    return empty(status)


def no_route() -> Response:
    return _error(404, "not_found", "No such OAuth endpoint")
