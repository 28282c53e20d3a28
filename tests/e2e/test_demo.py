"""`scripts/demo`, the README's main command, run exactly as a newcomer runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from engine import REPO

from bw_pulumi.emulator import Emulator

DEMO = REPO / "scripts" / "demo"
DEMO_TIMEOUT_SECONDS = 600
DEMO_NUMBERS = ["9195550100", "9195550101", "9195550102"]


@pytest.fixture
def demo_env(pulumi_bin_dir: Path, tmp_path: Path) -> dict[str, str]:
    """CI's environment, plus a private state directory and this test run's interpreter/CLI."""
    return {
        **os.environ,
        "BW_PULUMI_HOME": str(tmp_path / "bw-pulumi"),
        "BW_PULUMI_VENV": sys.prefix,
        "BW_PULUMI_BIN_DIR": str(pulumi_bin_dir),
    }


def run_demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(DEMO), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )
    print(proc.stdout, proc.stderr, sep="\n")  # shown when the test fails
    assert proc.returncode == 0, f"scripts/demo {' '.join(args)} exited {proc.returncode}"
    return proc


def saved_world(home: Path, tmp_path: Path) -> dict[str, Any]:
    """The emulator's saved world, read back through a fresh emulator on a copy of the file."""
    copy = tmp_path / "world-copy.json"
    shutil.copyfile(home / "emulator.json", copy)
    with Emulator(state_file=copy) as emu:
        return emu.control.state()


def test_demo_imports_and_binds_numbers_then_destroy_leaves_nothing(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    home = Path(demo_env["BW_PULUMI_HOME"])
    up = run_demo(demo_env, "--port", "0")
    assert 'order_status: "COMPLETE"' in up.stdout
    assert "scripts/demo refresh" in up.stdout and "scripts/demo destroy" in up.stdout

    world = saved_world(home, tmp_path)
    assert world["in_service"] == DEMO_NUMBERS
    [app] = world["applications"]
    bound = {n["number"]: n["application_id"] for n in world["phone_numbers"]}
    assert bound == {f"+1{tn}": app["id"] for tn in DEMO_NUMBERS}
    assert f'application_id: "{app["id"]}"' in up.stdout
    assert len(world["subscriptions"]) == 1
    assert not json.loads((home / "emulator.run.json").read_text())["pid"]  # emulator stopped

    refresh = run_demo(demo_env, "refresh")
    assert "scripts/demo refresh: {'same': 7}" in refresh.stdout

    run_demo(demo_env, "destroy")
    world = saved_world(home, tmp_path)
    assert world["in_service"] == []
    assert world["phone_numbers"] == []
    assert world["applications"] == []
    assert world["subscriptions"] == []
