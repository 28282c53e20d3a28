"""Drive `pulumi-resource-bandwidth` over gRPC the way the engine does, with a fake engine.

The plugin is started as the CLI starts it (`<plugin> <engine address>`) and prints its port;
the fake engine serves the `Engine` gRPC service, recording every `Log` call, so tests can prove
which progress line reached which resource's row. Values are plain Python data with the wire
helpers of tests/engine/wire.py (`Secret(...)`, `UNKNOWN`); names are the schema's camelCase.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2_grpc, provider_pb2
from pulumi.runtime.proto.provider_pb2_grpc import ResourceProviderStub
from wire import from_struct, to_struct

#: The emulator's credentials in these tests: distinctive, so a leak is findable.
BW_PASSWORD = "dash-pw-native-5e1f"
BW_API_SECRET = "cat-secret-native-9a0b"
START_TIMEOUT_SECONDS = 30.0
CALL_TIMEOUT_SECONDS = 60.0
#: Every resource the plugin serves, by its schema name.
RESOURCE_NAMES = (
    "Subscription",
    "ImportTnOrder",
    "Application",
    "PhoneNumber",
    "PhoneNumberBindings",
    "MessagingApplication",
    "Location",
    "LocationMessaging",
)
SUBSCRIBER = {
    "name": "Acme",
    "serviceAddress": {
        "houseNumber": "900",
        "streetName": "Main St",
        "city": "Raleigh",
        "stateCode": "NC",
        "zip": "27606",
    },
}


def order_inputs(*numbers: str) -> dict[str, Any]:
    """An ImportTnOrder's inputs (camelCase) for ``numbers`` into site 14."""
    return {
        "telephoneNumbers": list(numbers),
        "siteId": "14",
        "loaAuthorizingPerson": "Pat Doe",
        "subscriber": SUBSCRIBER,
    }


def urn(type_name: str, name: str = "res") -> str:
    return f"urn:pulumi:dev::proj::bandwidth:index:{type_name}::{name}"


@dataclass(frozen=True)
class LogLine:
    severity: int
    message: str
    urn: str
    ephemeral: bool


class FakeEngine(engine_pb2_grpc.EngineServicer):  # type: ignore[misc]
    """The engine's Log service; lines are kept in arrival order."""

    def __init__(self) -> None:
        self.lines: list[LogLine] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        engine_pb2_grpc.add_EngineServicer_to_server(self, self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        self.lines.append(
            LogLine(request.severity, request.message, request.urn, request.ephemeral)
        )
        return empty_pb2.Empty()

    def stop(self) -> None:
        self._server.stop(grace=None)


class Plugin:
    """One `python -m bw_pulumi.native` process and a stub on it."""

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self._stderr: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "bw_pulumi.native", f"127.0.0.1:{engine.port}"],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self._read_port()}")
        grpc.channel_ready_future(self.channel).result(timeout=START_TIMEOUT_SECONDS)
        self.stub = ResourceProviderStub(self.channel)

    def _read_port(self) -> int:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if sel.select(timeout=0.2):
                    line = self.proc.stdout.readline().decode().strip()
                    if line.isdigit():
                        return int(line)
                    if not line and self.proc.poll() is not None:
                        break
        raise RuntimeError(f"plugin did not print its port; stderr:\n{self.stderr}")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line.decode(errors="replace"))

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def close(self) -> None:
        self.channel.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self._drainer.join(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    # -- calls -----------------------------------------------------------------------------
    def call(self, method: str, request: Any, timeout: float = CALL_TIMEOUT_SECONDS) -> Any:
        return getattr(self.stub, method)(request, timeout=timeout)

    def configure(self, config: Mapping[str, Any]) -> Any:
        variables = {k: str(v) for k, v in config.items()}
        return self.call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=to_struct({}, keep_secrets=False),
                acceptSecrets=True,
                acceptResources=True,
            ),
        )

    def check(
        self,
        type_name: str,
        news: Mapping[str, Any],
        olds: Mapping[str, Any] | None = None,
        name: str = "res",
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        resp = self.call(
            "Check",
            provider_pb2.CheckRequest(
                urn=urn(type_name, name),
                olds=to_struct(olds or {}, keep_secrets=False),
                news=to_struct(news, keep_secrets=False),
            ),
        )
        return from_struct(resp.inputs), [(f.property, f.reason) for f in resp.failures]

    def diff(
        self, type_name: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> Any:
        return self.call(
            "Diff",
            provider_pb2.DiffRequest(
                urn=urn(type_name),
                id=id_,
                olds=to_struct(olds, keep_secrets=False),
                news=to_struct(news, keep_secrets=False),
            ),
        )

    def create(
        self,
        type_name: str,
        props: Mapping[str, Any],
        *,
        preview: bool = False,
        name: str = "res",
        timeout: float = CALL_TIMEOUT_SECONDS,
    ) -> tuple[str, dict[str, Any]]:
        resp = self.call(
            "Create",
            provider_pb2.CreateRequest(
                urn=urn(type_name, name),
                properties=to_struct(props, keep_secrets=False),
                preview=preview,
            ),
            timeout=timeout,
        )
        return resp.id, from_struct(resp.properties)

    def read(
        self,
        type_name: str,
        id_: str,
        props: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        resp = self.call(
            "Read",
            provider_pb2.ReadRequest(
                urn=urn(type_name),
                id=id_,
                properties=to_struct(props or {}, keep_secrets=False),
                inputs=to_struct(inputs or {}, keep_secrets=False),
            ),
        )
        return resp.id, from_struct(resp.properties), from_struct(resp.inputs)

    def update(
        self,
        type_name: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        preview: bool = False,
    ) -> dict[str, Any]:
        resp = self.call(
            "Update",
            provider_pb2.UpdateRequest(
                urn=urn(type_name),
                id=id_,
                olds=to_struct(olds, keep_secrets=False),
                news=to_struct(news, keep_secrets=False),
                preview=preview,
            ),
        )
        return from_struct(resp.properties)

    def delete(self, type_name: str, id_: str, props: Mapping[str, Any]) -> None:
        self.call(
            "Delete",
            provider_pb2.DeleteRequest(
                urn=urn(type_name), id=id_, properties=to_struct(props, keep_secrets=False)
            ),
        )
