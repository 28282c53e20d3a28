"""The plain ``pulumi`` CLI as the soak drives it: one command at a time, each into a transcript."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts import pulumi_offline as _offline

__all__ = ["COMMAND_TIMEOUT", "REPO", "Cli", "Run"]

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "bw-pulumi-soak"  # protects throwaway stacks only
#: One CLI command may take this long before the soak kills it (counted as a failed attempt).
COMMAND_TIMEOUT = 600.0
_SUMMARY_LINE = re.compile(r"^\s*[+~\-]?\s*(\d+) (to [a-z]+|[a-z]+)", re.M)


@dataclass(frozen=True)
class Run:
    """One finished CLI command: what the user saw."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def summary(self) -> dict[str, int]:
        """The last ``Resources:`` block, e.g. ``{"unchanged": 6}`` (the operation's, not the
        preview's)."""
        block = self.output.rsplit("Resources:", 1)[-1].split("Duration:", 1)[0]
        return {what.removeprefix("to "): int(n) for n, what in _SUMMARY_LINE.findall(block)}

    def error_lines(self, limit: int = 6) -> list[str]:
        """The lines a user reads to learn what failed."""
        found = [
            line.strip()
            for line in self.output.splitlines()
            if "error:" in line.lower() or "Error:" in line
        ]
        return list(dict.fromkeys(found))[:limit]


class Cli:
    """``pulumi`` in a project directory (default the repository root, the Catapult flagship)
    for one stack; every command goes to ``transcript``."""

    def __init__(
        self,
        bin_dir: Path,
        root: Path,
        stack: str,
        transcript: Callable[[str], None],
        project: Path = REPO,
    ):
        self.project = project
        self.env = _offline.user_shell_env(bin_dir, root / "pulumi-home", PASSPHRASE)
        self.stack = stack
        self.transcript = transcript
        self.backend = root / "backend"
        self.backend.mkdir(parents=True, exist_ok=True)

    def __call__(self, *args: str) -> Run:
        started = time.monotonic()
        proc = subprocess.Popen(
            ["pulumi", *args],
            cwd=self.project,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # on a time-out the plugin and language host go too
        )
        try:
            stdout, stderr = proc.communicate(timeout=COMMAND_TIMEOUT)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            stderr += f"\n[soak: killed after {COMMAND_TIMEOUT:g} s]"
            code = -9
        except BaseException:  # Ctrl-C or SIGTERM: the command and its plugins end with us
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        run = Run(tuple(args), code, stdout, stderr, time.monotonic() - started)
        head = f"$ pulumi {shlex.join(args)}  (exit {code}, {run.seconds:.1f} s)"
        self.transcript(f"{head}\n{run.output}")
        return run

    def ok(self, *args: str) -> Run:
        run = self(*args)
        if run.returncode != 0:
            raise RuntimeError(
                f"`pulumi {shlex.join(args)}` exited {run.returncode}:\n{run.output}"
            )
        return run

    def stack_cmd(self, command: str, *args: str) -> Run:
        return self(command, "--stack", self.stack, "--yes", *args)

    def outputs(self) -> dict[str, Any]:
        run = self.ok("stack", "output", "--json", "--stack", self.stack)
        result: dict[str, Any] = json.loads(run.stdout)
        return result

    def stack_file(self) -> Path:
        return self.project / f"Pulumi.{self.stack}.yaml"
