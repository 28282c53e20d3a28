"""requests' adapter and request preparation for a transport that talks to one origin.

Imported by the first exchange (see :mod:`._session`), never with bw_pulumi: it loads requests
and urllib3.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import BaseHTTPResponse
from urllib3.connectionpool import ConnectionPool

__all__ = ["OneHostAdapter", "basic_auth", "prepare", "query_string"]


class OneHostAdapter(HTTPAdapter):
    """The connection pool and the request-target form, looked up on the first request and kept.

    requests looks both up per request: it parses the URL, matches proxies and, with a CA bundle
    configured, stats the bundle's path; that system call hands the GIL over in the middle of
    every request, which 16 threads of bulk work then queue for. One origin with the same
    ``verify`` and proxies has one answer for all of them. Responses skip cookie extraction:
    Bandwidth's APIs set no cookies and nothing here would send them back.
    """

    def __init__(self, origin: str, pool_maxsize: int) -> None:
        super().__init__(pool_connections=1, pool_maxsize=pool_maxsize, max_retries=0)
        self.origin = origin
        self._pool: ConnectionPool | None = None
        self._absolute: bool | None = None  # through an http:// proxy the target is the URL

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: tuple[str, str] | str | None = None,
    ) -> ConnectionPool:
        pool = self._pool
        if pool is None:
            pool = self._pool = super().get_connection_with_tls_context(
                request, verify, proxies, cert
            )
        return pool

    def request_url(
        self, request: requests.PreparedRequest, proxies: Mapping[str, str] | None
    ) -> str:
        url = request.url or ""
        if self._absolute is None:
            self._absolute = super().request_url(request, proxies) != request.path_url
        return url if self._absolute else (url[len(self.origin) :] or "/")

    def close(self) -> None:
        """Drops the kept pool with requests' own: the next request opens a new one."""
        super().close()
        self._pool = None

    def build_response(
        self, req: requests.PreparedRequest, resp: BaseHTTPResponse
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = resp.status
        response.headers = CaseInsensitiveDict(resp.headers)
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.raw = resp
        response.reason = resp.reason or ""
        response.url = req.url or ""
        response.request = req
        response.connection = self
        return response


def prepare(
    method: str,
    url: str,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str],
    data: bytes | str | None,
    json: Any,
) -> requests.PreparedRequest:
    """The request requests would prepare, less its URL normalisation: the transport builds
    ``url`` from a validated base URL and paths its clients quote themselves."""
    prepared = requests.PreparedRequest()
    prepared.method = method
    prepared.url = url + query_string(params)
    prepared.headers = CaseInsensitiveDict(headers)
    prepared.prepare_body(data, None, json)
    return prepared


def query_string(params: Mapping[str, Any] | None) -> str:
    """``?a=1&b=2`` as requests encodes ``params`` (``None`` values left out), or ``""``."""
    pairs: list[tuple[str, Any]] = []
    for key, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs += [(key, v) for v in values if v is not None]
    return f"?{urlencode(pairs)}" if pairs else ""


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` value for HTTP basic auth (UTF-8, RFC 7617)."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"
