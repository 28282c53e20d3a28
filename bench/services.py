"""The emulator as a separate process, the offline Pulumi CLI, and the provider-memory sampler.

The emulator runs in its own interpreter so its request handling never competes for the GIL
with the Automation API program in this process (the machine may have only 2 cores).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from bw_pulumi.config import SETTINGS_KEYS
from bw_pulumi.emulator import Accounts, ControlClient
from bw_pulumi.emulator.oauth import TOKEN_PATH
from scripts import pulumi_offline as _offline

__all__ = ["EmulatorProcess", "MemorySampler", "find_cli_bin_dir", "stack_env"]

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "bw-pulumi-bench"  # protects throwaway benchmark stacks only
STARTUP_SECONDS = 30.0


class EmulatorProcess:
    """``python -m bw_pulumi.emulator`` on a free port, paced through its control API."""

    def __init__(self, processing_s: float) -> None:
        self.processing_s = processing_s
        self.accounts = Accounts()
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> EmulatorProcess:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bw_pulumi.emulator",
                "--port",
                "0",
                "--processing-seconds",
                str(self.processing_s),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            found = re.search(r"Control API:\s+(http://[^/\s]+)", line)
            if found:
                self.base_url = found.group(1)
                break
            if not line and self.proc.poll() is not None:
                break
        if not self.base_url:
            self.__exit__()
            raise RuntimeError("the emulator did not start")
        # Drain the rest of stdout so the pipe never fills.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        self.control = ControlClient(self.base_url)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def pace(self, latency_ms: float, scale: float) -> None:
        self.control.faults(latency_ms=latency_ms)
        self.control.limits(
            catapult_number_imports_per_minute=100,
            catapult_number_imports_burst=800,
            catapult_applications_per_second=1,
            scale=scale,
        )

    def stack_config(self, *, oauth: bool = False) -> dict[str, str]:
        """Dashboard Basic + Catapult credentials; with ``oauth``, a current account's instead:
        OAuth2 client credentials for the Dashboard and Messaging APIs, no Catapult user."""
        a = self.accounts
        if oauth:
            oauth_values = {
                "account_id": a.account_id,
                "dashboard_url": self.base_url + "/api",
                "messaging_url": self.base_url + "/api/v2",
                "oauth_token_url": self.base_url + TOKEN_PATH,
                "client_id": a.client_id,
                "client_secret": a.client_secret,
            }
            return {SETTINGS_KEYS[k][0]: v for k, v in oauth_values.items()}
        values = {
            "account_id": a.account_id,
            "username": a.username,
            "password": a.password,
            "dashboard_url": self.base_url + "/api",
            "user_id": a.user_id,
            "api_token": a.api_token,
            "api_secret": a.api_secret,
            "catapult_url": self.base_url,
        }
        return {SETTINGS_KEYS[k][0]: v for k, v in values.items()}


def stack_env(bin_dir: Path, root: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The CLI's environment for a throwaway stack under ``root``: offline, a private file
    backend and Pulumi home, plus ``extra`` (both drivers use it)."""
    offline = _offline.offline_env(bin_dir, root / "backend", root / "pulumi-home", PASSPHRASE)
    return {**offline, **extra}


def find_cli_bin_dir() -> Path:
    bin_dir, said = _offline.find_cli_bin_dir(REPO / "scripts" / "install-pulumi")
    if bin_dir is None:
        raise SystemExit(f"no Pulumi CLI: run scripts/install-pulumi first.\n{said}")
    return bin_dir


class MemorySampler:
    """Peak RSS of this process's ``python -m pulumi.dynamic`` descendants while it runs."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self.seen = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    if "pulumi.dynamic" in " ".join(child.cmdline()):
                        self.seen = True
                        self.peak_bytes = max(self.peak_bytes, child.memory_info().rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
            self._stop.wait(self.interval)
