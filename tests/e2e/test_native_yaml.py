"""The native `bandwidth` plugin from a YAML program, through the plain `pulumi` CLI.

examples/yaml_native is the flagship stack in YAML (`runtime: yaml`), finding
`pulumi-resource-bandwidth` through `plugins: providers:` in its Pulumi.yaml (the repository's
virtualenv). The steps: preview, up (progress lines on the order's own row), an `up` that
changes nothing, a `refresh` without diff, `pulumi import` of an application made by hand (its
id is enough), a refresh after it without diff, and a destroy that leaves the emulator empty.
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
    assert_no_credentials,
    catapult,
    emulator,
)
from cli import PlainCLI, plain_stack, summary
from engine import REPO

from bw_pulumi.emulator import Emulator

sys.path.insert(0, str(REPO / "scripts"))
from native_tools import YAML_HOST, yaml_host_path

PROJECT = REPO / "examples" / "yaml_native"
PLUGIN = REPO / ".venv" / "bin" / "pulumi-resource-bandwidth"
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")


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


def configure(cli: PlainCLI, emu: Emulator) -> None:
    bandwidth = emu.stack_config()
    for key, value in bandwidth.items():
        # --plaintext: the CLI takes some URLs (oauthTokenUrl) for secrets and insists.
        flag = "--secret" if key in SECRET_KEYS else "--plaintext"
        cli.ok("config", "set", flag, "--stack", cli.stack, key, value)
    cli.set_config(
        {
            "numbers": "+19195550170,919-555-0171",
            "siteId": "14",
            "callbackUrl": "http://127.0.0.1:9/bandwidth/orders",
        }
    )


def test_yaml_program_lifecycle_and_import_on_the_native_plugin(
    cli: PlainCLI, emu: Emulator
) -> None:
    configure(cli, emu)
    preview = cli.stack_cmd("preview").check()
    assert summary(preview) == {"create": 5}, preview.output
    assert emu.control.state()["import_orders"] == [], "preview makes no API call"

    up = cli.stack_cmd("up").check()
    assert summary(up) == {"created": 5}
    progress = up.lines_with("bw-pulumi: placed import order")
    assert progress and all("bandwidth:index:ImportTnOrder order" in line for line in progress)
    outputs = cli.outputs()
    assert outputs["importedNumbers"] == ["9195550170", "9195550171"]
    assert sorted(outputs["numberIds"]) == ["+19195550170", "+19195550171"]

    again = cli.stack_cmd("up").check()
    assert summary(again) == {"unchanged": 5}
    quiet = cli.stack_cmd("refresh").check()
    assert quiet.diff_markers() == set()
    assert summary(quiet) == {"unchanged": 5}

    hand_made = catapult(emu).create_application(
        {"name": "made-by-hand", "incomingMessageUrl": "http://127.0.0.1:9/hand"}
    )
    imported = cli(
        "import",
        "--stack",
        cli.stack,
        "--yes",
        "--protect=false",
        "bandwidth:index:Application",
        "hand-made",
        hand_made,
    ).check()
    assert "= 1 imported" in imported.output
    assert "incomingMessageUrl: http://127.0.0.1:9/hand" in imported.output  # generated code
    after = cli.stack_cmd("refresh").check()
    assert after.diff_markers() == set()
    assert summary(after) == {"unchanged": 6}

    gone = cli.stack_cmd("destroy").check()
    assert summary(gone) == {"deleted": 6}
    assert_emulator_empty(emu)
    assert_no_credentials(str(cli.export()))
    cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


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
        assert cli.outputs()["importedNumbers"] == ["9195550170", "9195550171"]
        cli.stack_cmd("destroy").check()
        assert_emulator_empty(emu)
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


def _await(condition: Callable[[], object], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
