"""The staging workflow teams copy (examples/staging_teardown/.github/workflows/staging.yml),
its own steps run as GitHub Actions would run them, against the emulator.

Every step with an ``id`` runs, in order, through ``bash -e`` in the step's working directory
with the job's and the step's ``env`` (their ``${{ ... }}`` expressions resolved as the runner
would for a push of branch ``feature/sms``), and ``$GITHUB_OUTPUT`` read back for later steps.
The steps without an ``id`` (checkout, Python, the CLI, packages, the emulator) are the runner's
set-up, which this test provides itself. So what the e2e test proves is the file's own text.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli import LANGUAGE_HOST
from engine import REPO

from bw_pulumi.emulator import Emulator
from scripts.pulumi_offline import user_shell_env

EXAMPLE = REPO / "examples" / "staging_teardown"
WORKFLOW = EXAMPLE / ".github" / "workflows" / "staging.yml"
BRANCH = "feature/sms"
PASSPHRASE = "staging-workflow-e2e"
#: The set-up steps (no id): what the runner and this test provide instead.
SETUP = [
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "Install the Pulumi CLI",
    "Install the program's packages",
    "Start the Bandwidth emulator",
]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0.2) as running:  # the default credentials, as the file
        yield running


def _job() -> dict[str, Any]:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    job: dict[str, Any] = jobs["staging"]
    return job


def _resolve(value: str, context: Mapping[str, str]) -> str:
    """``${{ a || b }}`` and ``${{ x.y.z }}`` from ``context``; anything else fails the test."""

    def one(match: re.Match[str]) -> str:
        for name in (part.strip() for part in match.group(1).split("||")):
            if name not in context:
                raise AssertionError(f"the test cannot resolve ${{{{ {name} }}}} in {WORKFLOW}")
            if context[name]:
                return context[name]
        return ""

    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, str(value))


class Runner:
    """The job's steps with an id, one after another, as the Actions runner would."""

    def __init__(self, tmp: Path, env: dict[str, str], context: dict[str, str]) -> None:
        self.tmp = tmp
        self.env = env
        self.context = context
        self.log: list[str] = []

    def run(self, step: Mapping[str, Any], default_dir: str) -> subprocess.CompletedProcess[str]:
        output = self.tmp / f"output-{step['id']}"
        output.write_text("")
        env = {
            **self.env,
            **{k: _resolve(v, self.context) for k, v in (step.get("env") or {}).items()},
            "GITHUB_OUTPUT": str(output),
        }
        cwd = REPO / step.get("working-directory", default_dir)
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.log.append(f"--- {step['name']} (exit {done.returncode})\n{done.stdout}{done.stderr}")
        print(self.log[-1])  # shown by pytest when the test fails
        for line in output.read_text().splitlines():
            key, _, value = line.partition("=")
            self.context[f"steps.{step['id']}.outputs.{key}"] = value
        return done


def test_the_workflows_own_steps_create_test_and_tear_down_a_branch_stack(
    pulumi_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    if not (pulumi_bin_dir / LANGUAGE_HOST).exists():
        pytest.fail(f"no {LANGUAGE_HOST} beside {pulumi_bin_dir}: run scripts/install-pulumi")
    job = _job()
    steps = job["steps"]
    assert [s.get("uses") or s["name"] for s in steps if "id" not in s] == SETUP
    backend = tmp_path / "state"
    backend.mkdir()
    context = {
        "github.head_ref": "",
        "github.ref_name": BRANCH,
        "github.workspace": str(tmp_path),
        "github.event.repository.default_branch": "main",
        "secrets.PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
    }
    env = user_shell_env(pulumi_bin_dir, tmp_path / "pulumi-home", PASSPHRASE)
    env |= {k: _resolve(v, context) for k, v in job["env"].items()}
    env |= {"BW_EMULATOR": emu.base_url, "RUNNER_TEMP": str(tmp_path)}
    assert env["PULUMI_BACKEND_URL"] == f"file://{tmp_path}/.bw-pulumi/state"
    (tmp_path / ".bw-pulumi" / "state").mkdir(parents=True)
    runner = Runner(tmp_path, env, context)
    default_dir = job["defaults"]["run"]["working-directory"]
    stack = ""
    during: dict[str, Any] = {}
    try:
        for step in (s for s in steps if "id" in s):
            done = runner.run(step, default_dir)
            assert done.returncode == 0, runner.log[-1]
            stack = context.get("steps.names.outputs.stack", "")
            if step["id"] == "up":
                during = emu.control.state()
    finally:
        if stack:
            (EXAMPLE / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
    # The branch "feature/sms" became a valid stack; the up created its application, named
    # for the stack, and bound the branch's own numbers (ci/branches.json); the test step read
    # the stack's outputs; the teardown left nothing behind.
    assert re.fullmatch(r"ci-feature-sms-[0-9a-f]{6}", stack)
    assert [a["name"] for a in during["applications"]] == [f"bw-staging-{stack}"]
    bound = sorted(n["number"] for n in during["phone_numbers"])
    assert bound == ["+19195550142", "+19195550143"]
    assert '"application_id"' in runner.log[2]
    state = emu.control.state()
    assert state["applications"] == [] and state["phone_numbers"] == []
