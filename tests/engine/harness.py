"""Drive the real dynamic-provider plugin (`python -u -m pulumi.dynamic`) the way the engine does.

The Pulumi CLI runs `pulumi-resource-pulumi-python`, which execs `python -u -m pulumi.dynamic`:
a gRPC ResourceProvider server that prints its port. This harness starts that same module
(with this interpreter, so it runs in the project's virtualenv) and plays the engine's part,
modelling the rules of `pkg/resource/plugin/provider_plugin.go` and the step executor that a
provider author can observe:

- Configure gets the whole stack config with namespaced keys, secrets wrapped; the Python
  server answers acceptSecrets=false, so secrets are stripped from every later request;
- after Check/Create/Update/Read, values are re-marked secret where the same-named input (or
  old state) held a secret (annotateSecrets); `additional_secret_outputs` mark more outputs;
- `__provider` is a secret input (the SDK's `serialize_as_secret_always`), hence secret in
  outputs too;
- Read answering an empty id means the resource is gone; preview passes unknowns to Check/Diff.

Values in inputs/outputs are plain Python data, with `Secret(...)` marking secrets and `UNKNOWN`
standing for a value not known during preview (see wire.py; re-exported here). `Engine.sent`
records every request as sent on the wire, so tests can prove what did (not) reach the provider.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2
from pulumi.runtime.proto.provider_pb2_grpc import ResourceProviderStub
from wire import (  # noqa: F401 (re-exported for tests)
    UNKNOWN,
    Secret,
    annotate_secrets,
    from_struct,
    mark_secret,
    reveal,
    secret,
    to_struct,
)

REPO = Path(__file__).resolve().parents[2]
PROVIDER_KEY = "__provider"
DYNAMIC_TYPE = "pulumi-python:dynamic:Resource"
START_TIMEOUT_SECONDS = 30.0
CALL_TIMEOUT_SECONDS = 60.0


class ProviderError(Exception):
    """A provider call failed; `details` is what the engine would show the user."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{method} failed ({code.name}): {details}")
        self.method, self.code, self.details = method, code, details


class CheckFailed(Exception):
    def __init__(self, failures: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {r}" for p, r in failures))
        self.failures = list(failures)


@dataclass
class Resource:
    """One resource as the engine's state holds it."""

    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    name: str = "res"
    type: str = DYNAMIC_TYPE
    additional_secret_outputs: tuple[str, ...] = ()
    op: str = "create"  # the step that produced this state: create/update/replace/same/refresh/read

    @property
    def urn(self) -> str:
        return f"urn:pulumi:stack::project::{self.type}::{self.name}"

    def output(self, key: str) -> Any:
        """An output with secret markers removed (what a stack output would resolve to)."""
        return reveal(self.outputs.get(key))


@dataclass
class Plan:
    """What `preview` would do for one resource."""

    op: str  # create/update/replace/same
    checked: dict[str, Any]
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass
class Diff:
    changes: int
    replaces: list[str]
    delete_before_replace: bool

    @property
    def op(self) -> str:
        if self.changes == provider_pb2.DiffResponse.DIFF_NONE:
            return "same"
        return "replace" if self.replaces else "update"


class Engine:
    """One plugin process plus the engine's rules. Use as a context manager."""

    def __init__(
        self,
        *,
        cwd: Path = REPO,
        pythonpath: Sequence[Path] = (),
        env: Mapping[str, str] | None = None,
        project: str = "project",
    ) -> None:
        self.cwd, self.project = cwd, project
        self.pythonpath = [str(p) for p in pythonpath]
        self.extra_env = dict(env or {})
        self.accept_secrets = False
        self.sent: list[tuple[str, Any]] = []
        self._stderr: list[str] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: Any = None

    # -- process ---------------------------------------------------------------------------
    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def start(self) -> None:
        env = {**os.environ, **self.extra_env, "PULUMI_PROJECT": self.project}
        env["PYTHONPATH"] = os.pathsep.join([*self.pythonpath, env.get("PYTHONPATH", "")])
        self._proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            cwd=self.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._drain = threading.Thread(target=self._drain_stderr, daemon=True)
        self._drain.start()
        port = self._read_port()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(self._channel).result(timeout=START_TIMEOUT_SECONDS)
        self._stub = ResourceProviderStub(self._channel)

    def _read_port(self) -> int:
        assert self._proc is not None and self._proc.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as sel:
            sel.register(self._proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if sel.select(timeout=0.2):
                    line = self._proc.stdout.readline().decode().strip()
                    if line.isdigit():
                        return int(line)
                    if not line and self._proc.poll() is not None:
                        break
        raise RuntimeError(f"plugin did not print its port; stderr:\n{self.stderr}")

    def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line.decode(errors="replace"))

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def interrupt(self, timeout: float = 10.0) -> int:
        """End the plugin as the engine does after every command (SIGINT, then wait); its exit
        code. Its stderr is complete afterwards."""
        assert self._proc is not None
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._proc.send_signal(signal.SIGINT)
        code = self._proc.wait(timeout=timeout)
        self._drain.join(timeout=timeout)
        return code

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        if self._proc is not None:
            # Pipes left to the garbage collector are ResourceWarnings, and warnings are errors.
            self._drain.join(timeout=10)  # stderr reaches EOF once the plugin has exited
            for pipe in (self._proc.stdout, self._proc.stderr):
                if pipe is not None:
                    pipe.close()

    # -- raw calls -------------------------------------------------------------------------
    def _call(self, method: str, request: Any) -> Any:
        self.sent.append((method, request))
        try:
            return getattr(self._stub, method)(request, timeout=CALL_TIMEOUT_SECONDS)
        except grpc.RpcError as err:
            raise ProviderError(method, err.code(), err.details() or "") from None

    def _wire(self, props: Mapping[str, Any]) -> struct_pb2.Struct:
        return to_struct(props, keep_secrets=self.accept_secrets)

    def configure(self, config: Mapping[str, Any]) -> None:
        """Stack config, keys namespaced (`bandwidth:password`), secrets as `Secret(...)`."""
        request = provider_pb2.ConfigureRequest(
            args=to_struct(config, keep_secrets=True), acceptSecrets=True, acceptResources=True
        )
        self.accept_secrets = self._call("Configure", request).acceptSecrets

    def program_inputs(
        self, provider: ResourceProvider, inputs: Mapping[str, Any], *, secret_provider: bool = True
    ) -> dict[str, Any]:
        """Inputs as a dynamic.Resource registers them: with the pickled provider (a secret)."""
        pickled = serialize_provider(provider)
        return {**inputs, PROVIDER_KEY: Secret(pickled) if secret_provider else pickled}

    def check(
        self, olds: Mapping[str, Any], news: Mapping[str, Any], *, urn: str = ""
    ) -> dict[str, Any]:
        request = provider_pb2.CheckRequest(urn=urn, olds=self._wire(olds), news=self._wire(news))
        response = self._call("Check", request)
        if response.failures:
            raise CheckFailed([(f.property, f.reason) for f in response.failures])
        return annotate_secrets(from_struct(response.inputs), news)

    def diff(self, resource: Resource, news: Mapping[str, Any]) -> Diff:
        request = provider_pb2.DiffRequest(
            id=resource.id,
            urn=resource.urn,
            olds=self._wire(resource.outputs),
            news=self._wire(news),
            old_inputs=self._wire(resource.inputs),
        )
        response = self._call("Diff", request)
        return Diff(response.changes, list(response.replaces), response.deleteBeforeReplace)

    # -- lifecycle steps -------------------------------------------------------------------
    def create(
        self,
        provider: ResourceProvider,
        inputs: Mapping[str, Any],
        *,
        name: str = "res",
        additional_secret_outputs: Sequence[str] = (),
    ) -> Resource:
        """`pulumi up` for a resource not yet in state: Check, then Create."""
        stub = Resource(
            "", {}, {}, name, additional_secret_outputs=tuple(additional_secret_outputs)
        )
        checked = self.check({}, self.program_inputs(provider, inputs), urn=stub.urn)
        return self._create_checked(stub, checked)

    def _create_checked(self, resource: Resource, checked: dict[str, Any]) -> Resource:
        request = provider_pb2.CreateRequest(urn=resource.urn, properties=self._wire(checked))
        response = self._call("Create", request)
        outputs = annotate_secrets(from_struct(response.properties), checked)
        outputs = mark_secret(outputs, resource.additional_secret_outputs)
        return replace(resource, id=response.id, inputs=checked, outputs=outputs, op="create")

    def up(
        self, provider: ResourceProvider, inputs: Mapping[str, Any], resource: Resource
    ) -> Resource:
        """`pulumi up` for a resource in state: Check, Diff, then Update/replace or nothing."""
        checked = self.check(
            resource.inputs, self.program_inputs(provider, inputs), urn=resource.urn
        )
        diff = self.diff(resource, checked)
        op = diff.op
        if diff.changes == provider_pb2.DiffResponse.DIFF_UNKNOWN:
            # The engine's legacy diff compares old and new inputs itself, __provider included.
            op = "same" if reveal(resource.inputs) == reveal(checked) else "update"
        if op == "same":
            return replace(resource, inputs=checked, op="same")
        if op == "update":
            request = provider_pb2.UpdateRequest(
                id=resource.id,
                urn=resource.urn,
                olds=self._wire(resource.outputs),
                news=self._wire(checked),
                old_inputs=self._wire(resource.inputs),
            )
            response = self._call("Update", request)
            outputs = annotate_secrets(from_struct(response.properties), checked)
            outputs = mark_secret(outputs, resource.additional_secret_outputs)
            return replace(resource, inputs=checked, outputs=outputs, op="update")
        if diff.delete_before_replace:
            self.destroy(resource)
            created = self._create_checked(resource, checked)
        else:
            created = self._create_checked(resource, checked)
            self.destroy(resource)
        return replace(created, op="replace")

    def preview(
        self,
        provider: ResourceProvider,
        inputs: Mapping[str, Any],
        resource: Resource | None = None,
    ) -> Plan:
        """`pulumi preview`: Check and Diff only; inputs may hold UNKNOWN at any depth."""
        news = self.program_inputs(provider, inputs)
        if resource is None:
            return Plan("create", self.check({}, news))
        checked = self.check(resource.inputs, news, urn=resource.urn)
        diff = self.diff(resource, checked)
        return Plan(diff.op, checked, diff.replaces, diff.delete_before_replace)

    def refresh(self, resource: Resource) -> Resource | None:
        """`pulumi refresh`: Read with the state's outputs and inputs; None when gone."""
        return self._read(resource, resource.outputs, resource.inputs, op="refresh")

    def get(
        self, provider: ResourceProvider, id_: str, inputs: Mapping[str, Any], *, name: str = "res"
    ) -> Resource | None:
        """`X.get(name, id)` as the ReadStep issues it: program props as inputs and state."""
        props = self.program_inputs(provider, inputs)
        return self._read(Resource(id_, props, props, name), props, props, op="read")

    def import_read(self, id_: str, *, name: str = "res") -> Resource | None:
        """`pulumi import` / the `import_` option: Read with only an id (no __provider anywhere)."""
        return self._read(Resource(id_, {}, {}, name), {}, {}, op="read")

    def _read(
        self,
        resource: Resource,
        state: Mapping[str, Any],
        inputs: Mapping[str, Any],
        *,
        op: str,
    ) -> Resource | None:
        request = provider_pb2.ReadRequest(
            id=resource.id,
            urn=resource.urn,
            properties=self._wire(state),
            inputs=self._wire(inputs),
        )
        response = self._call("Read", request)
        if not response.id:
            return None
        outputs = annotate_secrets(from_struct(response.properties), state)
        outputs = mark_secret(outputs, resource.additional_secret_outputs)
        new_inputs = dict(inputs)
        # Only refresh adopts read()'s inputs; a get (ReadStep) keeps the program's inputs.
        if op == "refresh" and response.HasField("inputs"):
            new_inputs = annotate_secrets(from_struct(response.inputs), inputs)
        return replace(resource, id=response.id, inputs=new_inputs, outputs=outputs, op=op)

    def destroy(self, resource: Resource) -> None:
        """`pulumi destroy` (or the delete half of a replacement)."""
        request = provider_pb2.DeleteRequest(
            id=resource.id,
            urn=resource.urn,
            properties=self._wire(resource.outputs),
            old_inputs=self._wire(resource.inputs),
        )
        self._call("Delete", request)
