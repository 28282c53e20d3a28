"""One HTTP transport per Bandwidth API: sessions, time-outs, retries, rate limits and pacing.

A :class:`Transport` owns one ``requests.Session`` and is shared by the dynamic provider's
worker threads, so every piece of mutable state (the "blocked until" instant learnt from a 429,
the pacing buckets) sits behind a lock. Failed exchanges become the :mod:`bw_pulumi.errors`
class for their status, carrying every Bandwidth code and description found in the body.

Retries are a small loop here rather than urllib3's ``Retry`` on the adapter: the decision needs
the response *body* (Catapult signals some rate limits as 403 ``message-rate-limit``), differs
per request (a creating POST may only be retried on 429, which means "not processed"), and the
total wait must be capped across attempts. The adapter keeps urllib3's connection pool.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import logging
import random
import threading
import time
from collections.abc import Mapping, Sequence
from importlib import metadata
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from . import _xml
from .errors import (
    BandwidthError,
    ErrorDetail,
    RateLimited,
    TransportError,
    error_for_status,
)

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "CATAPULT_RATE_LIMIT_CODES",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "MAX_ATTEMPTS",
    "MAX_RESPONSE_BYTES",
    "MAX_TOTAL_RETRY_WAIT",
    "PACING_HEADROOM",
    "POOL_MAXSIZE",
    "RETRY_STATUSES",
    "USER_AGENT",
    "Api",
    "Transport",
    "catapult_error_details",
    "dashboard_error_details",
    "id_from_location",
    "shared_transport",
]

log = logging.getLogger("bw_pulumi.http")

Api = Literal["dashboard", "catapult"]

#: Seconds to open a TCP/TLS connection, and to wait for response bytes.
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
#: The engine runs 4 provider threads; twice that leaves room for pagination side calls.
POOL_MAXSIZE = 8
#: Statuses retried on idempotent requests (429 is retried on every request: "not processed").
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Catapult answers some rate limits with 403 and these codes. Source: Bandwidth's old AP rate-limit
#: page as quoted in pulumi-dynamic-providers.md; bandwidth-api.md section 9 names only the 429.
CATAPULT_RATE_LIMIT_CODES = frozenset({"message-rate-limit", "call-rate-limit"})
#: Attempts per request, the first included.
MAX_ATTEMPTS = 8
#: Exponential backoff: base * 2**retry, capped, with full jitter.
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
#: Total time one request may spend waiting between attempts before giving up.
MAX_TOTAL_RETRY_WAIT = 120.0
#: Slack added after a rate-limit reset instant so we do not arrive a tick early.
RESET_MARGIN_SECONDS = 0.05
#: Pacing runs this fraction below a documented budget: tokens are taken when a request leaves,
#: but Bandwidth counts arrivals, and network jitter would otherwise land some just too early.
PACING_HEADROOM = 0.9
#: Dashboard resets are epoch seconds, Catapult's epoch milliseconds (API doc 1.6 and 9); a
#: value above this is milliseconds whatever the API, which guards against a mislabelled header.
_EPOCH_MS_THRESHOLD = 10_000_000_000

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
#: Largest response body read; the XML parser refuses more anyway, this keeps it out of memory.
MAX_RESPONSE_BYTES = _xml.MAX_XML_BYTES
_READ_CHUNK = 64 * 1024


class _TooLarge(Exception):
    pass


class _Redirected(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _refuse_redirect(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
    """Response hook: stop at a redirect before requests reads its body (it does, to release the
    connection, even with ``allow_redirects=False``), so the size cap holds for 3xx too."""
    if response.is_redirect:
        response.close()
        raise _Redirected(response.status_code)


def _read_capped(response: requests.Response) -> None:
    """Read the whole body, but never more than :data:`MAX_RESPONSE_BYTES` of it."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_READ_CHUNK):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            response.close()
            raise _TooLarge(f"over {size} bytes read")
        chunks.append(chunk)
    response._content = b"".join(chunks)


def _version() -> str:
    try:
        return metadata.version("bw-pulumi")
    except metadata.PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "0+unknown"


USER_AGENT = f"bw-pulumi/{_version()}"


class _TokenBucket:
    """A classic token bucket; ``take`` blocks until a token is free."""

    def __init__(self, rate_per_second: float, burst: int) -> None:
        self.rate = rate_per_second
        self.burst = max(1, burst)
        self.tokens = float(self.burst)
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> float:
        """Reserve one token; returns the seconds waited."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1.0  # reserving under the lock keeps concurrent callers in line
            wait = 0.0 if self.tokens >= 0 else -self.tokens / self.rate
        if wait > 0:
            time.sleep(wait)
        return wait


# Buckets are per process, not per transport: the budgets Catapult documents are per user.
_BUCKETS: dict[str, _TokenBucket] = {}
_BUCKETS_LOCK = threading.Lock()


class Transport:
    """A thread-safe HTTP client for one Bandwidth API (``api`` is "dashboard" or "catapult")."""

    def __init__(
        self,
        base_url: str,
        auth: tuple[str, str],
        api: Api = "dashboard",
        *,
        timeout: tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT),
        max_attempts: int = MAX_ATTEMPTS,
        max_total_wait: float = MAX_TOTAL_RETRY_WAIT,
    ) -> None:
        if api not in ("dashboard", "catapult"):
            raise ValueError(f"api must be 'dashboard' or 'catapult', not {api!r}")
        self.base_url = base_url.rstrip("/")
        self.api: Api = api
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_total_wait = max_total_wait
        self._session = requests.Session()
        self._session.auth = auth
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.hooks["response"].append(_refuse_redirect)
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=POOL_MAXSIZE, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._lock = threading.Lock()
        self._blocked_until = 0.0  # wall-clock instant before which no request is sent

    def __repr__(self) -> str:  # never shows the auth tuple
        return f"Transport({self.base_url!r}, api={self.api!r})"

    def close(self) -> None:
        self._session.close()

    def url(self, path: str) -> str:
        """``path`` (starting with ``/``) joined onto the base URL."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def pace(self, bucket_name: str, rate_per_second: float, burst: int) -> float:
        """Wait for a token of the process-wide bucket ``bucket_name``; returns seconds waited."""
        with _BUCKETS_LOCK:
            bucket = _BUCKETS.get(bucket_name)
            if bucket is None:
                bucket = _TokenBucket(rate_per_second * PACING_HEADROOM, burst)
                _BUCKETS[bucket_name] = bucket
        return bucket.take()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: bytes | str | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        ok: Sequence[int] = (200, 201, 204),
    ) -> requests.Response:
        """Send with retries; return the response if its status is in ``ok``, else raise."""
        method = method.upper()
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS
        url = self.url(path)
        where = urlsplit(url).path or "/"  # error text: the path only, never host or query
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            self._wait_if_blocked()
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    json=json,
                    headers=dict(headers or {}),
                    timeout=self.timeout,
                    # Bandwidth's APIs do not redirect; following a 307/308 would resend the body
                    # (a Catapult import carries the Dashboard password) to wherever it points.
                    allow_redirects=False,
                    stream=True,
                )
                _read_capped(response)
            except _Redirected as exc:
                raise BandwidthError(
                    "Bandwidth's APIs do not redirect; the redirect was not followed (check the "
                    "base URL)",
                    status=exc.status,
                    method=method,
                    path=where,
                    api=self.api,
                ) from None
            except _TooLarge as exc:
                raise TransportError(
                    f"the response body exceeds {MAX_RESPONSE_BYTES} bytes ({exc}); refused",
                    status=response.status_code,
                    method=method,
                    path=where,
                    api=self.api,
                ) from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                # A connect failure means nothing was sent; a read failure may have been processed.
                retryable = idempotent or isinstance(exc, requests.ConnectTimeout)
                delay = self._backoff(attempt)
                if not retryable or not self._may_retry(attempt, waited, delay):
                    raise TransportError(
                        f"{type(exc).__name__} after {attempt} attempt(s); check the base URL "
                        "and network access",
                        method=method,
                        path=where,
                        api=self.api,
                    ) from None
                log.info("%s %s: %s, retrying in %.2fs", method, where, type(exc).__name__, delay)
                waited += delay
                time.sleep(delay)
                continue
            if response.status_code in ok:
                return response
            details = self.error_details(response)
            rate_limited = self._is_rate_limited(response, details)
            if rate_limited or (idempotent and response.status_code in RETRY_STATUSES):
                delay = self._retry_delay(response, attempt)
                if self._may_retry(attempt, waited, delay):
                    if rate_limited:
                        # Every thread sharing this transport holds off until the reset, not only
                        # this one; a reset too far off to wait for is not imposed on them.
                        self._block_for(delay)
                    log.info(
                        "%s %s: HTTP %s, retrying in %.2fs",
                        method,
                        where,
                        response.status_code,
                        delay,
                    )
                    waited += delay
                    time.sleep(delay)
                    continue
            raise self._error(response, method, where, details, rate_limited, attempt, self.api)

    # -- retry policy -------------------------------------------------------------------

    def _may_retry(self, attempt: int, waited: float, delay: float) -> bool:
        return attempt < self.max_attempts and waited + delay <= self.max_total_wait

    @staticmethod
    def _backoff(attempt: int) -> float:
        ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))
        # "Equal jitter": at least half the ceiling, so retries never bunch up at zero.
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _retry_delay(self, response: requests.Response, attempt: int) -> float:
        reset = self._reset_delay(response.headers)
        return self._backoff(attempt) if reset is None else reset

    def _block_for(self, seconds: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, time.time() + seconds)

    def _reset_delay(self, headers: Mapping[str, str]) -> float | None:
        """Seconds until ``X-RateLimit-Reset`` or ``Retry-After``; ``None`` if neither is usable."""
        raw = headers.get("X-RateLimit-Reset")
        if raw:
            try:
                value = float(raw.strip())
            except ValueError:
                value = None
            if value is not None:
                if self.api == "catapult" or value > _EPOCH_MS_THRESHOLD:
                    value /= 1000.0
                return max(0.0, value - time.time()) + RESET_MARGIN_SECONDS
        after = headers.get("Retry-After")
        if after:
            after = after.strip()
            if after.isdigit():
                return float(after)
            try:
                when = email.utils.parsedate_to_datetime(after)
            except (TypeError, ValueError):
                return None
            return max(0.0, when.timestamp() - time.time()) + RESET_MARGIN_SECONDS
        return None

    def _wait_if_blocked(self) -> None:
        with self._lock:
            delay = self._blocked_until - time.time()
        if delay > 0:
            time.sleep(delay)

    def _is_rate_limited(self, response: requests.Response, details: Sequence[ErrorDetail]) -> bool:
        if response.status_code == 429:
            return True
        return (
            self.api == "catapult"
            and response.status_code == 403
            and any(d.code in CATAPULT_RATE_LIMIT_CODES for d in details)
        )

    # -- errors -------------------------------------------------------------------------

    def error_details(self, response: requests.Response) -> list[ErrorDetail]:
        if self.api == "catapult":
            return catapult_error_details(response.content)
        return dashboard_error_details(response.content)

    @staticmethod
    def _error(
        response: requests.Response,
        method: str,
        where: str,
        details: Sequence[ErrorDetail],
        rate_limited: bool,
        attempt: int,
        api: Api,
    ) -> BandwidthError:
        status = response.status_code
        cls = RateLimited if rate_limited else error_for_status(status)
        reason = response.reason or ""
        if rate_limited or status in RETRY_STATUSES:
            reason = f"{reason} (after {attempt} attempt(s))".strip()
        return cls(reason, status=status, method=method, path=where, details=details, api=api)


def dashboard_error_details(body: bytes | None) -> list[ErrorDetail]:
    """Every code/description in a Dashboard error body, whatever its shape (API doc 1.5).

    Covers ``ResponseStatus > ErrorCode, Description`` (also without ``ErrorCode``), repeated
    flat ``Errors > Code, Description``, ``ErrorList > Error``, ``Error > Code, Description``
    and ``resultCode``/``resultMessage``; an empty or unparseable body yields no details.
    """
    if not body or not body.strip():
        return []
    try:
        root = _xml.parse(body)
    except _xml.UnsafeXmlError:
        return []
    details: list[ErrorDetail] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        description = _xml.child_text(node, "Description")
        code = _xml.child_text(node, "ErrorCode") or _xml.child_text(node, "Code")
        if description and (code or node.tag == "ResponseStatus"):
            tns = tuple(_xml.texts(_first_child(node, "TelephoneNumbers"), "TelephoneNumber"))
            details.append(ErrorDetail(code, description, tns))
            continue
        result_code = _xml.child_text(node, "resultCode")
        message = _xml.child_text(node, "resultMessage")
        if result_code and result_code != "0" and message:
            details.append(ErrorDetail(result_code, message))
    return details


def _first_child(node: Any, name: str) -> Any:
    children = _xml.children_named(node, name)
    return children[0] if children else None


def catapult_error_details(body: bytes | None) -> list[ErrorDetail]:
    """``{category, code, message, details}`` as one detail; the 429 body has no ``message``."""
    if not body or not body.strip():
        return []
    try:
        payload = jsonlib.loads(body)
    except ValueError:
        return []
    if not isinstance(payload, dict):
        return []
    code = payload.get("code")
    message = payload.get("message") or payload.get("category") or "no message"
    if code is None and "message" not in payload:
        return []
    return [ErrorDetail(str(code) if code is not None else None, str(message))]


def id_from_location(response: requests.Response) -> str:
    """The last path segment of the ``Location`` header (relative or absolute, API doc 2.2, 9)."""
    location = response.headers.get("Location", "")
    segment = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
    if not segment:
        raise BandwidthError(
            "the response carried no Location header with the new object's id",
            status=response.status_code,
            method=response.request.method if response.request else None,
            path=urlsplit(response.url).path or None,
        )
    return segment


_SHARED: dict[tuple[str, str, str, str], Transport] = {}
_SHARED_LOCK = threading.Lock()


def shared_transport(base_url: str, auth: tuple[str, str], api: Api) -> Transport:
    """The process-wide transport for this API, URL and login (one session per API per process)."""
    key = (api, base_url.rstrip("/"), auth[0], auth[1])
    with _SHARED_LOCK:
        transport = _SHARED.get(key)
        if transport is None:
            transport = _SHARED[key] = Transport(base_url, auth, api)
        return transport
