"""The benchmark's baseline: the flagship's resource graph on a provider that does no work.

Its wall times are what the engine, the checkpoints and a Python dynamic provider process cost
for this stack with every Bandwidth request free: the part of a phase no provider can remove,
which the floor (:mod:`bench.floors`) leaves out. The bindings-shaped resource records an N-entry
map like PhoneNumberBindings, so checkpoints are the same size.

The provider is pickled by reference (``bench.null_provider``): the stack's environment puts the
repository on the provider process's ``PYTHONPATH``.
"""

from __future__ import annotations

import atexit
import gc
import os
import time
import uuid
from typing import Any

import pulumi
from pulumi.dynamic import (
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
)

__all__ = ["CALL_LOG_ENV", "NullProvider", "program"]

#: Where the provider notes its application-shaped calls (``_note_call``); unset: nowhere.
CALL_LOG_ENV = "BW_BENCH_CALL_LOG"


class NullProvider(ResourceProvider):
    """Answers every call at once from its inputs."""

    def configure(self, req: ConfigureRequest) -> None:
        # The plugin exits as bw-pulumi's does (bw_pulumi/_plugin_exit.py), so the baseline
        # keeps measuring only what no provider can remove. Not imported from there: that would
        # import the bw_pulumi package (~90 ms) into a process meant to hold none of our code.
        # This provider never fails a call, so it needs no failure condition. Unregister first:
        # once is enough.
        atexit.unregister(gc.freeze)
        atexit.register(gc.freeze)

    def create(self, props: dict[str, Any]) -> CreateResult:
        _note_call("create", props)
        outs = dict(props)
        numbers = props.get("telephone_numbers")
        if isinstance(numbers, list):
            outs["number_ids"] = {n: f"n-{i:06d}" for i, n in enumerate(numbers)}
            outs["in_service"] = dict.fromkeys(numbers, True)
        return CreateResult(uuid.uuid4().hex, outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k, v in news.items() if not k.startswith("__") and olds.get(k) != v]
        return DiffResult(changes=bool(changed))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        _note_call("delete", props)


def _note_call(call: str, props: dict[str, Any]) -> None:
    """When the engine first asks the application-shaped resource to be made or deleted: the
    earliest a real provider could send its budget-bound ``/applications`` request. Appended
    to ``$BW_BENCH_CALL_LOG`` (one short line per write, so processes do not interleave)."""
    log = os.environ.get(CALL_LOG_ENV)
    if log and props.get("role") == "application":
        with open(log, "a", encoding="ascii") as f:
            f.write(f"{call} {time.time()!r}\n")


class _Null(Resource):
    def __init__(
        self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(NullProvider(), name, props, opts)


def program() -> None:
    """Subscription, import order and application (both after it), bindings (after both), as
    shipped."""
    cfg = pulumi.Config()
    numbers: list[str] = cfg.require_object("numbers")
    callbacks = _Null("import-callbacks", {"callback_url": cfg.require("callbackUrl")})
    order = _Null(
        "numbers",
        {"telephone_numbers": numbers, "site_id": cfg.require("siteId")},
        pulumi.ResourceOptions(depends_on=[callbacks]),
    )
    # After the callbacks, as the flagship's application is (one level under them, so destroy
    # deletes it beside the order).
    app = _Null(
        "sms-app",
        {"name": "bench", "application_id": "a-bench", "role": "application"},
        pulumi.ResourceOptions(depends_on=[callbacks]),
    )
    _Null(
        "bindings",
        {"application_id": app.id, "telephone_numbers": order.telephone_numbers},  # type: ignore[attr-defined]
    )
    pulumi.export("order_id", order.id)
