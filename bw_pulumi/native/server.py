"""``pulumi-resource-bandwidth``: the plugin executable the engine starts.

The engine runs ``pulumi-resource-bandwidth <engine address> [flags]`` and reads the port of a
gRPC ResourceProvider server from its first stdout line. The SDK's
``pulumi.provider.experimental.server`` serves a ``Provider`` subclass, but answers every failure
with the message *and* a Python traceback; errors a user can act on (``BwPulumiError``: what
failed, Bandwidth's code, what to check) are re-answered here with their message only. Other
exceptions are bugs and keep the traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from .._version import version
from ..errors import BwPulumiError
from .provider import BandwidthProvider

__all__ = ["main"]

_CALLS = ("Configure", "Check", "Diff", "Create", "Read", "Update", "Delete")
Handler = Callable[[Any, Any, Any], Awaitable[Any]]


def _user_error(exc: BaseException) -> BwPulumiError | None:
    """The BwPulumiError behind the SDK's re-raised exception, if that is what failed."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BwPulumiError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _plain_errors(handler: Handler) -> Handler:
    async def call(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await handler(self, request, context)
        except Exception as exc:
            error = _user_error(exc)
            if error is None:
                raise
            message = str(error).strip() or type(error).__name__
        await context.abort(grpc.StatusCode.UNKNOWN, message)

    return call


class BandwidthServicer(ProviderServicer):
    """The SDK's servicer with one-message errors for the user's own mistakes."""


for _name in _CALLS:
    setattr(BandwidthServicer, _name, _plain_errors(getattr(ProviderServicer, _name)))


async def _serve(engine_address: str, args: Sequence[str]) -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider = BandwidthProvider(engine_address)
    servicer = BandwidthServicer(list(args), version(), provider, engine_address=engine_address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    await server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    await server.wait_for_termination()


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until the engine ends the process."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="pulumi-resource-bandwidth")
    parser.add_argument("engine", help="the Pulumi engine's gRPC address")
    known, _ = parser.parse_known_args(args)
    try:
        asyncio.run(_serve(known.engine, args))
    except KeyboardInterrupt:
        pass
