"""A trivial dynamic provider that proves the engine harness and the e2e footing.

It lives in an importable module (not a test file) so its class is pickled by reference: the
plugin process (`python -u -m pulumi.dynamic`) imports it by name, exactly as it will import
`bw_pulumi`. State lives in JSON files under a directory named by the stack config key
`sample:storeDir`, because the real engine starts a fresh plugin process per operation.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pulumi.dynamic as dyn
from pulumi.runtime import rpc

# A stack-config secret tests configure (`sample:token`); it must never reach state.
SAMPLE_TOKEN = "tok-3f1c9a-not-for-state"

# Input fields the provider stores and compares; everything else is output-only.
INPUT_FIELDS = ("value", "secret", "rendezvous")

# A barrier makes "these calls ran at the same time" observable without timing assumptions:
# `rendezvous=N` creates wait until N of them are inside `create` together.
_barriers: dict[int, threading.Barrier] = {}
_barriers_lock = threading.Lock()
_BARRIER_TIMEOUT_SECONDS = 20.0


def _barrier(parties: int) -> threading.Barrier:
    with _barriers_lock:
        return _barriers.setdefault(parties, threading.Barrier(parties))


class ThingProvider(dyn.ResourceProvider):
    """Stores `value` (and an optional secret) as one JSON file per resource."""

    store_dir: Path | None = None
    token: str | None = None

    def configure(self, req: dyn.ConfigureRequest) -> None:
        store = req.config.get("sample:storeDir")
        self.store_dir = Path(store) if store else None
        self.token = req.config.get("sample:token")

    def _path(self, id_: str) -> Path:
        if self.store_dir is None:
            raise RuntimeError("stack config sample:storeDir is not set")
        return self.store_dir / f"{id_}.json"

    def _outputs(self, id_: str, inputs: dict[str, Any]) -> dict[str, Any]:
        outs = {k: inputs[k] for k in INPUT_FIELDS if k in inputs}
        outs["thing_id"] = id_
        # Shows whether configure saw the token without ever putting the token in state.
        outs["token_configured"] = self.token is not None
        # What the provider itself received, to prove secrets arrive unwrapped.
        outs["secret_type"] = type(inputs.get("secret")).__name__
        # Which Python runs the plugin: the e2e tests require the project's virtualenv.
        outs["plugin_prefix"] = sys.prefix
        return outs

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        failures = []
        value = news.get("value")
        if isinstance(value, str) and not value:
            failures.append(dyn.CheckFailure("value", "value must not be empty"))
        # Unknown values (pulumi.output.Unknown) pass through untouched during preview.
        inputs = {k: news[k] for k in INPUT_FIELDS if k in news}
        if isinstance(value, str):
            inputs["value"] = value.strip()
        return dyn.CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dyn.DiffResult:
        changed = [k for k in INPUT_FIELDS if olds.get(k) != news.get(k)]
        return dyn.DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        parties = props.get("rendezvous")
        if parties:
            _barrier(int(parties)).wait(_BARRIER_TIMEOUT_SECONDS)
        id_ = uuid.uuid4().hex[:12]
        self._write(id_, props)
        return dyn.CreateResult(id_, self._outputs(id_, props))

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        path = self._path(id_)
        if not path.exists():
            return dyn.ReadResult(None, {})
        stored = json.loads(path.read_text())
        inputs = dict(stored)
        if "secret" in inputs:
            # The engine marks read inputs secret only where the old inputs were, and a `get`
            # has no old secret: wrap it explicitly so it never lands in state as plaintext.
            inputs["secret"] = rpc.wrap_rpc_secret(inputs["secret"])
        return dyn.ReadResult(id_, self._outputs(id_, stored), inputs=inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.UpdateResult:
        self._write(id_, news)
        return dyn.UpdateResult(self._outputs(id_, news))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        self._path(id_).unlink(missing_ok=True)

    def _write(self, id_: str, props: dict[str, Any]) -> None:
        path = self._path(id_)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({k: props[k] for k in INPUT_FIELDS if k in props}))


class Thing(dyn.Resource, module="sample", name="Thing"):
    """The dynamic resource the e2e smoke test creates."""

    value: pulumi.Output[str]
    thing_id: pulumi.Output[str]
    token_configured: pulumi.Output[bool]

    def __init__(
        self,
        name: str,
        value: pulumi.Input[str],
        secret: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "value": value,
            "secret": pulumi.Output.secret(secret) if secret is not None else None,
            "thing_id": None,
            "token_configured": None,
            "secret_type": None,
            "plugin_prefix": None,
        }
        secret_opts = pulumi.ResourceOptions(additional_secret_outputs=["secret"])
        super().__init__(
            ThingProvider(), name, props, pulumi.ResourceOptions.merge(secret_opts, opts)
        )
