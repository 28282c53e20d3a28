"""The native `bandwidth` plugin from a YAML program, through the plain `pulumi` CLI.

examples/yaml_native is the flagship stack in YAML (`runtime: yaml`), finding
`pulumi-resource-bandwidth` through `plugins: providers:` in its Pulumi.yaml (the repository's
virtualenv). The steps are native_flow.py's; and Ctrl-C during an order wait.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bw_e2e import (
    BW_API_SECRET,
    BW_PASSWORD,
    assert_emulator_empty,
    emulator,
)
from cli import PlainCLI, plain_stack
from engine import REPO
from native_flow import NUMBERS, PLUGIN, configure, lifecycle_with_import

from bw_pulumi.emulator import Emulator

sys.path.insert(0, str(REPO / "scripts"))
from native_tools import YAML_HOST, yaml_host_path

PROJECT = REPO / "examples" / "yaml_native"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as running:
        yield running


@pytest.fixture
def yaml_bin_dir(pulumi_bin_dir: Path) -> Path:
    """Where the YAML language host is: beside the CLI, or in the cache install-pulumi fills."""
    for candidate in (pulumi_bin_dir / YAML_HOST, yaml_host_path()):
        if os.access(candidate, os.X_OK):
            return candidate.parent
    message = f"no {YAML_HOST}: run scripts/install-pulumi (it builds it with Go)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def cli(pulumi_bin_dir: Path, yaml_bin_dir: Path, tmp_path: Path) -> Iterator[PlainCLI]:
    if not os.access(PLUGIN, os.X_OK):
        pytest.fail(f"{PLUGIN} is missing: run scripts/setup (pip install -e . makes it)")
    with plain_stack(pulumi_bin_dir, tmp_path, PROJECT) as stack:
        stack.env["PATH"] = os.pathsep.join([str(yaml_bin_dir), stack.env["PATH"]])
        yield stack


def test_yaml_program_lifecycle_and_import_on_the_native_plugin(
    cli: PlainCLI, emu: Emulator
) -> None:
    lifecycle_with_import(cli, emu, "incomingMessageUrl: http://127.0.0.1:9/hand")


def test_ctrl_c_stops_an_order_wait_promptly_and_the_next_up_resumes(
    pulumi_bin_dir: Path, yaml_bin_dir: Path, tmp_path: Path
) -> None:
    with (
        Emulator(processing_seconds=3600, password=BW_PASSWORD, api_secret=BW_API_SECRET) as emu,
        plain_stack(pulumi_bin_dir, tmp_path, PROJECT) as cli,
    ):
        cli.env["PATH"] = os.pathsep.join([str(yaml_bin_dir), cli.env["PATH"]])
        configure(cli, emu)
        up = subprocess.Popen(
            ["pulumi", "up", "--yes", "--skip-preview", "--stack", cli.stack],
            cwd=PROJECT,
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            _await(lambda: emu.control.state()["import_orders"], timeout=120)
            interrupted_at = time.monotonic()
            up.send_signal(signal.SIGINT)
            output, _ = up.communicate(timeout=60)
        finally:
            if up.poll() is None:
                up.kill()
                up.communicate()
        print(output)
        assert up.returncode != 0
        assert time.monotonic() - interrupted_at < 20, "the order wait did not stop promptly"
        assert "cancelled while import order" in output
        [placed] = emu.control.state()["import_orders"]

        emu.control.settle()
        emu.control.progression("immediate")  # the removal orders of destroy, below
        resumed = cli.stack_cmd("up").check()
        assert f"import order {placed['id']}" in resumed.output
        assert len(emu.control.state()["import_orders"]) == 1, "resumed, not ordered twice"
        assert cli.outputs()["importedNumbers"] == NUMBERS
        cli.stack_cmd("destroy").check()
        assert_emulator_empty(emu)
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


def _await(condition: Callable[[], object], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
