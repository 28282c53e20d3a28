"""The world's one lock, its clock thread and its persistence (no HTTP).

Every backend operation and the clock take :class:`Store`'s lock; nothing inside it makes a network
call (localstack's publisher rule): order notifications collect in ``World.outbox`` and go to the
delivery thread after the lock is released. ``--state-file`` is JSON written with an atomic rename
(choice: the state is small and JSON stays diffable by hand), flushed from the clock thread at
most every ``_FLUSH_SECONDS`` and on stop, so a restart finds the same world and resumes pending
orders from their absolute due times.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.common import now
from bw_pulumi.emulator.dashboard import orders
from bw_pulumi.emulator.dashboard.models import Notify
from bw_pulumi.emulator.models import Accounts, World

__all__ = ["Store"]

_FLUSH_SECONDS = 0.2


class Store:
    """Holds the :class:`World` behind one lock and advances timed orders on a clock thread."""

    def __init__(
        self,
        accounts: Accounts,
        *,
        progression: Progression | None = None,
        state_file: str | os.PathLike[str] | None = None,
        dispatch: Callable[[list[Notify]], None] = lambda _events: None,
    ) -> None:
        self.accounts = accounts
        #: How orders placed from now on progress; ``POST /_emulator/progression`` changes it
        #: and a reset restores the one the emulator started with.
        self.progression = self._initial_progression = progression or Progression()
        self._path = Path(state_file) if state_file else None
        self._dispatch = dispatch
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._dirty = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.world = self._load()

    # -- access -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[World]:
        with self._lock:
            yield self.world

    @contextlib.contextmanager
    def write(self) -> Iterator[World]:
        """Mutate the world; queued notifications go to delivery once the lock is let go."""
        with self._lock:
            try:
                yield self.world
            finally:
                self._dirty = True
                events, self.world.outbox = self.world.outbox, []
                self._wake.notify_all()
        if events:
            self._dispatch(events)

    def reset(self) -> None:
        with self.write() as world:
            fresh = World()
            world.__dict__.update(fresh.__dict__)
            self.progression = self._initial_progression

    # -- clock ---------------------------------------------------------------------------------

    def start(self) -> None:
        # Orders left pending by a previous run resume here: their due times are absolute.
        self._thread = threading.Thread(target=self._run, name="bw-emulator-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                moment = now()
                next_due = orders.advance(self.world, moment)
                events, self.world.outbox = self.world.outbox, []
                if events:
                    self._dirty = True
                timeout = None if next_due is None else max(0.0, next_due - moment)
                if self._dirty and self._path is not None:
                    timeout = _FLUSH_SECONDS if timeout is None else min(timeout, _FLUSH_SECONDS)
            if events:
                self._dispatch(events)
            self.flush()
            with self._lock:
                if self._stopping:
                    return
                # Woken early by every write, so a new order's due time is seen at once.
                self._wake.wait(timeout=timeout)

    # -- persistence --------------------------------------------------------------------------

    def _load(self) -> World:
        if self._path is None or not self._path.exists():
            return World()
        return World.from_json(json.loads(self._path.read_text(encoding="utf-8")))

    def flush(self) -> None:
        """Write the state file if anything changed (atomic: temp file + ``os.replace``)."""
        if self._path is None:
            return
        # Serialized under the store lock, written outside it; the flush lock keeps two writers
        # (clock thread, stop) from replacing a newer file with an older text.
        with self._flush_lock:
            with self._lock:
                if not self._dirty:
                    return
                text = json.dumps(self.world.to_json(), indent=1, sort_keys=True)
                self._dirty = False
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".bw-emulator-", dir=str(self._path.parent))
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self._path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
