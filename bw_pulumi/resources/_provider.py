"""Plumbing shared by every provider: configuration, shared clients, diff and check helpers.

Providers are pickled into state by reference and configured in the plugin process, so they hold
no state of their own: settings, HTTP sessions and caches live in the runtime registry
(:mod:`bw_pulumi._runtime`), one per process, shared by the engine's four worker threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    Resource,
    ResourceProvider,
)
from pulumi.output import Unknown

from .._display import install_error_display
from .._numbers import InvalidNumber, spellings
from .._plugin_exit import freeze_heap_at_exit
from .._progress import say as log
from .._runtime import RUNTIME
from .._sdk_compat import install_serialize_provider_guard
from ..clients.catapult import CatapultClient
from ..clients.dashboard import DashboardClient
from ..clients.dashboard_apps import DashboardAppsClient
from ..config import SETTINGS_KEYS, Settings
from ..errors import BwPulumiError, ConfigError, Forbidden, NotFound

__all__ = [
    "APIS",
    "READ_CACHE_SECONDS",
    "BaseProvider",
    "Failures",
    "as_text",
    "check_number_list",
    "diff_props",
    "get_resource",
    "is_unknown",
    "log",
    "user_props",
]

PROVIDER_KEY = "__provider"
#: Reads (refresh) accept only answers this recent: the same refresh, never an older operation.
READ_CACHE_SECONDS = 15.0


def is_unknown(value: object) -> bool:
    """True for a value not known yet (preview), at the top level or anywhere inside."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_unknown(v) for v in value)
    return False


def user_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the engine's ``__provider`` and without ``None`` values."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY and v is not None}


class Failures(list[CheckFailure]):
    """Collects ``CheckFailure``s; each names the offending input."""

    def add(self, prop: str, reason: str) -> None:
        self.append(CheckFailure(prop, reason))


#: The Bandwidth APIs a provider may declare in :attr:`BaseProvider.apis`.
APIS = ("dashboard", "catapult")
_PROVING = "_bw_proves_config"


class BaseProvider(ResourceProvider):
    """Configuration and clients; pickles to a bare class reference (no settings, no secrets).

    Each provider declares the APIs it calls in :attr:`apis`; its ``check`` then proves their
    configuration before anything is created (design.md "Config is proven at preview"): a
    missing ``bandwidth:*`` key, or credentials or a base URL that the API's one cheap
    read-only request per process refuses, fail ``preview`` and ``up`` before any create.
    """

    #: The APIs this resource calls, from :data:`APIS`: its ``check`` proves their config.
    #: Required on every provider that creates objects (a class without it fails to define).
    apis: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        apis = getattr(cls, "apis", None)
        if apis is None and "create" in vars(cls):
            raise TypeError(
                f"{cls.__name__} must declare the Bandwidth APIs it calls, e.g. "
                f"apis = ('dashboard',), so that check proves their config at preview"
            )
        unknown = sorted(set(apis or ()) - set(APIS))
        if unknown:
            raise TypeError(f"{cls.__name__}.apis names unknown APIs {unknown}; use {APIS}")
        check = vars(cls).get("check")
        if check is not None and not getattr(check, _PROVING, False):
            cls.check = _proving(check)  # type: ignore[method-assign]

    def __getstate__(self) -> dict[str, Any]:
        # Belt and braces: even if an attribute were set, nothing of the instance is pickled.
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        return None

    def configure(self, req: ConfigureRequest) -> None:
        # Runs in the plugin before any provider call: errors from here on read as one message.
        if install_error_display():  # which notes failed calls, the freeze's condition
            freeze_heap_at_exit()
        settings = Settings.load({key: req.config.get(key) for key, _ in SETTINGS_KEYS.values()})
        RUNTIME.configure(self, settings)

    @property
    def settings(self) -> Settings:
        return RUNTIME.settings(self)

    def dashboard(self) -> DashboardClient:
        return RUNTIME.dashboard(self.settings)

    def catapult(self) -> CatapultClient:
        return RUNTIME.catapult(self.settings)

    def dashboard_apps(self) -> DashboardAppsClient:
        """Applications and Locations of the current platform, over the Dashboard client."""
        return DashboardAppsClient(self.dashboard())

    def config_failures(self) -> list[CheckFailure]:
        """What is wrong with the configuration of :attr:`apis`, one failure per API.

        Only for a configured provider: the dynamic server configures each provider before its
        first call (``get_provider``), so ``check`` always finds settings there; a provider
        called directly without ``configure`` (tests of input checks) has nothing to prove.
        """
        if RUNTIME.configured(self) is None:
            return []
        failures = Failures()
        for api in getattr(self, "apis", ()):
            try:
                self.prove(api)
            except BwPulumiError as exc:
                failures.add("", str(exc))  # no property: the engine prints the reason alone
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


def _proving(check: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
    """``check`` followed by the provider's config proof (:meth:`BaseProvider.config_failures`)."""

    @functools.wraps(check)
    def checked(self: BaseProvider, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = check(self, olds, news)
        problems = self.config_failures()
        if problems:
            result.failures = [*(result.failures or ()), *problems]
        return result

    setattr(checked, _PROVING, True)
    return checked


R = TypeVar("R", bound=Resource)


def get_resource(
    cls: type[R],
    provider: ResourceProvider,
    resource_name: str,
    id_: pulumi.Input[str],
    props: Iterable[str],
    opts: pulumi.ResourceOptions | None,
) -> R:
    """``X.get``: a read-only lookup by id (the engine's ReadStep), every field from the live
    object. The props are all present and empty so each output attribute exists."""
    resource = cls.__new__(cls)
    install_serialize_provider_guard()  # before the SDK pickles the provider
    Resource.__init__(
        resource,
        provider,
        resource_name,
        dict.fromkeys(props),
        pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id_)),
    )
    return resource


def as_text(value: Any) -> str:
    """The text of an input that Bandwidth takes as a string (ids, zip codes, numbers).

    Whole numbers written in a program (``site_id=14``) reach the provider as floats, because
    protobuf's Struct has only doubles: ``str`` would send ``"14.0"``.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: How many bad entries a number-list failure names before it counts the rest.
SHOWN_PROBLEMS = 3


def check_number_list(
    failures: Failures,
    value: Any,
    normalize: Callable[[str], str],
    *,
    prop: str = "telephone_numbers",
    allow_empty: bool = False,
    checked: Any = None,
) -> Any:
    """A list of numbers in any spelling as sorted ``normalize``d numbers; invalid or duplicate
    entries are one failure naming ``prop``, the first few and a count. Unknowns (preview) pass
    through unchanged.

    One failure, and without the property: the engine prints the whole value of a property with
    every failure that names it, so 100 bad numbers of 100 printed 10,000 numbers.

    ``checked`` is this list as the last check returned it (the old inputs). A no-op ``up``
    sends the same numbers again, often in the other spelling (the flagship feeds the order's
    ten-digit ``imported_numbers`` to E.164 bindings): a number the last check accepted is
    taken in either spelling without parsing it again (0.1 ms each, 1000 a resource).
    """
    if is_unknown(value) and not isinstance(value, list):
        return value
    if not isinstance(value, list) or not (value or allow_empty):
        needed = "a list" if allow_empty else "a non-empty list"
        failures.add(prop, f"{prop} must be {needed} of numbers")
        return value
    if any(is_unknown(v) for v in value):
        return value
    known = _spellings_of(checked)
    seen: dict[str, Any] = {}
    problems: list[str] = []
    for raw in value:
        number = known.get(raw) if isinstance(raw, str) else None
        if number is None:
            try:
                number = normalize(raw if isinstance(raw, str) else as_text(raw))
            except InvalidNumber as exc:
                problems.append(str(exc))
                continue
        if number in seen:
            problems.append(f"{raw!r} duplicates {seen[number]!r} (both are {number})")
        seen.setdefault(number, raw)
    if problems:
        failures.add("", _list_problems(prop, problems, len(value)))
    return sorted(seen)


def _list_problems(prop: str, problems: list[str], total: int) -> str:
    """``telephone_numbers: 3 of 1000 entries are wrong: ...; ...; ... and 1 more``."""
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    rest = len(problems) - SHOWN_PROBLEMS
    more = f"; and {rest} more" if rest > 0 else ""
    count = "1 entry is" if len(problems) == 1 else f"{len(problems)} entries are"
    return f"{prop}: {count} wrong (of {total}): {shown}{more}"


def _spellings_of(checked: Any) -> dict[str, str]:
    """Each number a check accepted, under both spellings the APIs use (``+19195550100`` and
    ``9195550100``), mapped to the checked one. Both spellings of a valid NANP number normalize
    to it, so a match needs no parse; anything else is parsed as usual."""
    known: dict[str, str] = {}
    for number in checked if isinstance(checked, list) else ():
        if isinstance(number, str):
            known.update(dict.fromkeys(spellings(number), number))
    return known


Normalizer = Callable[[Any], Any]


def diff_props(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    update_keys: Iterable[str],
    replace_keys: Iterable[str] = (),
    accept_server_value: Iterable[str] = (),
    normalize: Mapping[str, Normalizer] | None = None,
    delete_before_replace: bool = False,
) -> DiffResult:
    """Explicit diff over the named inputs; ``__provider`` and outputs are never compared.

    ``accept_server_value`` keys are not diffed when the program leaves them unset (the server's
    default stands). An unknown replace trigger means "replace"; any other unknown, "changed".
    """
    normalize = normalize or {}
    replace_set = set(replace_keys)
    accept = set(accept_server_value)
    changes: list[str] = []
    for key in [*replace_set, *update_keys]:
        new = news.get(key)
        if is_unknown(new):
            changes.append(key)
            continue
        if new is None and key in accept:
            continue
        norm = normalize.get(key, _identity)
        if norm(olds.get(key)) != norm(new):
            changes.append(key)
    replaces = sorted(k for k in changes if k in replace_set)
    return DiffResult(
        changes=bool(changes),
        replaces=replaces,
        stables=[],
        delete_before_replace=delete_before_replace and bool(replaces),
    )


def _identity(value: Any) -> Any:
    return value
