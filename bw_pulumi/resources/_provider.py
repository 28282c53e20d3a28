"""The dynamic providers' adapter over the lifecycle cores (:mod:`bw_pulumi.core`).

Providers are pickled into state by reference and configured in the plugin process, so they hold
no state of their own: settings, HTTP sessions and caches live in the runtime registry
(:mod:`bw_pulumi._runtime`), one per process, shared by the engine's four worker threads. Each
call builds the resource's core with the settings ``configure`` recorded for this provider,
hands it the plain values (the SDK's unknowns are the core's) and wraps its plain outcome in the
``pulumi.dynamic`` result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown
from pulumi.runtime.rpc import wrap_rpc_secret

from .._display import install_error_display
from .._plugin_exit import freeze_heap_at_exit
from .._runtime import RUNTIME
from .._sdk_compat import install_serialize_provider_guard
from ..clients.catapult import CatapultClient
from ..clients.dashboard import DashboardClient
from ..clients.dashboard_apps import DashboardAppsClient
from ..config import SETTINGS_KEYS, Settings
from ..core.base import CoreBase, validate_apis
from ..core.lifecycle import CheckOutcome, DiffOutcome, UnknownValue

__all__ = ["BaseProvider", "check_result", "diff_result", "get_resource"]

_WRAPPED = "_bw_dynamic_wrapped"
# The SDK's unknowns (preview) are the core's: they reach a core, and come back, as they are.
UnknownValue.register(Unknown)


def check_result(outcome: CheckOutcome) -> CheckResult:
    failures = [CheckFailure(prop, reason) for prop, reason in outcome.failures]
    return CheckResult(outcome.inputs, failures)


def diff_result(outcome: DiffOutcome) -> DiffResult:
    return DiffResult(
        changes=outcome.changes,
        replaces=list(outcome.replaces),
        stables=[],
        delete_before_replace=outcome.delete_before_replace,
    )


class BaseProvider(ResourceProvider):
    """A dynamic provider over the lifecycle core :attr:`core_class`; pickles to a bare class
    reference (no settings, no secrets)."""

    #: The lifecycle core this provider adapts.
    core_class: ClassVar[type[CoreBase]]
    #: The APIs the resource calls (its core's), proven by ``check`` at preview.
    apis: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        core = vars(cls).get("core_class")
        if core is not None:
            cls.apis = core.apis
            return
        # A provider without a core (a test's, or a new one being written): its own methods,
        # its own check followed by the config proof of the APIs it declares.
        validate_apis(cls)
        check = vars(cls).get("check")
        if check is not None and not getattr(check, _WRAPPED, False):
            cls.check = _own_check(check)  # type: ignore[method-assign]

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

    def core(self) -> CoreBase:
        """This provider's core, with the settings ``configure`` recorded (none: a direct call,
        which proves no config and reads the environment variables)."""
        cls: type[CoreBase] | None = getattr(type(self), "core_class", None)
        if cls is not None:
            return cls(RUNTIME.configured(self))
        core = CoreBase(RUNTIME.configured(self))  # a provider without a core of its own
        setattr(core, "apis", getattr(self, "apis", ()))  # noqa: B010
        return core

    @property
    def settings(self) -> Settings:
        return RUNTIME.settings(self)

    def dashboard(self) -> DashboardClient:
        return self.core().dashboard()

    def catapult(self) -> CatapultClient:
        return self.core().catapult()

    def dashboard_apps(self) -> DashboardAppsClient:
        return self.core().dashboard_apps()

    def config_failures(self) -> list[CheckFailure]:
        return [CheckFailure(prop, reason) for prop, reason in self.core().config_failures()]

    def prove(self, api: str) -> None:
        self.core().prove(api)

    def confirm_gone(self, api: str) -> None:
        self.core().confirm_gone(api)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_result(self.core().check(olds, news))

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(self.core().diff(id_, olds, news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        id_, outs = self.core().create(props)
        return CreateResult(id_, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        outcome = self.core().read(id_, props)
        inputs = outcome.inputs
        if inputs is not None and outcome.secrets:
            inputs = {
                k: wrap_rpc_secret(v) if k in outcome.secrets else v for k, v in inputs.items()
            }
        return ReadResult(outcome.id, outcome.outputs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self.core().update(id_, olds, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.core().delete(id_, props)


def _own_check(check: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
    """A provider's own ``check``, followed by the config proof."""

    @functools.wraps(check)
    def checked(self: BaseProvider, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = check(self, olds, news)
        result.failures = [*(result.failures or ()), *self.config_failures()]
        return result

    setattr(checked, _WRAPPED, True)
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
