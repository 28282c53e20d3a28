"""The emulator's world, its one lock, its clock thread and its persistence (no HTTP).

Every request handler and the clock take :class:`Store`'s lock; nothing inside it makes a network
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bw_pulumi.emulator import orders
from bw_pulumi.emulator.models import (
    Application,
    Message,
    Order,
    PhoneNumber,
    Subscription,
    now,
    order_from_dict,
    to_dict,
)
from bw_pulumi.emulator.orders import Notify

__all__ = ["Accounts", "Store", "World"]

_FLUSH_SECONDS = 0.2
_STATE_VERSION = 1


@dataclass(frozen=True)
class Accounts:
    """The one Dashboard account and the one Catapult user the emulator serves."""

    account_id: str = "9900000"
    username: str = "emulator-user"
    password: str = "emulator-password"
    user_id: str = "u-emulatoruser0000000000000"
    api_token: str = "t-emulatortoken00000000000"
    api_secret: str = "emulator-secret"


@dataclass
class World:
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    in_service: dict[str, float] = field(default_factory=dict)
    #: The SiteId of the order that put a number in service (none for control-API numbers).
    in_service_sites: dict[str, str] = field(default_factory=dict)
    unimportable: dict[str, int] = field(default_factory=dict)
    failing: dict[str, int] = field(default_factory=dict)
    #: Numbers whose import orders end EXCEPTION (see ``orders._resolve``).
    exception: set[str] = field(default_factory=set)
    applications: dict[str, Application] = field(default_factory=dict)
    phone_numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    #: Notifications waiting for the delivery thread (never persisted).
    outbox: list[Notify] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": _STATE_VERSION,
            "subscriptions": [to_dict(s) for s in self.subscriptions.values()],
            "orders": [to_dict(o) for o in self.orders.values()],
            "in_service": dict(self.in_service),
            "in_service_sites": dict(self.in_service_sites),
            "unimportable": dict(self.unimportable),
            "failing": dict(self.failing),
            "exception": sorted(self.exception),
            "applications": [to_dict(a) for a in self.applications.values()],
            "phone_numbers": [to_dict(n) for n in self.phone_numbers.values()],
            "messages": [to_dict(m) for m in self.messages.values()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> World:
        world = cls()
        for s in data.get("subscriptions", []):
            world.subscriptions[s["subscription_id"]] = Subscription(**s)
        for o in data.get("orders", []):
            world.orders[o["order_id"]] = order_from_dict(o)
        world.in_service = {str(k): float(v) for k, v in data.get("in_service", {}).items()}
        world.in_service_sites = {
            str(k): str(v) for k, v in data.get("in_service_sites", {}).items()
        }
        world.unimportable = {str(k): int(v) for k, v in data.get("unimportable", {}).items()}
        world.failing = {str(k): int(v) for k, v in data.get("failing", {}).items()}
        world.exception = {str(tn) for tn in data.get("exception", [])}
        for a in data.get("applications", []):
            world.applications[a["application_id"]] = Application(**a)
        for n in data.get("phone_numbers", []):
            world.phone_numbers[n["number_id"]] = PhoneNumber(**n)
        for m in data.get("messages", []):
            world.messages[m["message_id"]] = Message(**m)
        return world


class Store:
    """Holds the :class:`World` behind one lock and advances orders on a clock thread."""

    def __init__(
        self,
        accounts: Accounts,
        *,
        processing_seconds: float = 1.0,
        state_file: str | os.PathLike[str] | None = None,
        dispatch: Callable[[list[Notify]], None] = lambda _events: None,
    ) -> None:
        self.accounts = accounts
        self.processing_seconds = max(0.0, float(processing_seconds))
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
