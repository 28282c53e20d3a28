"""Run the emulator: a keep-alive HTTP server (:mod:`.httpd`) in a background thread (``Emulator``).

``Emulator`` is what tests use (``with Emulator(processing_seconds=0) as emu: ...``) and what
the CLI wraps; it wires the store, the backends, the delivery worker and the WSGI app together.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from bw_pulumi.emulator.app import EmulatorApp
from bw_pulumi.emulator.catapult.backend import CatapultBackend
from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.control_client import ControlClient
from bw_pulumi.emulator.dashboard.backend import DashboardBackend
from bw_pulumi.emulator.delivery import Delivery
from bw_pulumi.emulator.httpd import Server
from bw_pulumi.emulator.messaging.backend import MessagingBackend
from bw_pulumi.emulator.models import Accounts
from bw_pulumi.emulator.oauth import DEFAULT_TOKEN_SECONDS, TOKEN_PATH, Tokens
from bw_pulumi.emulator.store import Store

__all__ = ["SETTINGS", "Emulator"]

_DEFAULTS = Accounts()
#: Settings -> (``bandwidth:*`` stack config key, environment variable), as design.md's provider
#: configuration table names them. Written here, not imported from ``bw_pulumi.config`` (style
#: habit 2b); ``tests/emulator/test_layout.py`` holds the two sides equal.
SETTINGS: dict[str, tuple[str, str]] = {
    "account_id": ("bandwidth:accountId", "BANDWIDTH_ACCOUNT_ID"),
    "username": ("bandwidth:username", "BANDWIDTH_USERNAME"),
    "password": ("bandwidth:password", "BANDWIDTH_PASSWORD"),
    "dashboard_url": ("bandwidth:dashboardUrl", "BANDWIDTH_DASHBOARD_URL"),
    "user_id": ("bandwidth:userId", "BANDWIDTH_USER_ID"),
    "api_token": ("bandwidth:apiToken", "BANDWIDTH_API_TOKEN"),
    "api_secret": ("bandwidth:apiSecret", "BANDWIDTH_API_SECRET"),
    "catapult_url": ("bandwidth:catapultUrl", "BANDWIDTH_CATAPULT_URL"),
    "client_id": ("bandwidth:clientId", "BANDWIDTH_CLIENT_ID"),
    "client_secret": ("bandwidth:clientSecret", "BANDWIDTH_CLIENT_SECRET"),
    "messaging_url": ("bandwidth:messagingUrl", "BANDWIDTH_MESSAGING_URL"),
    "oauth_token_url": ("bandwidth:oauthUrl", "BANDWIDTH_OAUTH_URL"),
    "dashboard_dialect": ("bandwidth:dashboardDialect", "BANDWIDTH_DASHBOARD_DIALECT"),
}


class Emulator:
    """The Bandwidth Dashboard + Catapult emulator on ``host:port`` (0 = a free port).

    Orders take ``processing_seconds`` by the clock (0: immediate); ``progression`` chooses
    another way instead, e.g. ``Progression.after_reads(1)``: one step per read of the order.
    """

    def __init__(
        self,
        *,
        processing_seconds: float = 1.0,
        progression: Progression | None = None,
        state_file: str | os.PathLike[str] | None = None,
        account_id: str = _DEFAULTS.account_id,
        username: str = _DEFAULTS.username,
        password: str = _DEFAULTS.password,
        user_id: str = _DEFAULTS.user_id,
        api_token: str = _DEFAULTS.api_token,
        api_secret: str = _DEFAULTS.api_secret,
        client_id: str = _DEFAULTS.client_id,
        client_secret: str = _DEFAULTS.client_secret,
        token_seconds: float = DEFAULT_TOKEN_SECONDS,
        unimportable: dict[str, int] | None = None,
        failing: dict[str, int] | None = None,
        exception: Iterable[str] = (),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.accounts = Accounts(
            account_id, username, password, user_id, api_token, api_secret, client_id, client_secret
        )
        self.token_seconds = token_seconds
        self.processing_seconds = processing_seconds
        self.progression = progression or Progression.timed(processing_seconds)
        self._state_file = state_file
        self._unimportable = dict(unimportable or {})
        self._failing = dict(failing or {})
        self._exception = set(exception)
        self._host = host
        self._port = port
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._dashboard: DashboardBackend | None = None
        self._delivery: Delivery | None = None
        self._control: ControlClient | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Emulator:
        delivery = Delivery(self._subscription_status)
        store = Store(
            self.accounts,
            progression=self.progression,
            state_file=self._state_file,
            dispatch=delivery.submit,
        )
        if self._unimportable or self._failing or self._exception:
            with store.write() as world:
                world.unimportable.update(self._unimportable)
                world.failing.update(self._failing)
                world.exception.update(self._exception)
        self._store, self._delivery = store, delivery
        self._dashboard = DashboardBackend(store)
        tokens = Tokens(self.accounts.client_id, self.accounts.client_secret, self.token_seconds)
        app = EmulatorApp(
            store,
            delivery,
            self._dashboard,
            CatapultBackend(store, delivery.submit),
            MessagingBackend(store, delivery.submit),
            tokens,
        )
        self._server = Server(self._host, self._port, app)
        delivery.start()
        store.start()
        # A short poll interval keeps stop() (server.shutdown) fast for tests.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bw-emulator-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._store is not None:
            self._store.stop()
        if self._delivery is not None:
            self._delivery.stop()
        if self._control is not None:
            self._control.close()
        self._server = self._thread = self._store = self._delivery = self._control = None
        self._dashboard = None

    def serve_until(self, stop: threading.Event) -> None:
        """Block until ``stop`` is set (the CLI's main loop), then stop."""
        try:
            while not stop.wait(0.5):
                pass
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _subscription_status(self, subscription_id: str, status: str) -> None:
        dashboard = self._dashboard
        if dashboard is not None:
            dashboard.set_subscription_status(subscription_id, status)

    # -- addresses and credentials --------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return int(self._server.server_port)

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def dashboard_url(self) -> str:
        return self.base_url + "/api"

    @property
    def catapult_url(self) -> str:
        return self.base_url

    @property
    def messaging_url(self) -> str:
        """The Messaging API v2 base (Bandwidth's ``https://messaging.bandwidth.com/api/v2``):
        ``bandwidth-sdk``'s ``Configuration(host=...)`` takes this."""
        return self.base_url + "/api/v2"

    @property
    def token_url(self) -> str:
        """The OAuth2 token endpoint (Bandwidth's ``https://api.bandwidth.com/api/v1/oauth2/token``)."""
        return self.base_url + TOKEN_PATH

    account_id = property(lambda self: self.accounts.account_id)
    username = property(lambda self: self.accounts.username)
    password = property(lambda self: self.accounts.password)
    user_id = property(lambda self: self.accounts.user_id)
    api_token = property(lambda self: self.accounts.api_token)
    api_secret = property(lambda self: self.accounts.api_secret)
    client_id = property(lambda self: self.accounts.client_id)
    client_secret = property(lambda self: self.accounts.client_secret)

    @property
    def control(self) -> ControlClient:
        if self._control is None:
            self._control = ControlClient(self.base_url)
        return self._control

    def _settings(self, oauth: bool, universal: bool = False) -> dict[str, str]:
        client = {"client_id": self.client_id, "client_secret": self.client_secret}
        # The Universal Platform's Dashboard base (bandwidth-api-v2.md 1), served beside /api.
        dialect = {"dashboard_dialect": "universal", "dashboard_url": self.base_url + "/api/v2"}
        return {
            **(client if oauth else {}),
            "messaging_url": self.messaging_url,
            "oauth_token_url": self.token_url,
            "account_id": self.account_id,
            "username": self.username,
            "password": self.password,
            "dashboard_url": self.dashboard_url,
            "user_id": self.user_id,
            "api_token": self.api_token,
            "api_secret": self.api_secret,
            "catapult_url": self.catapult_url,
            **(dialect if universal else {}),
        }

    def stack_config(self, *, oauth: bool = False, universal: bool = False) -> dict[str, str]:
        """``bandwidth:*`` stack config pointing a program at this emulator; with ``oauth``, the
        OAuth2 client too, so the Dashboard and Messaging APIs are called with bearer tokens;
        with ``universal``, the Dashboard as a Universal Platform account reaches it."""
        return {SETTINGS[k][0]: v for k, v in self._settings(oauth, universal).items()}

    def env(self, *, oauth: bool = False, universal: bool = False) -> dict[str, str]:
        """The same as ``BANDWIDTH_*`` environment variables."""
        return {SETTINGS[k][1]: v for k, v in self._settings(oauth, universal).items()}

    def describe(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            **self._settings(oauth=False),
            "messaging_url": self.messaging_url,
            "token_url": self.token_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
