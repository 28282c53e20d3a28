"""The benchmark's stack as a project directory driven by the plain ``pulumi`` CLI.

Each phase is one command as a user types it (``pulumi up --yes --skip-preview`` and so on),
timed from start to exit, so the wall time is what the user waits for: no Automation API
around it (which adds a ``stack output`` and a ``stack history`` command to every ``up``).
The language host and the provider plugin run this interpreter's virtualenv.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .services import REPO, stack_env

__all__ = ["CliStack"]

STACK = "bench"
#: Each phase must finish well inside this (N = 5000 at the documented budget takes minutes).
PHASE_TIMEOUT_SECONDS = 3600

_MAIN = """\
import sys

sys.path.insert(0, {repo!r})
from bench.programs import run

run({layout!r})
"""


class CliStack:
    """A ``bw-bench`` project in ``root`` with one stack, config set through the CLI."""

    def __init__(self, root: Path, bin_dir: Path, layout: str, env: Mapping[str, str]) -> None:
        self.project = root / "project"
        self.project.mkdir(parents=True, exist_ok=True)
        self.pulumi = str(bin_dir / "pulumi")
        self.env = stack_env(bin_dir, root, env)
        (self.project / "Pulumi.yaml").write_text(
            "name: bw-bench\n"
            "runtime:\n  name: python\n  options:\n"
            f"    virtualenv: {json.dumps(sys.prefix)}\n"
        )
        (self.project / "__main__.py").write_text(_MAIN.format(repo=str(REPO), layout=layout))
        self.output: list[str] = []
        self.run("stack", "init", STACK)

    def run(self, *args: str) -> str:
        """``pulumi <args>`` in the project; raises with the output's tail if it fails."""
        done = subprocess.run(
            [self.pulumi, *args],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=PHASE_TIMEOUT_SECONDS,
            check=False,
        )
        self.output.append(done.stdout + done.stderr)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-60:])
            raise RuntimeError(f"`pulumi {' '.join(args)}` exited {done.returncode}:\n{tail}")
        return done.stdout

    def configure(self, config: Mapping[str, str], secrets: Mapping[str, str]) -> None:
        pairs = [f"--plaintext={k}={v}" for k, v in config.items()]
        pairs += [f"--secret={k}={v}" for k, v in secrets.items()]
        self.run("config", "set-all", *pairs)

    def phase(self, name: str) -> float:
        """``up``, a no-op ``up``, ``refresh`` or ``destroy`` (no preview); its seconds."""
        command = "up" if name == "noop" else name
        start = time.monotonic()
        self.run(command, "--yes", "--skip-preview")
        return time.monotonic() - start

    def last_changes(self) -> dict[str, Any]:
        """The resource changes of the last update (``pulumi stack history``, not timed)."""
        history = json.loads(self.run("stack", "history", "--json", "--page-size", "1"))
        changes: dict[str, Any] = history[0].get("resourceChanges") or {} if history else {}
        return changes
