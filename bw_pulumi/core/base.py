"""What every core shares: its settings (passed in, never looked up), the API clients over them,
and the config proof that ``check`` runs (design.md "Config is proven at preview")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from .._runtime import RUNTIME
from ..clients.catapult import CatapultClient
from ..clients.dashboard import DashboardClient
from ..clients.dashboard_apps import DashboardAppsClient
from ..config import Settings
from ..errors import BwPulumiError, ConfigError, Forbidden, NotFound
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome, ResourceName

__all__ = ["APIS", "READ_CACHE_SECONDS", "CoreBase", "validate_apis"]

#: Reads (refresh) accept only answers this recent: the same refresh, never an older operation.
READ_CACHE_SECONDS = 15.0
#: The Bandwidth APIs a core may declare in :attr:`CoreBase.apis`.
APIS = ("dashboard", "catapult")


def validate_apis(cls: type) -> None:
    """Fail to define ``cls`` if it creates objects without declaring its APIs, or names one
    that is not in :data:`APIS`."""
    apis = getattr(cls, "apis", None)
    if apis is None and "create" in vars(cls):
        raise TypeError(
            f"{cls.__name__} must declare the Bandwidth APIs it calls, e.g. "
            f"apis = ('dashboard',), so that check proves their config at preview"
        )
    unknown = sorted(set(apis or ()) - set(APIS))
    if unknown:
        raise TypeError(f"{cls.__name__}.apis names unknown APIs {unknown}; use {APIS}")


class CoreBase:
    """Settings, clients and the config proof of one resource's lifecycle core.

    Each core declares the APIs it calls in :attr:`apis`; :meth:`check` then proves their
    configuration before anything is created: a missing ``bandwidth:*`` key, or credentials or
    a base URL that the API's one cheap read-only request per process refuses, fail ``preview``
    and ``up`` before any create. A core never configured (a direct call in a test of input
    checks) proves nothing, and its clients read the environment variables.
    """

    #: The APIs this resource calls, from :data:`APIS`: its ``check`` proves their config.
    apis: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        validate_apis(cls)

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._from_env: Settings | None = None

    def configure(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def configured(self) -> bool:
        return self._settings is not None

    @property
    def settings(self) -> Settings:
        """The settings passed in; the environment variables' only if there were none."""
        if self._settings is not None:
            return self._settings
        if self._from_env is None:
            self._from_env = Settings.load()
        return self._from_env

    def dashboard(self) -> DashboardClient:
        return RUNTIME.dashboard(self.settings)

    def catapult(self) -> CatapultClient:
        return RUNTIME.catapult(self.settings)

    def dashboard_apps(self) -> DashboardAppsClient:
        """Applications and Locations of the current platform, over the Dashboard client."""
        return DashboardAppsClient(self.dashboard())

    def check(
        self, olds: dict[str, Any], news: dict[str, Any], resource: ResourceName | None = None
    ) -> CheckOutcome:
        """:meth:`check_inputs`, then the config proof (:meth:`config_failures`). ``resource``
        names the resource where an input defaults from it (:meth:`with_defaults`)."""
        if resource is not None:
            news = self.with_defaults(news, resource)
        outcome = self.check_inputs(olds, news)
        problems = self.config_failures()
        if not problems:
            return outcome
        return CheckOutcome(outcome.inputs, [*outcome.failures, *problems])

    def check_inputs(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        return CheckOutcome(dict(news))

    def with_defaults(self, news: dict[str, Any], resource: ResourceName) -> dict[str, Any]:
        """``news`` with the inputs that default from the resource's name filled in."""
        return news

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        raise NotImplementedError

    def create(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def read(self, id_: str, state: dict[str, Any]) -> ReadOutcome:
        raise NotImplementedError

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, id_: str, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def config_failures(self) -> list[tuple[str, str]]:
        """What is wrong with the configuration of :attr:`apis`, one failure per API (with no
        property: the engine prints the reason alone). Nothing for a core never configured."""
        if not self.configured:
            return []
        failures: list[tuple[str, str]] = []
        for api in getattr(self, "apis", ()):
            try:
                self.prove(api)
            except BwPulumiError as exc:
                failures.append(("", str(exc)))
        return failures

    def prove(self, api: str) -> None:
        """Raise unless ``api``'s config works: every key set, and its own collection answers.

        One read-only request per API, base URL and login per process, whatever asks: ``check``
        at preview, or :meth:`confirm_gone`. 403 passes: a role this probe lacks
        (bandwidth-api.md 1.2) says nothing about the account path or the login.
        """
        if api == "dashboard":
            dashboard = self.dashboard()  # a missing key raises here, naming it
            client: object = dashboard
            # Through the in-service cache: the count it reads also prices the next listing.
            probe: Callable[[], object] = lambda: RUNTIME.in_service.total(dashboard)  # noqa: E731
            where = f"account {dashboard.account_id} at {dashboard.base_url}"
            settings = "bandwidth:dashboardUrl and bandwidth:accountId"
        else:
            catapult = self.catapult()
            client = catapult
            probe = lambda: next(catapult.list_numbers(page_size=1), None)  # noqa: E731
            where = f"user {catapult.user_id} at {catapult.base_url}"
            settings = "bandwidth:catapultUrl and bandwidth:userId"

        def run() -> None:
            try:
                probe()
            except Forbidden:
                pass
            except NotFound:
                raise ConfigError(
                    f"Bandwidth answers 404 for {where}, so that account path does not exist "
                    f"there: check {settings}"
                ) from None

        # The process keeps one client per URL and login, so the client names what is proven.
        RUNTIME.prove_once((api, client), run)

    def confirm_gone(self, api: str) -> None:
        """Raise unless a 404 from ``api`` can mean "this object is gone".

        A wrong base URL or account id answers 404 for every object; read as "gone" that would
        empty the state on refresh and make destroy succeed while deleting nothing. So the
        account's own collection must answer first (:meth:`prove`, once per process).
        """
        self.prove(api)
