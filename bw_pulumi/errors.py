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

import re
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
    "env_var",
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
        return (_URL_KEYS[self.api],) if self.api in _URL_KEYS else ()


class ValidationError(BandwidthError):
    """Bandwidth rejected the request's content."""


class Unauthorized(BandwidthError):
    """Bandwidth did not accept the credentials (``bearer``: an OAuth2 token, even renewed)."""

    def __init__(self, message: str, *, bearer: bool = False, **kwargs: Any) -> None:
        self.bearer = bearer
        super().__init__(message, **kwargs)

    def _hint(self) -> str:
        keys = {
            "dashboard": ("bandwidth:username", "bandwidth:password"),
            "messaging": ("bandwidth:username", "bandwidth:password"),
            "catapult": ("bandwidth:apiToken", "bandwidth:apiSecret"),
            "oauth": ("bandwidth:clientId", "bandwidth:clientSecret"),
        }
        api = "oauth" if self.bearer else self.api or ""
        check = _check("Bandwidth did not accept the credentials: check", keys.get(api))
        return _with_saved_note(check)


class Forbidden(BandwidthError):
    """The credentials lack access to this account, role or resource."""

    def _hint(self) -> str:
        if self.api == "catapult":
            check = _check(
                "The API token has no access to this Catapult user: check",
                ("bandwidth:userId", "bandwidth:apiToken", "bandwidth:apiSecret"),
            )
        elif self.api == "dashboard":
            check = _check(
                "The API user has no access to this account, or lacks the role this call needs:"
                " check",
                ("bandwidth:accountId", "bandwidth:username", "bandwidth:password"),
            )
        else:
            return ""
        return _with_saved_note(check)


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
    "dashboard": "bandwidth:dashboardUrl",
    "catapult": "bandwidth:catapultUrl",
    "oauth": "bandwidth:oauthUrl",
    "messaging": "bandwidth:messagingUrl",
}
_SAVED_URL = (
    "a refresh or destroy uses the URL saved by the last up (run pulumi up, or add --run-program)."
)
#: `refresh` and `destroy` without the program configure the provider from the stack config the
#: last `up` saved with the default provider, not from the current one (README, Configuration),
#: so a key just fixed may not be the one that failed.
_SAVED_CREDENTIALS = (
    "a refresh or destroy uses the ones saved by the last up: after changing them run"
    " pulumi destroy --run-program (or pulumi refresh --run-program), or pulumi up first."
)


def _with_saved_note(check: str) -> str:
    return f"{check[:-1]}; {_SAVED_CREDENTIALS}" if check else ""


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


def env_var(key: str) -> str:
    """The environment variable of a ``bandwidth:*`` config key (``bandwidth:apiToken`` ->
    ``BANDWIDTH_API_TOKEN``): the one naming rule ``config.SETTINGS_KEYS`` follows, so this
    module names keys without importing config (which imports this module)."""
    namespace, _, name = key.partition(":")
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return f"{namespace}_{words}".upper()


def _check(lead: str, keys: Sequence[str] | None) -> str:
    """``lead`` followed by the config keys and their variables; "" without keys."""
    if not keys:
        return ""
    named = keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}"
    env = ", ".join(env_var(k) for k in keys)
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
