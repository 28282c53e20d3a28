"""One transport's way to its host: each request prepared here and handed to requests' adapter.

``requests.Session.request`` merges session settings, cookies, hooks and the environment's proxy
settings into every request; in bulk work (1000 DELETEs) that was about a third of a request's
client CPU, and the provider process is CPU-bound there. Bandwidth's APIs set no cookies and
never redirect (a redirect is refused), and a provider process talks to one host, so the
environment is read once here and the rest is the same exchange requests would make.

requests (with urllib3, ~80 ms) is imported by the first exchange, not with bw_pulumi: most
provider processes (a no-op ``up``, a preview) make no request at all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._xml import MAX_XML_BYTES

if TYPE_CHECKING:
    import requests

__all__ = ["MAX_RESPONSE_BYTES", "Exchange", "TooLarge", "read_capped"]

#: Largest response body read; the XML parser refuses more anyway, this keeps it out of memory.
MAX_RESPONSE_BYTES = MAX_XML_BYTES
_READ_CHUNK = 64 * 1024


class TooLarge(Exception):
    """A response body over :data:`MAX_RESPONSE_BYTES`; it was not kept."""


def read_capped(response: requests.Response) -> None:
    """Read the whole body, but never more than :data:`MAX_RESPONSE_BYTES` of it."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_READ_CHUNK):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            response.close()
            raise TooLarge(f"over {size} bytes read")
        chunks.append(chunk)
    response._content = b"".join(chunks)


class Exchange:
    """Prepared requests for one host, with basic auth and the environment's proxy and CA bundle.

    ``NO_PROXY`` is applied to that host as requests would; ``trust_env`` is off otherwise
    (credentials are explicit, so no ``.netrc`` look-up is lost).
    """

    def __init__(
        self, base_url: str, auth: tuple[str, str], user_agent: str, pool_maxsize: int
    ) -> None:
        import requests
        from requests.adapters import HTTPAdapter
        from requests.auth import HTTPBasicAuth

        self.proxies: dict[str, str] = requests.utils.get_environ_proxies(base_url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.verify: bool | str = bundle or True
        self._auth = HTTPBasicAuth(*auth)
        self._headers = dict(requests.utils.default_headers())
        self._headers["User-Agent"] = user_agent
        self._adapter = HTTPAdapter(pool_connections=2, pool_maxsize=pool_maxsize, max_retries=0)
        self._prepared = requests.PreparedRequest
        #: Failures of the exchange itself: retried by backoff when the request may be repeated.
        self.failures: tuple[type[Exception], ...] = (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        )

    def __repr__(self) -> str:  # never shows the credentials
        return f"Exchange(proxies={sorted(self.proxies)!r})"

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        data: bytes | str | None,
        json: Any,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
    ) -> requests.Response:
        """One exchange; the body is left unread (``stream``) for the caller's size cap."""
        prepared = self._prepared()
        prepared.prepare_method(method)
        prepared.prepare_url(url, params)
        prepared.prepare_headers({**self._headers, **headers})
        prepared.prepare_body(data, None, json)
        self._auth(prepared)
        return self._adapter.send(
            prepared, stream=True, timeout=timeout, verify=self.verify, proxies=self.proxies
        )

    def close(self) -> None:
        self._adapter.close()
