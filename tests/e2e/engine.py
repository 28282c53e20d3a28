"""Run inline Pulumi programs through the real CLI, offline, with the Automation API.

Inline programs (`program=<python function>`) run inside the test process: the SDK serves the
language-host protocol itself and starts the CLI with `--client`, so no
`pulumi-language-python` binary is needed. The CLI still launches the dynamic-provider plugin
(`pulumi-resource-pulumi-python` beside it), which runs `python -u -m pulumi.dynamic`; the
environment below makes that the test's own interpreter (the project's virtualenv).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from scripts import pulumi_offline as _offline

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO / "scripts" / "install-pulumi"
PASSPHRASE = "bw-pulumi-e2e"  # only protects throwaway test stacks
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
CLI_TIMEOUT_SECONDS = 300


def find_cli_bin_dir() -> tuple[Path | None, str]:
    """The bin dir of a usable CLI (never builds one), and what the finder said."""
    return _offline.find_cli_bin_dir(INSTALL_SCRIPT)


def offline_env(bin_dir: Path, root: Path, pythonpath: Sequence[Path] = ()) -> dict[str, str]:
    """Environment for the CLI: local state, no network, plugin in this virtualenv."""
    return _offline.offline_env(
        bin_dir, root / "backend", root / "pulumi-home", PASSPHRASE, pythonpath
    )


def is_secret(value: Any) -> bool:
    """Whether a value from `stack export` is an (encrypted) secret."""
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


@dataclass
class StackRun:
    """One stack of an inline program; every operation's engine output goes to `log`."""

    stack: auto.Stack
    cli: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    def _out(self, line: str) -> None:
        self.log.append(line)
        print(line)  # shown by pytest when a test fails

    def up(self, **kwargs: Any) -> auto.UpResult:
        return self.stack.up(on_output=self._out, **kwargs)

    def preview(self, **kwargs: Any) -> auto.PreviewResult:
        return self.stack.preview(on_output=self._out, **kwargs)

    def refresh(self, **kwargs: Any) -> auto.RefreshResult:
        return self.stack.refresh(on_output=self._out, **kwargs)

    def destroy(self, **kwargs: Any) -> auto.DestroyResult:
        return self.stack.destroy(on_output=self._out, **kwargs)

    def export(self) -> dict[str, Any]:
        """The deployment as `pulumi stack export` prints it: secrets encrypted.

        (`auto.Stack.export_stack()` passes `--show-secrets`, so it shows plaintext.)
        """
        proc = subprocess.run(
            [str(self.cli), "stack", "export", "--stack", self.stack.name],
            cwd=self.stack.workspace.work_dir,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"pulumi stack export failed: {proc.stderr}")
        deployment: dict[str, Any] = json.loads(proc.stdout)["deployment"]
        return deployment

    def export_text(self) -> str:
        return json.dumps(self.export())

    def backend_text(self) -> str:
        """Every file the file backend wrote, concatenated (state, history, backups)."""
        root = Path(self.env["PULUMI_BACKEND_URL"].removeprefix("file://"))
        files = sorted(p for p in root.rglob("*") if p.is_file())
        return "\n".join(p.read_text(errors="replace") for p in files)

    def resources(self, type_: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.export().get("resources") or []
        return [r for r in found if type_ is None or r.get("type") == type_]

    def resource(self, name: str) -> dict[str, Any]:
        """The state entry whose URN ends with `::name`."""
        matches = [r for r in self.resources() if r["urn"].endswith(f"::{name}")]
        if len(matches) != 1:
            raise LookupError(f"{len(matches)} resources named {name!r} in state")
        return matches[0]

    def set_program(self, program: Callable[[], None]) -> None:
        """Run a different inline program in the same stack (e.g. after `X.get`)."""
        self.stack.workspace.program = program


@dataclass
class PulumiE2E:
    """Factory of stacks for one test; each test gets its own backend directory."""

    bin_dir: Path
    root: Path
    pythonpath: Sequence[Path] = ()
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.env = offline_env(self.bin_dir, self.root, self.pythonpath)

    def stack(
        self,
        program: Callable[[], None],
        *,
        config: Mapping[str, str | auto.ConfigValue] | None = None,
        stack_name: str = "dev",
        project: str = "bw-e2e",
    ) -> StackRun:
        work_dir = self.root / "work" / project
        work_dir.mkdir(parents=True, exist_ok=True)
        options = auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            pulumi_home=self.env["PULUMI_HOME"],
            env_vars=self.env,
            pulumi_command=auto.PulumiCommand(root=str(self.bin_dir.parent)),
            project_settings=auto.ProjectSettings(name=project, runtime="python"),
        )
        stack = auto.create_or_select_stack(
            stack_name=stack_name, project_name=project, program=program, opts=options
        )
        if config:
            values = {
                k: v if isinstance(v, auto.ConfigValue) else auto.ConfigValue(v)
                for k, v in config.items()
            }
            stack.set_all_config(values)
        return StackRun(stack, self.bin_dir / "pulumi", self.env)
