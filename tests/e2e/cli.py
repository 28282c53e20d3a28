"""Drive the plain `pulumi` CLI on a project directory, as a user types it.

No Automation API: each step is `pulumi <command>` in a subprocess, in the project's own
directory, with a file backend (`pulumi login file://...`), config set with `pulumi config set`
(secrets with `--secret`), and the output judged as the user reads it. The CLI starts Pulumi's
Python language host for the program and the dynamic-provider plugin for our resources, both
choosing the interpreter from the project's `virtualenv` option: nothing here points them at the
test's interpreter.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import CLI_TIMEOUT_SECONDS, PASSPHRASE, REPO

from scripts.pulumi_offline import user_shell_env

#: The language host the CLI starts for `runtime: python`.
LANGUAGE_HOST = "pulumi-language-python"
_DIFF_MARKER = re.compile(r"\[diff: [^\]]*\]")


@dataclass(frozen=True)
class Run:
    """One finished CLI command: what the user saw."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def diff_markers(self) -> set[str]:
        """Each `[diff: ...]` the display shows (refresh's drift report).

        `--yes` still shows the preview first, so each marker appears twice in the output.
        """
        return set(_DIFF_MARKER.findall(self.output))

    def lines_with(self, text: str) -> list[str]:
        return [line for line in self.output.splitlines() if text in line]

    def check(self) -> Run:
        if self.returncode != 0:
            raise AssertionError(
                f"`pulumi {' '.join(self.args)}` exited {self.returncode}:\n{self.output}"
            )
        return self


class PlainCLI:
    """`pulumi` in one project directory, for one stack with a unique name."""

    def __init__(self, bin_dir: Path, root: Path, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.env = user_shell_env(bin_dir, root / "pulumi-home", PASSPHRASE)
        self.stack = f"e2e-{uuid.uuid4().hex[:10]}"
        self.log: list[str] = []
        backend = root / "backend"
        backend.mkdir(parents=True, exist_ok=True)
        self("login", backend.as_uri()).check()

    def __call__(self, *args: str) -> Run:
        proc = subprocess.run(
            ["pulumi", *args],
            cwd=self.project_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        run = Run(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        entry = f"$ pulumi {' '.join(args)}  (exit {run.returncode})\n{run.output}"
        self.log.append(entry)
        print(entry)  # shown by pytest when a test fails
        return run

    def ok(self, *args: str) -> Run:
        return self(*args).check()

    def set_config(self, values: Mapping[str, str], *, secret: bool = False) -> None:
        for key, value in values.items():
            flags = ("--secret",) if secret else ()
            self.ok("config", "set", *flags, "--stack", self.stack, key, value)

    def stack_cmd(self, command: str, *args: str) -> Run:
        """`pulumi <command> --stack S --yes ...` (what a user types in CI), not checked."""
        yes = ("--yes",) if command in ("up", "refresh", "destroy") else ()
        return self(command, "--stack", self.stack, *yes, *args)

    def outputs(self) -> dict[str, Any]:
        run = self.ok("stack", "output", "--json", "--stack", self.stack)
        result: dict[str, Any] = json.loads(run.stdout)
        return result

    def export(self) -> dict[str, Any]:
        run = self.ok("stack", "export", "--stack", self.stack)
        deployment: dict[str, Any] = json.loads(run.stdout)["deployment"]
        return deployment

    def stack_file(self) -> Path:
        return self.project_dir / f"Pulumi.{self.stack}.yaml"


@contextmanager
def plain_stack(bin_dir: Path, root: Path, project_dir: Path) -> Iterator[PlainCLI]:
    """A new stack in `project_dir`; its stack config file is removed whatever happens."""
    cli = PlainCLI(bin_dir, root, project_dir)
    cli.ok("stack", "init", cli.stack)
    try:
        yield cli
    finally:
        cli.stack_file().unlink(missing_ok=True)


def python_project(project_dir: Path, name: str, program: str) -> Path:
    """A project directory on the repository's virtualenv running ``program`` as its main."""
    venv = REPO / ".venv"
    if not (venv / "bin" / "python").exists():
        raise AssertionError(f"{venv} is missing: run scripts/setup (the projects' virtualenv)")
    project_dir.mkdir(parents=True, exist_ok=True)
    (project_dir / "Pulumi.yaml").write_text(
        f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (project_dir / "__main__.py").write_text(program)
    return project_dir


def summary(run: Run) -> dict[str, int]:
    """The last `Resources:` block of a display, e.g. {"unchanged": 6}.

    `up`, `refresh` and `destroy` show the preview's block first, then the operation's.
    """
    block = run.output.rsplit("Resources:", 1)[-1].split("Duration:", 1)[0]
    counts: dict[str, int] = {}
    for count, what in re.findall(r"^\s*[+~\-]?\s*(\d+) (to [a-z]+|[a-z]+)", block, re.M):
        counts[what.removeprefix("to ")] = int(count)
    return counts


def assert_no_traceback_of_ours(output: str) -> None:
    """No frame of bw_pulumi and no traceback on a Bandwidth resource's row.

    When a check fails, the engine stops while the program may still be registering other
    resources; Pulumi's Python language host then interrupts the program, which can print the
    SDK's own traceback (`resource monitor shut down`) on the Stack's row: upstream noise, not
    our error, which the resource's row and Diagnostics show as its one message.
    """
    lines = output.splitlines()
    assert not [line for line in lines if 'File "' in line and "bw_pulumi" in line]
    assert not [line for line in lines if "Traceback" in line and "dynamic/bandwidth:" in line]
