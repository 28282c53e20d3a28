"""A hand-driven stand-in for the ``time`` module, for retry, backoff and pacing tests.

Patched in with pytest-mock over the ``time`` name of the module under test (never over the
real module, which the replay server and pytest keep using): ``sleep`` records each wait and
moves the clock instead of waiting, so those tests assert the waits and never take them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

#: A plausible epoch instant, so rate-limit resets given as epoch values read as real ones.
EPOCH = 1_800_000_000.0


class FakeClock:
    """``time()``, ``monotonic()`` and ``sleep()``; thread-safe.

    ``frozen`` keeps the clock still while sleeping (concurrent sleepers then see the same
    instant, which makes their waits deterministic). ``on_sleep`` runs during each sleep,
    before the clock moves.
    """

    def __init__(self, *, frozen: bool = False) -> None:
        self.now = EPOCH
        self.frozen = frozen
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[float], None] | None = None
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self.now

    def monotonic(self) -> float:
        return self.time()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
        if self.on_sleep is not None:  # while the sleeper is still asleep
            self.on_sleep(seconds)
        if not self.frozen:
            with self._lock:
                self.now += seconds
