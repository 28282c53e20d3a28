"""What a failed connection says about the base URL, and which hosts have answered in this process.

A refused connection (nothing listens on that port), a host name that does not exist, or a
connect time-out (nothing answered the handshake for the whole connect time-out), from a host
that has never answered in this provider process, is almost always a wrong base URL or a
firewall: retrying it for minutes only hides the message. The same failure from a host that has
answered is a transient fault in a long run (a restart, a load balancer swap) and keeps the full
retry budget. Read time-outs and resets keep it either way: the host was reached.

Hosts are remembered by origin (scheme, host and port), across every transport of the process:
the Dashboard and Catapult clients of one emulator share it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["ANSWERED", "FIRST_CONTACT_ATTEMPTS", "AnsweredHosts", "Failure", "classify", "origin"]

#: Attempts, the first included, at a host that has never answered and refuses the connection,
#: does not resolve or lets the connect time out: two retries, so a single transient fault still
#: does not fail a step.
FIRST_CONTACT_ATTEMPTS = 3
#: getaddrinfo's "no such name" answers (EAI_AGAIN, a resolver that did not answer, is transient).
_NO_SUCH_HOST = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
#: Modules whose exception names say what happened on the wire (not a wrapper's name).
_WIRE_MODULES = ("builtins", "http.client", "ssl", "socket")


class AnsweredHosts:
    """The origins that have answered an HTTP request in this process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._origins: set[str] = set()

    def add(self, origin: str) -> None:
        with self._lock:
            self._origins.add(origin)

    def __contains__(self, origin: object) -> bool:
        with self._lock:
            return origin in self._origins

    def clear(self) -> None:
        with self._lock:
            self._origins.clear()


#: The process's hosts that have answered (``bw_pulumi._runtime.reset`` clears it).
ANSWERED = AnsweredHosts()


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``: never its userinfo, path or query (safe in errors)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


@dataclass(frozen=True)
class Failure:
    """A connection failure as the user should read it."""

    #: What happened, naming the origin, e.g. "connection refused by http://127.0.0.1:9".
    text: str
    #: Nothing reached the server, so even a creating POST may be sent again.
    unsent: bool = False
    #: Refused, no such host or no handshake: a wrong base URL unless that host has answered.
    config_error: bool = False


def classify(exc: BaseException, where: str, timeout: tuple[float, float]) -> Failure:
    """What ``exc`` (raised by requests for a request to origin ``where``) means."""
    import requests  # loaded with the first request, not with bw_pulumi (see _session)

    chain = list(_chain(exc))
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return Failure(f"connection refused by {where}", unsent=True, config_error=True)
    gai = [e for e in chain if isinstance(e, socket.gaierror)]
    if gai:
        unknown = any(e.errno in _NO_SUCH_HOST for e in gai)
        return Failure(f"could not resolve the host of {where}", unsent=True, config_error=unknown)
    if isinstance(exc, requests.ConnectTimeout):
        text = f"no connection to {where} within {timeout[0]:g}s"
        return Failure(text, unsent=True, config_error=True)
    if isinstance(exc, requests.ReadTimeout):
        return Failure(f"no answer from {where} within {timeout[1]:g}s")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return Failure(f"the answer from {where} was cut off")
    wire = [type(e).__name__ for e in chain if type(e).__module__ in _WIRE_MODULES]
    return Failure(f"connection to {where} failed ({wire[0] if wire else type(exc).__name__})")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps: causes, contexts, arguments and urllib3 reasons."""
    import urllib3.exceptions

    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        reason = current.reason if isinstance(current, urllib3.exceptions.MaxRetryError) else None
        for inner in (current.__cause__, current.__context__, reason, *current.args):
            if isinstance(inner, BaseException):
                todo.append(inner)
