"""The bw-pulumi exception tree.

::

    BwPulumiError
    ├── ConfigError                 missing/invalid provider configuration (names key and env var)
    ├── AdoptionMismatch            adopted object differs from the program in a replace-only field
    ├── BandwidthError              any failed HTTP exchange with Bandwidth
    │   ├── ValidationError         400 (and the Dashboard's 404-for-validation on subscriptions)
    │   ├── Unauthorized            401
    │   ├── Forbidden               403 (access denied, missing role, Catapult 403 rate limits)
    │   ├── NotFound                404
    │   ├── Conflict                409
    │   ├── RateLimited             429 after retries were exhausted
    │   ├── ServerError             5xx after retries were exhausted
    │   └── TransportError          connection failures and time-outs after retries
    └── OrderError                  an order reached a terminal status that is a failure
        └── OrderTimeout            ``wait_timeout`` ran out while an order was still pending

Every :class:`BandwidthError` carries the HTTP status, method and path (never credentials or
query strings), which API answered, and every Bandwidth error code and description found in the
response. Its text is what the user sees (``bw_pulumi._display``): what failed and Bandwidth's
answer on the first line (one line per error when there are several), then what to check, naming
the ``bandwidth:*`` config keys, for 401/403 and connection failures, and whom to ask for codes
that mean the account lacks a feature (5149/5150, also in :class:`OrderError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AdoptionMismatch",
    "BandwidthError",
    "BwPulumiError",
    "ConfigError",
    "Conflict",
    "ErrorDetail",
    "Forbidden",
    "NotFound",
    "OrderError",
    "OrderTimeout",
    "RateLimited",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "ValidationError",
    "call_label",
    "error_for_status",
]


@dataclass(frozen=True)
class ErrorDetail:
    """One Bandwidth error: its code (Dashboard number or Catapult slug) and description."""

    code: str | None
    description: str
    telephone_numbers: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        text = f"[{self.code}] {self.description}" if self.code else self.description
        if self.telephone_numbers:
            text += f" (numbers: {', '.join(self.telephone_numbers)})"
        return text


class BwPulumiError(Exception):
    """Base of every error raised by bw-pulumi."""


class ConfigError(BwPulumiError):
    """Provider configuration is missing or invalid."""


class AdoptionMismatch(BwPulumiError):
    """Adopting would record program values the live object does not have, in a field that
    can only change by replacing the object: the program must match the object first."""


class BandwidthError(BwPulumiError):
    """A Bandwidth API call failed; ``details`` holds every code and description returned."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        details: Sequence[ErrorDetail] = (),
        api: str | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        self.message = message
        #: "dashboard" or "catapult" when known: it decides which config keys the hint names.
        self.api = api
        super().__init__(self._render())

    @property
    def codes(self) -> list[str]:
        """Bandwidth error codes in the order they were returned."""
        return [d.code for d in self.details if d.code]

    def _render(self) -> str:
        head = f"{call_label(self.api, self.method, self.path)} failed"
        if self.status is not None:
            head += f" with HTTP {self.status}"
        said = [str(d) for d in self.details]
        first = self.message
        if len(said) == 1:  # one Bandwidth error stays on the first line
            first = f"{first}; {said[0]}" if first else said[0]
        parts = [f"{head}: {first}" if first else head]
        if len(said) > 1:
            parts.extend(f"  - {d}" for d in said)
        parts.extend(_code_hints(self.details))
        hint = self._hint()
        if hint:
            parts.append(hint)
        return "\n".join(parts)

    def _hint(self) -> str:
        """What to check, or "" when Bandwidth's own words are all there is to say."""
        if self.status is not None and 300 <= self.status < 400:
            return _check("The base URL is", self._url_key())
        return ""

    def _url_key(self) -> tuple[str, ...]:
        key = _URL_KEYS.get(self.api or "")
        return (key,) if key else ()


class ValidationError(BandwidthError):
    """Bandwidth rejected the request's content."""


class Unauthorized(BandwidthError):
    """Bandwidth did not accept the credentials (``bearer``: an OAuth2 token, even renewed)."""

    def __init__(self, message: str, *, bearer: bool = False, **kwargs: Any) -> None:
        self.bearer = bearer
        super().__init__(message, **kwargs)

    def _hint(self) -> str:
        keys = {
            "dashboard": ("username", "password"),
            "messaging": ("username", "password"),
            "catapult": ("api_token", "api_secret"),
            "oauth": ("client_id", "client_secret"),
        }
        api = "oauth" if self.bearer else self.api or ""
        return _check("Bandwidth did not accept the credentials: check", keys.get(api))


class Forbidden(BandwidthError):
    """The credentials lack access to this account, role or resource."""

    def _hint(self) -> str:
        if self.api == "catapult":
            return _check(
                "The API token has no access to this Catapult user: check",
                ("user_id", "api_token", "api_secret"),
            )
        if self.api == "dashboard":
            return _check(
                "The API user has no access to this account, or lacks the role this call needs:"
                " check",
                ("account_id", "username", "password"),
            )
        return ""


class NotFound(BandwidthError):
    """The object does not exist (the only error that may mean "gone" on refresh)."""


class Conflict(BandwidthError):
    """The object already exists (duplicate subscription, application or number)."""


class RateLimited(BandwidthError):
    """Bandwidth kept answering 429 after every retry."""


class ServerError(BandwidthError):
    """Bandwidth kept failing with 5xx after every retry."""


class TransportError(BandwidthError):
    """The connection failed or timed out after every retry."""

    def _hint(self) -> str:
        if self.status is not None:
            return ""
        check = _check("Check", self._url_key())
        # The URL that failed may not be the one just fixed: refresh and destroy do not run the
        # program, so the provider is configured from the inputs the last `up` saved.
        return f"{check[:-1]} and the network; {_SAVED_URL}" if check else ""


_API_NAMES = {
    "dashboard": "Dashboard",
    "catapult": "Catapult",
    "oauth": "OAuth2",
    "messaging": "Messaging",
}
_URL_KEYS = {
    "dashboard": "dashboard_url",
    "catapult": "catapult_url",
    "oauth": "oauth_token_url",
    "messaging": "messaging_url",
}
_SAVED_URL = (
    "a refresh or destroy uses the URL saved by the last up (run pulumi up, or add --run-program)."
)


def call_label(api: str | None, method: str | None, path: str | None) -> str:
    """How errors and progress lines name a call: "Bandwidth Dashboard GET /api/..."."""
    where = f"{method} {path}" if method and path else "request"
    name = _API_NAMES.get(api or "")
    return f"Bandwidth {name} {where}" if name else f"Bandwidth {where}"


#: Bandwidth codes that mean the account lacks a feature: only Bandwidth can fix that, so the
#: hint names who to ask. Codes from bandwidth-api.md 1.5 (ERR); the request to support comes
#: from the prerequisites of Bandwidth's Hosted Messaging guide ("Account enabled for importing
#: Phone Numbers for use with Hosted Messaging (please contact support@bandwidth.com)").
_ACCOUNT_FEATURE = (
    "ask Bandwidth support (support@bandwidth.com) to enable importing phone numbers for Hosted"
    " Messaging on the account in bandwidth:accountId"
)
_CODE_HINTS = {
    "5149": f"The importTnOrder API is not enabled for this account: {_ACCOUNT_FEATURE}.",
    "5150": "The account or the API user in bandwidth:username may not use the importTnOrder"
    f" API: {_ACCOUNT_FEATURE}, and to give that user access.",
}


def _code_hints(details: Sequence[ErrorDetail]) -> list[str]:
    """One hint line per distinct Bandwidth code that has one, in the order returned."""
    codes = dict.fromkeys(d.code for d in details if d.code in _CODE_HINTS)
    return [_CODE_HINTS[code] for code in codes if code]


def _check(lead: str, attrs: Sequence[str] | None) -> str:
    """``lead`` followed by the config keys of ``attrs`` and their variables; "" without attrs."""
    if not attrs:
        return ""
    from .config import SETTINGS_KEYS  # config imports this module

    keys = [SETTINGS_KEYS[a][0] for a in attrs]
    named = keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}"
    env = ", ".join(SETTINGS_KEYS[a][1] for a in attrs)
    return f"{lead} {named} (env {env})."


_BY_STATUS: dict[int, type[BandwidthError]] = {
    400: ValidationError,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: ValidationError,
    429: RateLimited,
}


def error_for_status(status: int) -> type[BandwidthError]:
    """The exception class for an HTTP status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, BandwidthError)


class OrderError(BwPulumiError):
    """A Bandwidth order ended in a failure status; ``details`` lists every error it reported."""

    def __init__(
        self,
        message: str,
        *,
        order_id: str | None = None,
        status: str | None = None,
        details: Sequence[ErrorDetail] = (),
    ) -> None:
        self.order_id = order_id
        self.status = status
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        lines = [message, *(f"  - {d}" for d in self.details), *_code_hints(self.details)]
        super().__init__("\n".join(lines))


class OrderTimeout(OrderError):
    """``wait_timeout`` ran out while the order was still pending; the next run resumes it."""
