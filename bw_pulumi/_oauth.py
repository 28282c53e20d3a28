"""OAuth2 client credentials: one bearer token per provider process, shared by every thread.

Bandwidth is moving API users from Basic auth to OAuth2 client credentials
(bandwidth-api-v2.md 4; bandwidth-api.md 1.2): ``POST`` the token URL with Basic
``client_id:client_secret`` and the form ``grant_type=client_credentials``; the JSON answer
carries ``access_token``, ``token_type`` and ``expires_in`` (seconds). Requests then send
``Authorization: Bearer <token>``.

A :class:`TokenSource` fetches a token on first use, renews it before it expires (so a long
``up`` never sends a stale one) and, when an API still answers 401, drops exactly the token that
was refused so that one renewal serves every thread that saw the 401. The token and the client
secret are secrets: neither appears in a repr, a log line or an exception, and nothing here is
ever pickled (providers hold no state; this lives in the runtime registry).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._http import Transport
from .errors import BandwidthError, ErrorDetail

__all__ = ["MIN_RENEW_MARGIN", "OAUTH", "OAuthDialect", "TokenSource"]

#: Renew when this many seconds (or a tenth of the token's lifetime, if more) remain.
MIN_RENEW_MARGIN = 30.0
#: Lifetime assumed when the answer carries no usable ``expires_in`` (Bandwidth's is unstated).
_DEFAULT_LIFETIME = 300.0
_FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


@dataclass(frozen=True)
class OAuthDialect:
    """The token endpoint's side of :class:`bw_pulumi._http.Dialect`: RFC 6749 JSON errors."""

    api: str = "oauth"
    reset_ticks_per_second: float = 1.0

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        """``{"error", "error_description"}`` (RFC 6749 5.2); anything else yields nothing."""
        try:
            data = json.loads(body or b"")
        except ValueError:
            return []
        if not isinstance(data, dict) or not isinstance(data.get("error"), str):
            return []
        description = data.get("error_description")
        text = description if isinstance(description, str) and description else data["error"]
        return [ErrorDetail(data["error"], text)]

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        return status == 429


OAUTH = OAuthDialect()


class TokenSource:
    """Bearer tokens for one client at one token URL; thread-safe."""

    def __init__(self, token_url: str, client_id: str, client_secret: str) -> None:
        parts = urlsplit(token_url)
        head, _, self._tail = parts.path.rpartition("/")
        base = f"{parts.scheme}://{parts.netloc}{head}"
        self.token_url = token_url
        self._transport = Transport(base, (client_id, client_secret), OAUTH)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0  # monotonic instant after which the token is renewed first
        #: Tokens fetched so far (tests and diagnostics; never the tokens themselves).
        self.fetches = 0

    def __repr__(self) -> str:  # never shows the token or the client secret
        return f"TokenSource({self.token_url!r})"

    def token(self) -> str:
        """The current token, fetched or renewed first when it is missing or about to expire."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def refused(self, token: str) -> None:
        """An API answered 401 to ``token``: the next :meth:`token` fetches a new one, unless
        another thread already replaced it."""
        with self._lock:
            if self._token == token:
                self._token = None

    def close(self) -> None:
        self._transport.close()

    def _fetch(self) -> None:
        response = self._transport.request(
            "POST",
            self._tail,
            data="grant_type=client_credentials",
            headers=_FORM,
            idempotent=True,  # asking for a token twice changes nothing
            ok=(200,),
        )
        token, lifetime = self._parse(response.content, response.status_code)
        self.fetches += 1
        self._token = token
        margin = max(MIN_RENEW_MARGIN, lifetime / 10)
        # A token shorter-lived than the margin is still used once, not refetched per request.
        self._renew_at = time.monotonic() + max(lifetime - margin, lifetime / 2)

    def _parse(self, body: bytes, status: int) -> tuple[str, float]:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise BandwidthError(
                "the token answer carries no access_token (check bandwidth:oauthUrl)",
                status=status,
                method="POST",
                path=urlsplit(self.token_url).path,
                api="oauth",
            )
        assert isinstance(data, dict)
        return token, _lifetime(data.get("expires_in"))


def _lifetime(expires_in: object) -> float:
    """Seconds from ``expires_in`` (a number, or digits as some servers send it)."""
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and expires_in > 0:
        return float(expires_in)
    return _DEFAULT_LIFETIME
