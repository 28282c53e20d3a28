"""The lifecycle seam: one resource's check/diff/create/read/update/delete on plain values.

:class:`Lifecycle` is what the native plugin calls, with snake_case dicts of plain Python values
in and plain outcomes out, free of both Pulumi provider APIs. Today :class:`DynamicLifecycle`
implements it by driving the dynamic provider's methods and unwrapping their
``pulumi.dynamic`` result objects, so both front ends run the very same code. When the lifecycle
core is extracted (one core per resource, issue 28 item 1), the core implements this protocol
directly and the dynamic providers become a second thin adapter over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import ResourceProvider

from .._runtime import RUNTIME
from ..config import Settings
from ..core.lifecycle import CheckOutcome, DiffOutcome, Lifecycle, ReadOutcome
from .registry import ResourceSpec

__all__ = [
    "CheckOutcome",
    "DiffOutcome",
    "DynamicLifecycle",
    "Lifecycle",
    "ReadOutcome",
    "lifecycle",
]


def lifecycle(spec: ResourceSpec) -> Lifecycle:
    """The resource's core, or the dynamic provider for one not yet moved to a core."""
    core = getattr(spec.provider_class, "core_class", None)
    return core() if core is not None else DynamicLifecycle(spec)


class DynamicLifecycle:
    """:class:`Lifecycle` over a dynamic provider instance (which holds no state of its own:
    its settings live in the runtime registry, keyed by the instance)."""

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec
        self.provider: ResourceProvider = spec.provider_class()

    def configure(self, settings: Settings) -> None:
        RUNTIME.configure(self.provider, settings)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        result = self.provider.check(olds, news)
        failures = [(f.property, f.reason) for f in result.failures or ()]
        return CheckOutcome(dict(result.inputs or {}), failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        result = self.provider.diff(id_, olds, news)
        return DiffOutcome(
            changes=bool(result.changes),
            replaces=list(result.replaces or ()),
            delete_before_replace=bool(result.delete_before_replace),
        )

    def create(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        result = self.provider.create(inputs)
        return str(result.id), dict(result.outs or {})

    def read(self, id_: str, state: dict[str, Any]) -> ReadOutcome:
        result = self.provider.read(id_, state)
        inputs = getattr(result, "inputs", None)
        return ReadOutcome(
            str(result.id) if result.id else None,
            dict(result.outs or {}),
            dict(inputs) if isinstance(inputs, Mapping) else None,
        )

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        return dict(self.provider.update(id_, olds, news).outs or {})

    def delete(self, id_: str, state: dict[str, Any]) -> None:
        self.provider.delete(id_, state)
