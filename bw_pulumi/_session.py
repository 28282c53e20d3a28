"""One transport's way to its host: each request prepared here and handed to requests' adapter.

``requests.Session.request`` merges session settings, cookies, hooks and the environment's proxy
settings into every request; in bulk work (1000 DELETEs) that was about a third of a request's
client CPU, and the provider process is CPU-bound there. Bandwidth's APIs set no cookies and
never redirect (a redirect is refused), and a provider process talks to one host, so the
environment is read once here and the rest is the same exchange requests would make.

requests' adapter is kept (urllib3's pool, time-outs, TLS and its mapping of urllib3's errors)
but subclassed where requests documents it (:class:`~._one_host.OneHostAdapter`): it looked up
the pool per request, parsing the URL, matching proxies and stat-ing the CA bundle. Measured on
1000 DELETEs 16 wide against the emulator: about 1.3 ms of client CPU per request before, 1.15
after.

requests (with urllib3, ~80 ms) is imported by the first exchange, not with bw_pulumi: most
provider processes (a no-op ``up``, a preview) make no request at all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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
    """Prepared requests for one origin, with basic auth (unless ``auth`` is ``None``) and the
    environment's proxy and CA bundle.

    ``NO_PROXY`` is applied to that host as requests would; ``trust_env`` is off otherwise
    (credentials are explicit, so no ``.netrc`` look-up is lost). Every URL sent must start with
    ``base_url``'s origin: the adapter keeps the one connection pool it found for it.
    """

    def __init__(
        self, base_url: str, auth: tuple[str, str] | None, user_agent: str, pool_maxsize: int
    ) -> None:
        import requests

        from ._one_host import OneHostAdapter, basic_auth, prepare

        parts = urlsplit(base_url)
        #: scheme://netloc exactly as ``base_url`` spells it, so every URL under it starts so.
        self.origin = base_url[: len(parts.scheme) + 3 + len(parts.netloc)]
        self.proxies: dict[str, str] = requests.utils.get_environ_proxies(base_url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.verify: bool | str = bundle or True
        self._headers = dict(requests.utils.default_headers())
        self._headers["User-Agent"] = user_agent
        if auth is not None:  # else each request brings its own (a bearer token)
            self._headers["Authorization"] = basic_auth(*auth)
        self._adapter = OneHostAdapter(self.origin, pool_maxsize)
        self._prepare = prepare
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
        if not url.startswith(self.origin):
            raise ValueError(f"{url!r} is not under {self.origin!r}")
        prepared = self._prepare(method, url, params, {**self._headers, **headers}, data, json)
        return self._adapter.send(
            prepared, stream=True, timeout=timeout, verify=self.verify, proxies=self.proxies
        )

    def close(self) -> None:
        self._adapter.close()
