"""The emulator's HTTP server: connections kept alive, closed on stop, dropped on a fault."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from bw_pulumi.emulator.httpd import Server
from bw_pulumi.emulator.server import Emulator


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answers what it was asked, and which connection asked it."""
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"] or 0))
    answer = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "body": body.decode(),
        "peer": environ["REMOTE_PORT"],
        "header": environ.get("HTTP_X_TEST", ""),
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(answer).encode()]


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server("127.0.0.1", 0, echo)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


@pytest.fixture
def connect(server: Server) -> Iterator[Callable[[], http.client.HTTPConnection]]:
    opened: list[http.client.HTTPConnection] = []

    def new() -> http.client.HTTPConnection:
        opened.append(http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10))
        return opened[-1]

    yield new
    for conn in opened:
        conn.close()


def ask(conn: http.client.HTTPConnection, method: str, path: str, **kw: Any) -> dict[str, Any]:
    conn.request(method, path, **kw)
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Connection") is None  # no "close": the connection stays open
    result: dict[str, Any] = json.loads(response.read())
    return result


def test_requests_on_one_connection_are_all_answered_on_it(
    connect: Callable[[], http.client.HTTPConnection],
) -> None:
    conn = connect()
    first = ask(conn, "GET", "/a%20b?x=1", headers={"X-Test": "one"})
    sock = conn.sock
    second = ask(conn, "POST", "/c", body=b"payload")
    assert conn.sock is sock and first["peer"] == second["peer"]
    assert (first["path"], first["query"], first["header"]) == ("/a b", "x=1", "one")
    assert (second["method"], second["body"]) == ("POST", "payload")


def test_a_chunked_request_body_reaches_the_app_whole(
    connect: Callable[[], http.client.HTTPConnection],
) -> None:
    conn = connect()
    answer = ask(conn, "PUT", "/c", body=iter([b"two ", b"chunks"]), encode_chunked=True)
    assert answer["body"] == "two chunks"
    assert ask(conn, "GET", "/after")["path"] == "/after"  # the stream stayed in step


def test_head_answers_have_no_body_and_keep_the_connection(
    connect: Callable[[], http.client.HTTPConnection],
) -> None:
    conn = connect()
    conn.request("HEAD", "/h")
    head = conn.getresponse()
    assert head.status == 200 and head.read() == b""
    assert ask(conn, "GET", "/next")["path"] == "/next"


def test_a_client_asking_to_close_gets_connection_close(
    connect: Callable[[], http.client.HTTPConnection],
) -> None:
    conn = connect()
    conn.request("GET", "/bye", headers={"Connection": "close"})
    response = conn.getresponse()
    assert response.getheader("Connection") == "close"
    assert response.will_close


def test_a_body_cut_short_is_never_handed_to_the_app(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
        sock.sendall(b"POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        sock.shutdown(socket.SHUT_WR)  # the client goes away after 3 of 10 bytes
        assert sock.recv(100) == b""  # no answer: echo would have answered {"body": "abc"}


def test_stopping_the_emulator_closes_kept_alive_connections() -> None:
    emu = Emulator(processing_seconds=0).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
        conn.request("GET", "/_emulator/stats")
        assert conn.getresponse().read()
        sock = conn.sock
    finally:
        emu.stop()
    assert sock is not None
    # The stopped emulator must not answer again on the open connection: it reads end-of-file.
    assert sock.recv(1) == b""
    conn.close()


def test_an_injected_drop_closes_the_connection_without_an_answer() -> None:
    with Emulator(processing_seconds=0) as emu:
        emu.control.faults(pdrop=1.0, seed=1)
        with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as sock:
            sock.sendall(b"GET /v1/users/u-1/applications HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                received = sock.recv(100)
            except ConnectionResetError:
                received = b""
        assert received == b""
