"""The runtime registry: everything one provider process keeps between calls, in one place.

The engine runs one plugin process per operation, serving every provider from four worker
threads, and configures each unpickled provider once (pulumi-dynamic-providers.md, section 0).
Providers pickle by reference and must hold nothing themselves, so what they remember lives
here: each provider's settings, the clients built from settings (the only route from settings to
clients: providers and :func:`bw_pulumi.check_importability` both take it), the pacing buckets
their transports share, the outcome of each config proof (at preview, and before a 404 may
mean "gone"), the in-service answers and the Catapult number listings PhoneNumber reads share.

:func:`reset` puts it all back as a new process would find it; the test suite calls it before
every test.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from ._http import Transport
from ._oauth import TokenSource
from ._pacing import Pacer
from ._reach import ANSWERED
from .clients.catapult import CatapultClient
from .clients.dashboard import DashboardClient
from .clients.dashboard_dialect import dialect_for
from .clients.messaging import MessagingClient
from .config import Settings
from .resources._in_service import InServiceCache
from .resources._number_listing import NumberListings

__all__ = ["RUNTIME", "Runtime", "reset"]


class Runtime:
    """Per-process provider state behind one lock; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: weakref.WeakKeyDictionary[Any, Settings] = weakref.WeakKeyDictionary()
        self._dashboards: dict[tuple[str, ...], DashboardClient] = {}
        self._catapults: dict[tuple[str, ...], CatapultClient] = {}
        self._tokens: dict[tuple[str, ...], TokenSource] = {}
        self._messaging: dict[tuple[str, ...], MessagingClient] = {}
        #: Config proofs (one read-only request per API and login): None when it passed, else
        #: the error it raised, raised again for every later ask in this process.
        self._proofs: dict[Hashable, BaseException | None] = {}
        self._proof_locks: dict[Hashable, threading.Lock] = {}
        #: Catapult's budgets are per user, so every Catapult transport paces on these buckets.
        self.pacer = Pacer()
        self.in_service = InServiceCache()
        self.catapult_numbers = NumberListings()

    # -- settings ------------------------------------------------------------------------

    def configure(self, owner: object, settings: Settings) -> None:
        """Record the settings ``owner`` (a provider) was configured with."""
        with self._lock:
            self._settings[owner] = settings

    def configured(self, owner: object) -> Settings | None:
        """``owner``'s settings if ``configure`` recorded them (always so in the plugin)."""
        with self._lock:
            return self._settings.get(owner)

    def settings(self, owner: object) -> Settings:
        """``owner``'s settings; environment variables only if it was never configured (a
        provider called directly, or an engine that skipped Configure)."""
        with self._lock:
            settings = self._settings.get(owner)
        if settings is None:
            settings = Settings.load()
            self.configure(owner, settings)
        return settings

    # -- clients -------------------------------------------------------------------------

    def dashboard(self, settings: Settings) -> DashboardClient:
        """The process's Dashboard client for these settings' URL, dialect and login: bearer
        tokens when OAuth2 client credentials are configured, Basic auth otherwise."""
        account_id, username, password = settings.dashboard_credentials()
        bearer = self.token_source(settings)
        dialect = dialect_for(settings.dashboard_dialect)
        key = (
            settings.dashboard_url,
            settings.dashboard_dialect,
            account_id,
            username,
            password,
            *self._oauth_key(settings),
        )
        with self._lock:
            client = self._dashboards.get(key)
            if client is None:
                transport = None
                if bearer is not None:
                    transport = Transport(settings.dashboard_url, bearer, dialect)
                client = DashboardClient(
                    settings.dashboard_url,
                    account_id,
                    username,
                    password,
                    transport=transport,
                    dialect=dialect,
                )
                self._dashboards[key] = client
            return client

    def messaging(self, settings: Settings) -> MessagingClient:
        """The process's Messaging API v2 client: the same auth as the Dashboard's (bearer
        tokens from the one token source, or Basic with the Dashboard API user)."""
        account_id, username, password = settings.dashboard_credentials()
        bearer = self.token_source(settings)
        key = (settings.messaging_url, account_id, username, password, *self._oauth_key(settings))
        with self._lock:
            client = self._messaging.get(key)
            if client is None:
                auth = bearer if bearer is not None else (username, password)
                client = MessagingClient(settings.messaging_url, account_id, auth)
                self._messaging[key] = client
            return client

    def token_source(self, settings: Settings) -> TokenSource | None:
        """The one OAuth2 token source of this process for these client credentials (shared by
        the Dashboard and Messaging clients), or ``None`` when OAuth2 is not configured."""
        client = settings.oauth_client()
        if client is None:
            return None
        key = self._oauth_key(settings)
        with self._lock:
            source = self._tokens.get(key)
            if source is None:
                source = TokenSource(settings.oauth_token_url, *client)
                self._tokens[key] = source
            return source

    @staticmethod
    def _oauth_key(settings: Settings) -> tuple[str, ...]:
        client = settings.oauth_client()
        return (settings.oauth_token_url, *client) if client else ()

    def catapult(self, settings: Settings) -> CatapultClient:
        """The process's Catapult client for these settings' URL and login."""
        user_id, token, secret = settings.catapult_credentials()
        key = (settings.catapult_url, user_id, token, secret)
        with self._lock:
            client = self._catapults.get(key)
            if client is None:
                client = CatapultClient(
                    settings.catapult_url, user_id, token, secret, pacer=self.pacer
                )
                self._catapults[key] = client
            return client

    # -- config proofs -------------------------------------------------------------------

    def prove_once(self, key: Hashable, probe: Callable[[], None]) -> None:
        """Run ``probe`` once per ``key`` and process; later calls repeat its outcome.

        The engine's four threads check resources at once: the first runs the probe, the others
        wait for its answer instead of sending the same request (design.md "Config is proven at
        preview": one request per API per provider process). A failure is kept too, so a stack
        of many resources with a wrong password costs one request, and each check says why.
        """
        with self._lock:
            lock = self._proof_locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                done = key in self._proofs
                failure = self._proofs.get(key)
            if not done:
                try:
                    probe()
                except Exception as exc:
                    failure = exc
                with self._lock:
                    self._proofs[key] = failure
        if failure is not None:
            raise failure

    # -- tests ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything and close every session, as a fresh provider process starts."""
        with self._lock:
            transports = [c.transport for c in self._dashboards.values()]
            transports += [c.transport for c in self._catapults.values()]
            transports += [c.transport for c in self._messaging.values()]
            self._messaging.clear()
            tokens = list(self._tokens.values())
            self._tokens.clear()
            self._settings.clear()
            self._dashboards.clear()
            self._catapults.clear()
            self._proofs.clear()
            self._proof_locks.clear()
            self.pacer = Pacer()
            self.in_service = InServiceCache()
            self.catapult_numbers = NumberListings()
        ANSWERED.clear()
        for transport in transports:
            transport.close()
        for source in tokens:
            source.close()


#: The one registry of this process.
RUNTIME = Runtime()


def reset() -> None:
    """Reset :data:`RUNTIME` (for tests: each test then runs as in a new provider process)."""
    RUNTIME.reset()
