"""The one error the backends raise: :class:`EmulatorFault` (moto's ``exceptions.py``).

A backend operation that refuses raises a fault carrying the HTTP status, Bandwidth's code and
description; it never builds a response. Each API renders faults in one place
(:mod:`.dashboard.faults`, :mod:`.catapult.faults`), in the error shape the route declares, so
the same rule reads the same on every route.
"""

from __future__ import annotations

__all__ = ["EmulatorFault"]


class EmulatorFault(Exception):
    """A refusal: ``status``, Bandwidth's ``code`` (an int on the Dashboard API, a string on
    Catapult, ``None`` where Bandwidth sends none) and ``description``.

    ``errors`` lists every ``(code, description)`` when Bandwidth reports several at once (flat
    ``Errors`` lists); the first is ``code`` and ``description``. ``subject`` names the kind of
    object refused ("order", "loa", ...) where one route can refuse two kinds in two shapes.
    """

    def __init__(
        self,
        status: int,
        code: int | str | None,
        description: str,
        *,
        errors: list[tuple[int, str]] | None = None,
        subject: str = "",
    ) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description
        self.subject = subject
        self.errors: list[tuple[int, str]] = errors or (
            [(code, description)] if isinstance(code, int) else []
        )

    @classmethod
    def many(cls, status: int, errors: list[tuple[int, str]]) -> EmulatorFault:
        code, description = errors[0]
        return cls(status, code, description, errors=errors)
