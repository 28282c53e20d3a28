"""A loopback HTTP proxy in front of the emulator that can lose a response after forwarding.

The emulator's own faults strike before a request is processed; a lost *answer* to a request
that was processed (the case create must resume without duplicating or stealing) needs this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

#: Decides, per forwarded request, whether its answer is lost: ``(method, path) -> bool``.
LosePredicate = Callable[[str, str], bool]
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
}


@contextmanager
def lossy_proxy(upstream: str, lose: LosePredicate) -> Iterator[str]:
    """Yield the proxy's base URL (``upstream``'s path included)."""
    scheme_host, _, base_path = upstream.partition("//")[2].partition("/")
    origin = upstream.split("//")[0] + "//" + scheme_host
    session = requests.Session()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host"}}
            answer = session.request(
                self.command, origin + self.path, data=body, headers=headers, timeout=30
            )
            if lose(self.command, self.path):
                self.close_connection = True  # processed upstream, answer never delivered
                return
            self.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        session.close()


def lose_first(method: str, path_suffix: str) -> LosePredicate:
    """Lose only the first answer to ``method`` on a path ending in ``path_suffix``."""
    lost: list[bool] = []

    def decide(m: str, path: str) -> bool:
        if m == method and path.split("?")[0].endswith(path_suffix) and not lost:
            lost.append(True)
            return True
        return False

    return decide
