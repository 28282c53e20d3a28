"""The plain outcomes of a lifecycle call and the :class:`Lifecycle` protocol both adapters drive.

Values a program has not resolved yet (preview) reach a core as :data:`UNKNOWN`; each adapter
maps its engine's unknowns to it (see :class:`UnknownValue`).
"""

from __future__ import annotations

from abc import ABC
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..config import Settings

__all__ = [
    "UNKNOWN",
    "CheckOutcome",
    "DiffOutcome",
    "Lifecycle",
    "ReadOutcome",
    "ResourceName",
    "UnknownValue",
]


class UnknownValue(ABC):  # noqa: B024 (an ABC for ``register``, with nothing abstract)
    """A value not known yet (preview): :data:`UNKNOWN`, or an engine's own unknown that its
    adapter registers as a virtual subclass (``UnknownValue.register(Unknown)``), which then
    reaches the core as it is and goes back to the engine unchanged."""

    _instance: UnknownValue | None = None

    def __new__(cls) -> UnknownValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = UnknownValue()


@dataclass(frozen=True)
class ResourceName:
    """Which resource of which stack a call is for: what a Python constructor reads from the
    program (``pulumi.get_project()``...) and a plugin from the URN, for inputs derived from it."""

    project: str
    stack: str
    name: str


@dataclass(frozen=True)
class CheckOutcome:
    """Checked inputs, and (property, reason) failures; property ``""`` names none."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DiffOutcome:
    """``changed``: the inputs that differ (what a display shows); ``replaces`` among them."""

    changes: bool
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOutcome:
    """``id`` None: the object is gone (a definitive 404). ``secrets``: keys of ``inputs`` the
    engine must keep secret (a read may return a password it holds in state)."""

    id: str | None
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None
    secrets: frozenset[str] = frozenset()


class Lifecycle(Protocol):
    """One resource type's lifecycle on plain snake_case values."""

    def configure(self, settings: Settings) -> None: ...

    def check(
        self, olds: dict[str, Any], news: dict[str, Any], resource: ResourceName | None = None
    ) -> CheckOutcome: ...

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome: ...

    def create(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]: ...

    def read(self, id_: str, state: dict[str, Any]) -> ReadOutcome: ...

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...

    def delete(self, id_: str, state: dict[str, Any]) -> None: ...
