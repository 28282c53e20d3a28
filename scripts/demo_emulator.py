"""The Bandwidth emulator as a background process that survives between `scripts/demo` runs.

Its world lives in ``<home>/emulator.json`` (restarting on the same file brings every object
back) and its pid and port in ``<home>/emulator.run.json``, so a later `scripts/demo refresh` or
`scripts/demo destroy` talks to the same objects, through a kept emulator or a restarted one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PORT", "BackgroundEmulator", "EmulatorError", "free_port"]

DEFAULT_PORT = 8080
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0
#: Seconds an import or removal order takes in the emulator (Bandwidth's take minutes).
PROCESSING_SECONDS = 1.0


class EmulatorError(RuntimeError):
    """The emulator could not be started or reached; the message is one line for the user."""


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the emulator's server does: a port whose old connections linger in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def control_state(port: int, timeout: float = 2.0) -> dict[str, Any] | None:
    """``GET /_emulator/state``, or None when nothing (or not an emulator) answers."""
    url = f"http://127.0.0.1:{port}/_emulator/state"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            data = json.loads(resp.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return data if isinstance(data, dict) and "in_service" in data else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class BackgroundEmulator:
    """Start, find again, and stop the emulator of one demo home directory."""

    home: Path
    port: int = 0
    pid: int = 0
    reused: bool = False

    @property
    def state_file(self) -> Path:
        return self.home / "emulator.json"

    @property
    def run_file(self) -> Path:
        return self.home / "emulator.run.json"

    @property
    def log_file(self) -> Path:
        return self.home / "emulator.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def state(self) -> dict[str, Any]:
        data = control_state(self.port, timeout=10.0)
        if data is None:
            raise EmulatorError(
                f"the emulator on port {self.port} stopped answering (log {self.log_file})"
            )
        return data

    def _recorded(self) -> dict[str, int]:
        try:
            data = json.loads(self.run_file.read_text())
            return {"pid": int(data["pid"]), "port": int(data["port"])}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def ensure_running(self, requested_port: int | None) -> BackgroundEmulator:
        """Reuse the emulator a `--keep-emulator` run left, else start one on the state file.

        Raises :class:`EmulatorError` (one line) when the requested port is taken by another
        process or the emulator does not come up.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        recorded = self._recorded()
        pid = recorded.get("pid", 0)
        running = pid > 0 and _alive(pid) and control_state(recorded["port"]) is not None
        if running and requested_port in (None, recorded["port"]):
            self.pid, self.port, self.reused = recorded["pid"], recorded["port"], True
            return self
        if requested_port and not port_is_free(requested_port):
            raise EmulatorError(f"port {requested_port} is in use")
        if running:
            self._terminate(pid)  # asked for another port: restart there
        self.port = self._choose_port(requested_port, recorded.get("port"))
        self._start()
        return self

    @staticmethod
    def _choose_port(requested: int | None, recorded: int | None) -> int:
        # The same port as last time keeps the stack's bandwidth:*Url config unchanged.
        if requested:
            return requested
        if requested is None:
            for candidate in (recorded, DEFAULT_PORT):
                if candidate and port_is_free(candidate):
                    return candidate
        return free_port()

    def _start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "bw_pulumi.emulator",
            "--port",
            str(self.port),
            "--state-file",
            str(self.state_file),
            "--processing-seconds",
            str(PROCESSING_SECONDS),
        ]
        with self.log_file.open("ab") as log:
            log_start = log.tell()
            # Its own session: a terminal's Ctrl-C reaches the driver, which then stops it with
            # SIGTERM (the emulator writes its state file on SIGTERM).
            proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.pid = proc.pid
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while control_state(self.port, timeout=1.0) is None:
            code = proc.poll()
            if code is not None:
                said = self._last_log_line(log_start) or f"it exited with code {code}"
            elif time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                said = f"no answer within {START_TIMEOUT_SECONDS:.0f}s"
            else:
                time.sleep(0.1)
                continue
            raise EmulatorError(
                f"the emulator did not start on port {self.port}: {said} (log {self.log_file})"
            )
        self.run_file.write_text(json.dumps({"pid": self.pid, "port": self.port}) + "\n")

    def _last_log_line(self, offset: int) -> str:
        """The last line this start wrote to the log (a traceback ends with the exception)."""
        with self.log_file.open("rb") as log:
            log.seek(offset)
            lines = log.read().decode(errors="replace").splitlines()
        said = [line.strip() for line in lines if line.strip()]
        return said[-1] if said else ""

    def stop(self) -> None:
        self._terminate(self.pid)
        # Remember the port: the next run prefers it, so the stack's URLs stay the same.
        self.run_file.write_text(json.dumps({"pid": 0, "port": self.port}) + "\n")

    @staticmethod
    def _terminate(pid: int) -> None:
        if pid <= 0 or not _alive(pid):
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                # Reap it when it is our child; otherwise just watch it go.
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                if not _alive(pid):
                    return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
