"""Provider configuration: ``bandwidth:*`` stack config with environment variables as fallback.

Settings are built inside the provider process (``ResourceProvider.configure``), never in the
program, so credentials are never pickled into ``__provider`` nor written to state. A missing
value fails each provider's ``check`` at preview (``BaseProvider.apis``), naming both the config
key and the environment variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import ConfigError

__all__ = [
    "DASHBOARD_DIALECTS",
    "DEFAULT_CATAPULT_URL",
    "DEFAULT_DASHBOARD_URL",
    "DEFAULT_MESSAGING_URL",
    "DEFAULT_OAUTH_TOKEN_URL",
    "DEFAULT_UNIVERSAL_DASHBOARD_URL",
    "SETTINGS_KEYS",
    "Settings",
]

DEFAULT_DASHBOARD_URL = "https://dashboard.bandwidth.com/api"
#: bandwidth-api-v2.md 1 ("Universal Platform"): the Number Management APIs' new base.
DEFAULT_UNIVERSAL_DASHBOARD_URL = "https://api.bandwidth.com/api/v2"
#: How the Dashboard speaks: ``classic`` (ten-digit numbers, ``/importTnOrders``) or
#: ``universal`` (Universal Platform accounts: E.164, ``/importTnOrders/messaging``).
DASHBOARD_DIALECTS = ("classic", "universal")
DEFAULT_CATAPULT_URL = "https://api.catapult.inetwork.com"
#: bandwidth-api-v2.md 4 (the Messaging API v2 base since 2019).
DEFAULT_MESSAGING_URL = "https://messaging.bandwidth.com/api/v2"
#: bandwidth-api.md 1.2 and bandwidth-api-v2.md 4 (``tokenUrl`` of the SDK spec).
DEFAULT_OAUTH_TOKEN_URL = "https://api.bandwidth.com/api/v1/oauth2/token"

#: attribute -> (stack config key, environment variable)
SETTINGS_KEYS: dict[str, tuple[str, str]] = {
    "account_id": ("bandwidth:accountId", "BANDWIDTH_ACCOUNT_ID"),
    "username": ("bandwidth:username", "BANDWIDTH_USERNAME"),
    "password": ("bandwidth:password", "BANDWIDTH_PASSWORD"),
    "dashboard_url": ("bandwidth:dashboardUrl", "BANDWIDTH_DASHBOARD_URL"),
    "dashboard_dialect": ("bandwidth:dashboardDialect", "BANDWIDTH_DASHBOARD_DIALECT"),
    "user_id": ("bandwidth:userId", "BANDWIDTH_USER_ID"),
    "api_token": ("bandwidth:apiToken", "BANDWIDTH_API_TOKEN"),
    "api_secret": ("bandwidth:apiSecret", "BANDWIDTH_API_SECRET"),
    "catapult_url": ("bandwidth:catapultUrl", "BANDWIDTH_CATAPULT_URL"),
    "client_id": ("bandwidth:clientId", "BANDWIDTH_CLIENT_ID"),
    "client_secret": ("bandwidth:clientSecret", "BANDWIDTH_CLIENT_SECRET"),
    "messaging_url": ("bandwidth:messagingUrl", "BANDWIDTH_MESSAGING_URL"),
    "oauth_token_url": ("bandwidth:oauthUrl", "BANDWIDTH_OAUTH_URL"),
}

_DEFAULTS = {
    "dashboard_url": DEFAULT_DASHBOARD_URL,
    "catapult_url": DEFAULT_CATAPULT_URL,
    "messaging_url": DEFAULT_MESSAGING_URL,
    "oauth_token_url": DEFAULT_OAUTH_TOKEN_URL,
}


def _clean_url(value: str, attr: str) -> str:
    key, env = SETTINGS_KEYS[attr]
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{key} (env {env}) must be an http(s) URL such as {_DEFAULTS[attr]!r}; got {value!r}"
        )
    if parts.username or parts.password:
        # Not echoed: the value holds a credential. Errors elsewhere name the base URL.
        raise ConfigError(
            f"{key} (env {env}) must not carry credentials (user:password@); set them with the "
            "bandwidth:* credential keys instead"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"{key} (env {env}) must not carry a query or fragment; got {value!r}")
    # One canonical form: no trailing slash, so joining paths never doubles or drops one.
    url = value.strip().rstrip("/")
    if attr == "catapult_url" and url.endswith("/v1"):
        # Bandwidth documents the base as `.../v1` (bandwidth-api.md 9); our paths carry it.
        url = url[: -len("/v1")]
    return url


#: Path endings of the classic Dashboard bases (bandwidth-api.md 1.1): not the UP base.
_CLASSIC_BASES = ("/api", "/api/v1", "/v1.0")
_UNIVERSAL_BASE = "/api/v2"


def _dashboard_platform(raw: str | None, values: Mapping[str, str | None]) -> tuple[str, str]:
    """The Dashboard dialect and base URL, each inferred from the other when unset.

    Without ``bandwidth:dashboardDialect`` a base ending in ``/api/v2`` (the Universal Platform,
    bandwidth-api-v2.md 1) means ``universal``, anything else ``classic``; ``universal`` without
    a URL defaults to Bandwidth's UP base. A dialect the URL contradicts (a classic base with
    ``universal``, ``/api/v2`` with ``classic``) is an error: each path of the one dialect
    answers 404 under the other's base, and only an order would find out.
    """
    key, env = SETTINGS_KEYS["dashboard_dialect"]
    url_key = SETTINGS_KEYS["dashboard_url"][0]
    url = values.get("dashboard_url")
    path = urlsplit(url).path.rstrip("/") if url else ""
    if not raw:
        return ("universal" if path.endswith(_UNIVERSAL_BASE) else "classic"), (
            url or DEFAULT_DASHBOARD_URL
        )
    dialect = raw.strip().lower()
    if dialect not in DASHBOARD_DIALECTS:
        raise ConfigError(
            f"{key} (env {env}) must be one of {', '.join(DASHBOARD_DIALECTS)}; got {raw!r}"
        )
    if dialect == "universal" and url and path.endswith(_CLASSIC_BASES):
        raise ConfigError(
            f"{key} is universal but {url_key} {url!r} is a classic Dashboard base: Universal "
            f"Platform accounts use {DEFAULT_UNIVERSAL_DASHBOARD_URL!r} (remove {url_key} for it)"
        )
    if dialect == "classic" and path.endswith(_UNIVERSAL_BASE):
        raise ConfigError(
            f"{key} is classic but {url_key} {url!r} is the Universal Platform base: set {key} "
            f"to universal, or use {DEFAULT_DASHBOARD_URL!r}"
        )
    if url is None:
        url = DEFAULT_UNIVERSAL_DASHBOARD_URL if dialect == "universal" else DEFAULT_DASHBOARD_URL
    return dialect, url


@dataclass(frozen=True)
class Settings:
    """Resolved configuration; secret fields are excluded from ``repr``."""

    account_id: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    dashboard_url: str = DEFAULT_DASHBOARD_URL
    dashboard_dialect: str = "classic"
    user_id: str | None = None
    api_token: str | None = None
    api_secret: str | None = field(default=None, repr=False)
    catapult_url: str = DEFAULT_CATAPULT_URL
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    messaging_url: str = DEFAULT_MESSAGING_URL
    oauth_token_url: str = DEFAULT_OAUTH_TOKEN_URL

    @classmethod
    def load(
        cls, config: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Stack config first, then environment variables, then defaults (URLs only)."""
        config = config or {}
        env = os.environ if env is None else env
        values: dict[str, str | None] = {}
        for attr, (key, var) in SETTINGS_KEYS.items():
            raw = config.get(key)
            value = str(raw).strip() if raw is not None else ""
            if not value:
                value = env.get(var, "").strip()
            if attr in _DEFAULTS:
                values[attr] = _clean_url(value, attr) if value else None
            else:
                values[attr] = value or None
        dialect, dashboard_url = _dashboard_platform(values["dashboard_dialect"], values)
        values["dashboard_dialect"] = dialect
        values["dashboard_url"] = dashboard_url
        for attr, default in _DEFAULTS.items():
            values[attr] = values[attr] or default
        return cls(**values)  # type: ignore[arg-type]

    def require(self, *attrs: str) -> None:
        """Fail with a message naming every missing key and its environment variable."""
        missing = [a for a in attrs if not getattr(self, a)]
        if missing:
            named = ", ".join(
                f"{SETTINGS_KEYS[a][0]} (or env {SETTINGS_KEYS[a][1]})" for a in missing
            )
            raise ConfigError(
                f"missing Bandwidth configuration: {named}. Set it with "
                f"`pulumi config set [--secret] <key> <value>` or export the variable."
            )

    def oauth_client(self) -> tuple[str, str] | None:
        """(client id, client secret) when OAuth2 is configured, ``None`` when neither is set;
        one without the other is a :class:`ConfigError` (never a silent fall back to Basic)."""
        if not (self.client_id or self.client_secret):
            return None
        self.require("client_id", "client_secret")
        assert self.client_id and self.client_secret
        return self.client_id, self.client_secret

    def dashboard_credentials(self) -> tuple[str, str, str]:
        """(account id, username, password) or a :class:`ConfigError`.

        With OAuth2 client credentials configured the username and password are not needed
        (bearer tokens replace Basic auth) and come back empty.
        """
        if self.oauth_client() is not None:
            self.require("account_id")
            assert self.account_id
            return self.account_id, "", ""
        self.require("account_id", "username", "password")
        assert self.account_id and self.username and self.password
        return self.account_id, self.username, self.password

    def catapult_credentials(self) -> tuple[str, str, str]:
        """(user id, API token, API secret) or a :class:`ConfigError`."""
        self.require("user_id", "api_token", "api_secret")
        assert self.user_id and self.api_token and self.api_secret
        return self.user_id, self.api_token, self.api_secret
