"""The emulator's HTTP/1.1 server: keep-alive connections, one thread per connection.

werkzeug's development server answers every request with ``Connection: close`` (werkzeug 2.1
dropped keep-alive), so each request cost a TCP handshake and a new server thread: a bulk bind
of 1000 numbers was 1000 connections, and the emulator spent more CPU per request than the
provider it was measuring. Bandwidth's APIs keep connections alive and every client we know of
(ours, the SDKs) pools them, so this server does too. It also hands the application the
connection's socket (``environ["bw.socket"]``): an injected fault drops it the way a network
does, with no response at all.
"""

from __future__ import annotations

import io
import socket
import socketserver
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

__all__ = ["SOCKET_KEY", "Server"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: The environ key holding the connection's socket.
SOCKET_KEY = "bw.socket"
#: An idle keep-alive connection is closed after this many seconds (clients reconnect).
IDLE_SECONDS = 120.0
#: Request bodies are read whole before the app runs; anything larger is refused (413).
MAX_BODY_BYTES = 16 * 1024 * 1024
_NO_BODY = {204, 304}


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bw-pulumi-emulator"
    timeout = IDLE_SECONDS
    server: Server

    def setup(self) -> None:
        super().setup()
        # Header and body go out in one write; without this, Nagle's algorithm could hold the
        # second segment of a response for a delayed ACK (tens of ms) on a reused connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: test output and the benchmark stay readable."""

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if self.parse_request():
            self._serve()

    def _serve(self) -> None:
        try:
            environ = self._environ(self._body())
        except _BadRequest as exc:
            self.close_connection = True  # the rest of the stream cannot be trusted
            self.send_error(exc.status, str(exc))
            return
        except (TimeoutError, ConnectionError):  # the body never came whole
            self.close_connection = True
            return
        try:
            status, headers, body = _call(self.server.app, environ)
        except ConnectionError:  # the app dropped the connection (an injected fault)
            self.close_connection = True
            return
        try:
            self._respond(status, headers, body)
        except ConnectionError:  # the client went away mid-answer
            self.close_connection = True

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _BadRequest(400, "bad Content-Length") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadRequest(413, "request body too large")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise ConnectionResetError("the connection closed before the body ended")
        return body

    def _chunked(self) -> bytes:
        out = bytearray()
        while True:
            line = self.rfile.readline(1026).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise _BadRequest(400, "bad chunk size") from None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers: none we use
                return bytes(out)
            if len(out) + size > MAX_BODY_BYTES:
                raise _BadRequest(413, "request body too large")
            out += self.rfile.read(size)
            self.rfile.readline(3)

    def _environ(self, body: bytes) -> dict[str, Any]:
        target = self.path
        if "://" in target:  # absolute-form (a proxy's request line)
            parts = urlsplit(target)
            path, query = parts.path or "/", parts.query
        else:
            path, _, query = target.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": target,
            "REQUEST_URI": target,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": str(self.client_address[1]),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            SOCKET_KEY: self.connection,
        }
        for name, value in self.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue
            key = "HTTP_" + key
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _respond(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        code_text, _, reason = status.partition(" ")
        code = int(code_text)
        lines = [
            f"{self.protocol_version} {code} {reason or self.responses.get(code, ('',))[0]}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
        ]
        lines += [
            f"{name}: {value}"
            for name, value in headers
            if name.lower() not in ("content-length", "connection", "transfer-encoding")
        ]
        bodiless = code in _NO_BODY or code < 200
        if not bodiless:
            lines.append(f"Content-Length: {len(body)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if bodiless or self.command == "HEAD" else head + body)


def _call(app: WSGIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run ``app`` to completion: the emulator's answers are small and built whole."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return written.append

    try:
        result = app(environ, start_response)
        try:
            written.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except ConnectionError:
        raise
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return "500 Internal Server Error", [], b""
    if not started:
        return "500 Internal Server Error", [], b""
    return started[0], started[1], b"".join(written)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """``serve_forever`` / ``shutdown`` / ``server_close`` as socketserver's; ``server_close``
    also closes every open connection, so a stopped emulator never answers on a kept-alive one."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, app: WSGIApp) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.app = app
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__((host, port), _Handler)

    @property
    def server_port(self) -> int:
        return int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        with self._lock:
            open_now, self._open = list(self._open), set()
        for sock in open_now:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone
