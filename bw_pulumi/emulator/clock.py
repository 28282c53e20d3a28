"""How orders move through their declared statuses: timed, immediate or after N reads.

Style habit 2c and moto's ``managed_state_model.py``: an order declares its steps (RECEIVED →
PROCESSING → terminal, see :mod:`.dashboard.orders`) and a :class:`Progression`, chosen per
emulator, decides when each step is taken:

- ``timed`` (the default, like Bandwidth): the steps fall due ``seconds`` after the order was
  placed, and the store's clock thread takes them; no request is needed;
- ``immediate``: every step is taken as the order is placed (the 201 still shows the first
  status, the next read the end);
- ``reads``: one step after every ``reads`` reads of the order (GET, history, lists), so a test
  reaches RECEIVED, PROCESSING and the end by reading, never by sleeping.

An order keeps the progression it was placed under (a state file stores it with the order).
``POST /_emulator/settle`` ends every pending order at once, whatever its progression: with a
long timed progression it is the test's hand on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bw_pulumi.emulator.dashboard.models import Order

__all__ = ["Progression", "due", "read", "schedule"]

TIMED = "timed"
IMMEDIATE = "immediate"
READS = "reads"


@dataclass(frozen=True)
class Progression:
    """When orders take their next step; build one with the class methods."""

    mode: str = TIMED
    seconds: float = 1.0
    reads: int = 1

    @classmethod
    def timed(cls, seconds: float) -> Progression:
        """Steps by the clock over ``seconds``; 0 is :meth:`immediate` (the CLI's meaning)."""
        seconds = max(0.0, float(seconds))
        return cls(IMMEDIATE, 0.0) if seconds == 0 else cls(TIMED, seconds)

    @classmethod
    def immediate(cls) -> Progression:
        return cls(IMMEDIATE, 0.0)

    @classmethod
    def after_reads(cls, reads: int) -> Progression:
        """One step per ``reads`` reads of the order (moto's ``manual`` progression)."""
        if reads < 1:
            raise ValueError("after_reads needs at least one read per step")
        return cls(READS, 0.0, int(reads))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progression:
        """``{"mode": "timed", "seconds": S}``, ``{"mode": "immediate"}`` or
        ``{"mode": "reads", "reads": N}`` (``POST /_emulator/progression``)."""
        unknown = set(data) - {"mode", "seconds", "reads"}
        if unknown:
            raise ValueError(f"unknown progression keys: {sorted(unknown)}")
        mode = data.get("mode")
        if mode == TIMED:
            return cls.timed(float(data.get("seconds", 1.0)))
        if mode == IMMEDIATE:
            return cls.immediate()
        if mode == READS:
            return cls.after_reads(int(data.get("reads", 1)))
        raise ValueError(f"mode must be one of {TIMED!r}, {IMMEDIATE!r}, {READS!r}")

    @property
    def immediate_settle(self) -> bool:
        return self.mode == IMMEDIATE


def schedule(order: Order, steps: list[str], progression: Progression) -> None:
    """Give ``order`` its pending ``steps``, spread evenly over the progression's time."""
    count = len(steps)
    order.pending = [
        (order.created + progression.seconds * (i + 1) / count, step)
        for i, step in enumerate(steps)
    ]
    order.reads_per_step = progression.reads if progression.mode == READS else 0
    order.reads = 0


def due(order: Order, moment: float) -> bool:
    """The clock may take the next step (orders that progress by reads never fall due)."""
    return bool(order.pending) and not order.reads_per_step and order.pending[0][0] <= moment


def read(order: Order) -> bool:
    """Count one read; true when it completes the reads the next step waits for."""
    if not order.reads_per_step or not order.pending:
        return False
    order.reads += 1
    if order.reads < order.reads_per_step:
        return False
    order.reads = 0
    return True
