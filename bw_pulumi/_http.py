"""The HTTP transport for Bandwidth's APIs: sessions, time-outs, retries, rate limits and pacing.

A :class:`Transport` owns one :class:`~bw_pulumi._session.Exchange` (requests' adapter and its
connection pool) and is shared by the dynamic provider's worker threads, so every piece of
mutable state (the "blocked until" instant learnt from a 429, the pacing buckets) sits behind a
lock. Failed exchanges become the :mod:`bw_pulumi.errors` class for their status, carrying
every Bandwidth code and description found in the body.

The transport knows no API by name. What differs between the Dashboard and Catapult on the
wire (error bodies, the unit of ``X-RateLimit-Reset``, which answers mean "rate limited") is a
:class:`Dialect` that each client module supplies next to its client.

A rate limit is not a failure: it is waited out (its reset, plus jitter) for as long as
:data:`RATE_LIMIT_MAX_WAIT` allows, however many times it comes, and each resend takes its turn
in the budget again. Retries are a small loop here rather than urllib3's ``Retry`` on the
adapter: the decision needs the response *body* (Catapult signals some rate limits as 403
``message-rate-limit``), differs per request (a creating POST may only be retried on 429,
which means "not processed"), and the total wait must be capped across attempts. The adapter
keeps urllib3's connection pool.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from ._pacing import RESET_MARGIN_SECONDS, Budget, Pacer, reset_delay
from ._progress import say
from ._reach import ANSWERED, FIRST_CONTACT_ATTEMPTS, classify, origin
from ._retry_policy import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_MAX_SECONDS,
    MAX_ATTEMPTS,
    MAX_TOTAL_RETRY_WAIT,
    RATE_LIMIT_JITTER_MAX_SECONDS,
    RATE_LIMIT_JITTER_SECONDS,
    RATE_LIMIT_MAX_WAIT,
    RETRY_STATUSES,
    Tally,
    backoff,
    give_up_error,
    limit_delay,
)
from ._session import MAX_RESPONSE_BYTES, Exchange, TooLarge, read_capped
from ._version import version
from .errors import (
    BandwidthError,
    ErrorDetail,
    TransportError,
    call_label,
)

if TYPE_CHECKING:
    import requests

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "MAX_ATTEMPTS",
    "MAX_RESPONSE_BYTES",
    "MAX_TOTAL_RETRY_WAIT",
    "POOL_MAXSIZE",
    "PROGRESS_AFTER_SECONDS",
    "RATE_LIMIT_JITTER_MAX_SECONDS",
    "RATE_LIMIT_JITTER_SECONDS",
    "RATE_LIMIT_MAX_WAIT",
    "RESET_MARGIN_SECONDS",
    "RETRY_STATUSES",
    "Bearer",
    "Dialect",
    "Transport",
    "id_from_location",
    "user_agent",
]

log = logging.getLogger("bw_pulumi.http")

#: Seconds to open a TCP/TLS connection, and to wait for response bytes.
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
#: Connections kept per host: a bulk provider call has 16 requests in flight per API
#: (``resources._bulk.BULK_CONCURRENCY``), beside the engine's other 3 provider threads.
POOL_MAXSIZE = 20
#: A request whose waits between attempts reach this many seconds says once that it is retrying.
PROGRESS_AFTER_SECONDS = 5.0
#: At most one such line per transport this often, however many threads are retrying.
PROGRESS_REPEAT_SECONDS = 30.0

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class _Redirected(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def user_agent() -> str:
    """``bw-pulumi/<version>``, sent with every request."""
    return f"bw-pulumi/{version()}"


class Dialect(Protocol):
    """What one Bandwidth API says on the wire that the transport must understand.

    Each client module defines its dialect beside its client (``clients/*_dialect.py``), so a
    quirk of one API never leaks into the transport or the other API.
    """

    @property
    def api(self) -> str:
        """Which API ("dashboard" or "catapult"): errors name that API's config keys."""

    @property
    def reset_ticks_per_second(self) -> float:
        """Units of ``X-RateLimit-Reset`` per second: 1 for epoch seconds, 1000 for milliseconds."""

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        """Every Bandwidth code and description in an error body; none if it has no such shape."""

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        """Whether an answer means "slow down, not processed" (429, or an API's own variant)."""


class Bearer(Protocol):
    """Where a transport gets OAuth2 bearer tokens (:class:`bw_pulumi._oauth.TokenSource`)."""

    def token(self) -> str:
        """A token valid for a while yet."""

    def refused(self, token: str) -> None:
        """``token`` was answered 401: the next :meth:`token` is a new one."""


class Transport:
    """A thread-safe HTTP client for one Bandwidth API, whose wire quirks ``dialect`` knows.

    ``auth`` is a Basic-auth pair, or a :class:`Bearer` whose token every request carries; a
    401 to a token renews it once and resends (a 401 means "not processed", so even a creating
    POST may be resent). ``pacer`` defaults to one of its own; pass a shared one where budgets
    span transports.
    """

    def __init__(
        self,
        base_url: str,
        auth: tuple[str, str] | Bearer,
        dialect: Dialect,
        *,
        timeout: tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT),
        max_attempts: int = MAX_ATTEMPTS,
        max_total_wait: float = MAX_TOTAL_RETRY_WAIT,
        max_rate_limit_wait: float = RATE_LIMIT_MAX_WAIT,
        pacer: Pacer | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.dialect = dialect
        self.pacer = pacer or Pacer()
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_total_wait = max_total_wait
        self._bearer = None if isinstance(auth, tuple) else auth
        basic = auth if isinstance(auth, tuple) else None
        self._exchange = Exchange(self.base_url, basic, user_agent(), POOL_MAXSIZE)
        self._lock = threading.Lock()
        self._blocked_until = 0.0  # wall-clock instant before which no request is sent
        #: scheme://host:port: what errors name (never userinfo, path or query).
        self.origin = origin(self.base_url)
        self._answered = False  # whether this transport has had an answer (then ANSWERED knows)
        self._said_at = -PROGRESS_REPEAT_SECONDS  # when this transport last said it is retrying
        self.max_rate_limit_wait = max_rate_limit_wait
        # Budgets are per account: shared pacing is keyed by the origin and the login (a token
        # source has no login to show; its origin is the account's own API).
        self._scope = f"{self.origin}\n{basic[0] if basic else 'bearer'}"
        self._paced = threading.local()  # the budget this thread's next request was paced to

    def __repr__(self) -> str:  # never shows the auth tuple
        return f"Transport({self.base_url!r}, api={self.api!r})"

    @property
    def api(self) -> str:
        """The dialect's API name, which errors carry for their config-key hints."""
        return self.dialect.api

    def close(self) -> None:
        self._exchange.close()

    def url(self, path: str) -> str:
        """``path`` (starting with ``/``) joined onto the base URL."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def pace(self, budget: Budget) -> float:
        """Wait for a token of ``budget`` from this transport's pacer; returns seconds waited.

        The token is for this thread's next :meth:`request`, which takes another for each
        resend after a rate limit: a resend spends the budget as much as the first send.
        """
        waited = self.pacer.take(budget, self._scope)
        self._paced.budget = budget
        return waited

    def _take_paced(self) -> Budget | None:
        budget: Budget | None = getattr(self._paced, "budget", None)
        self._paced.budget = None
        return budget

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
        fields = {"params": params, "data": data, "json": json, "headers": dict(headers or {})}
        tally = Tally(budget=self._take_paced())
        renewed = False
        while True:
            tally.attempts += 1
            self._wait_if_blocked()
            token = self._authorize(fields["headers"])
            try:
                response = self._send(method, url, where, fields)
            except self._exchange.failures as exc:
                tally.last_limited = False
                delay = self._connection_delay(exc, method, where, tally, idempotent)
            else:
                if response.status_code in ok:
                    return response
                if token is not None and response.status_code == 401 and not renewed:
                    # Revoked or expired early: one new token, sent at once (not processed).
                    renewed = True
                    self._bearer.refused(token)  # type: ignore[union-attr]
                    continue
                delay = self._status_delay(response, method, where, tally, idempotent)
            time.sleep(delay)
            if tally.last_limited and tally.budget is not None:
                # The resend spends the budget again: it takes its turn with everyone else's.
                self.pacer.take(tally.budget, self._scope)

    def _authorize(self, headers: dict[str, str]) -> str | None:
        """Put the current bearer token on ``headers``; returns it (``None`` under Basic)."""
        if self._bearer is None:
            return None
        token = self._bearer.token()
        headers["Authorization"] = f"Bearer {token}"
        return token

    def _send(
        self, method: str, url: str, where: str, fields: Mapping[str, Any]
    ) -> requests.Response:
        """One exchange, its body read under the size cap; connection errors propagate."""
        try:
            response = self._exchange.send(method, url, **fields, timeout=self.timeout)
            if not self._answered:
                self._answered = True
                ANSWERED.add(self.origin)
            if response.is_redirect:
                # Bandwidth's APIs do not redirect; following a 307/308 would resend the body
                # (a Catapult import carries the Dashboard password) to wherever it points.
                # Stopped before the body is read, so the size cap holds for 3xx too.
                response.close()
                raise _Redirected(response.status_code)
            read_capped(response)
        except _Redirected as exc:
            raise BandwidthError(
                "Bandwidth's APIs do not redirect; the redirect was not followed (check the "
                "base URL)",
                status=exc.status,
                method=method,
                path=where,
                api=self.api,
            ) from None
        except TooLarge as exc:
            raise TransportError(
                f"the response body exceeds {MAX_RESPONSE_BYTES} bytes ({exc}); refused",
                status=response.status_code,
                method=method,
                path=where,
                api=self.api,
            ) from None
        return response

    def _connection_delay(
        self, exc: Exception, method: str, where: str, tally: Tally, idempotent: bool
    ) -> float:
        """Seconds to wait before retrying after a connection error; raises if not retried.

        A host that has never answered and refuses or does not resolve gets
        :data:`~bw_pulumi._reach.FIRST_CONTACT_ATTEMPTS`: that is a wrong URL, said at once.
        """
        failure = classify(exc, self.origin, self.timeout)
        # A connect failure means nothing was sent; a read failure may have been processed.
        retryable = idempotent or failure.unsent
        tally.faults += 1
        limit = self.max_attempts
        if failure.config_error and self.origin not in ANSWERED:
            limit = min(limit, FIRST_CONTACT_ATTEMPTS)
        delay = self._backoff(tally.faults)
        what = f"{failure.text} after {_attempts(tally.attempts)}"
        if not retryable or tally.faults >= limit or not self._may_retry(tally, delay):
            raise TransportError(what, method=method, path=where, api=self.api) from None
        log.info("%s %s: %s, retrying in %.2fs", method, where, failure.text, delay)
        self._say_retrying(method, where, what, tally, delay)
        tally.waited += delay
        return delay

    def _status_delay(
        self,
        response: requests.Response,
        method: str,
        where: str,
        tally: Tally,
        idempotent: bool,
    ) -> float:
        """Seconds to wait before retrying after this answer; raises its error if not retried.

        A rate limit is Bandwidth saying "later", not "no": it is waited out however many
        times it comes, for up to :attr:`max_rate_limit_wait` in all. Other failures count
        against :attr:`max_attempts` and :attr:`max_total_wait`.
        """
        details = self.dialect.error_details(response.content)
        rate_limited = self.dialect.is_rate_limited(response.status_code, details)
        delay: float | None = None
        tally.last_limited = rate_limited
        if rate_limited:
            tally.limited += 1
            reset = self._reset(response)
            delay = limit_delay(reset, tally.limited)
            if tally.limit_waited + delay > self.max_rate_limit_wait:
                delay = None
        elif idempotent and response.status_code in RETRY_STATUSES:
            tally.faults += 1
            delay = self._retry_delay(response, tally.faults)
            if tally.faults >= self.max_attempts or not self._may_retry(tally, delay):
                delay = None
        if delay is None:
            raise give_up_error(
                response,
                method,
                where,
                details,
                rate_limited,
                tally.attempts,
                self.api,
                self._bearer,
            )
        log.info("%s %s: HTTP %s, retrying in %.2fs", method, where, response.status_code, delay)
        what = f"HTTP {response.status_code} after {_attempts(tally.attempts)}"
        self._say_retrying(method, where, what, tally, delay)
        if rate_limited:
            # Every thread sharing this transport holds off until the reset, not only this one;
            # a reset too far off to wait for is not imposed on them. The jitter is each
            # caller's own, so callers (and processes) told the same reset do not resend at once.
            self._block_for(delay if reset is None else reset)
            tally.limit_waited += delay
        else:
            tally.waited += delay
        return delay

    def _say_retrying(self, method: str, where: str, what: str, tally: Tally, delay: float) -> None:
        """One progress line when a request's waits first reach :data:`PROGRESS_AFTER_SECONDS`.

        Without it a long retry looks like a hung step; a line per attempt would be noise.
        """
        waited = tally.waited + tally.limit_waited
        if not waited < PROGRESS_AFTER_SECONDS <= waited + delay:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._said_at < PROGRESS_REPEAT_SECONDS:
                return
            self._said_at = now
        say(
            f"{call_label(self.api, method, where)}: {what}; retrying in {delay:.1f}s (rate "
            f"limits are waited out for up to {self.max_rate_limit_wait:g}s, other failures "
            f"{self.max_attempts} attempts)"
        )

    # -- retry policy -------------------------------------------------------------------

    def _may_retry(self, tally: Tally, delay: float) -> bool:
        return tally.waited + delay <= self.max_total_wait

    _backoff = staticmethod(backoff)

    def _reset(self, response: requests.Response) -> float | None:
        """Seconds until the rate limit resets, from the answer's headers; ``None`` if unsaid."""
        return reset_delay(response.headers, self.dialect.reset_ticks_per_second, time.time())

    def _retry_delay(self, response: requests.Response, attempt: int) -> float:
        reset = self._reset(response)
        return self._backoff(attempt) if reset is None else reset

    def _block_for(self, seconds: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, time.time() + seconds)

    def _wait_if_blocked(self) -> None:
        with self._lock:
            delay = self._blocked_until - time.time()
        if delay > 0:
            time.sleep(delay)


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


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
