"""The benchmark's stack as an Automation API inline program, each phase timed as its command.

``Stack.up`` runs ``pulumi up`` and then two more commands (``stack output`` and ``stack
history``) to build its result; a user typing ``pulumi up`` waits for neither. So a phase is
timed from the call to the last line the ``pulumi`` command prints (its ``Duration:``, written
as it exits), not to the return of the call. The program runs in this process (Automation's
inline server), so Pulumi's Python language host and its per-run venv checks are not in the
time; :mod:`bench.plain` measures the plain CLI with them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from .programs import program
from .services import stack_env

__all__ = ["InlineStack"]


class InlineStack:
    """A ``bw-bench`` inline-program stack on a private file backend, fully offline."""

    def __init__(self, root: Path, bin_dir: Path, layout: str, env: Mapping[str, str]) -> None:
        env = stack_env(bin_dir, root, env)
        work_dir = root / "work"
        work_dir.mkdir(parents=True, exist_ok=True)
        options = auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            pulumi_home=env["PULUMI_HOME"],
            env_vars=env,
            pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
            project_settings=auto.ProjectSettings(name="bw-bench", runtime="python"),
        )
        self.stack = auto.create_or_select_stack(
            stack_name="bench", project_name="bw-bench", program=program(layout), opts=options
        )
        self.output: list[str] = []
        self._changes: dict[str, Any] = {}

    def configure(self, config: Mapping[str, str], secrets: Mapping[str, str]) -> None:
        values: dict[str, Any] = {k: auto.ConfigValue(v) for k, v in config.items()}
        values.update({k: auto.ConfigValue(v, secret=True) for k, v in secrets.items()})
        self.stack.set_all_config(values)

    def phase(self, name: str) -> float:
        """Run ``up``, a no-op ``up``, ``refresh`` or ``destroy``; the command's seconds."""
        last = [0.0]

        def seen(line: str) -> None:
            self.output.append(line)
            last[0] = time.monotonic()

        start = time.monotonic()
        try:
            if name in ("up", "noop"):
                result: Any = self.stack.up(on_output=seen)
            elif name == "refresh":
                result = self.stack.refresh(on_output=seen)
            else:
                result = self.stack.destroy(on_output=seen)
        except auto.errors.CommandError as exc:
            tail = "\n".join(self.output[-60:])
            raise RuntimeError(f"pulumi {name} failed:\n{tail}") from exc
        self._changes = dict(result.summary.resource_changes or {})
        return (last[0] or time.monotonic()) - start

    def last_changes(self) -> dict[str, Any]:
        return self._changes
