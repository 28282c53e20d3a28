"""A Python program on the native plugin, through the SDK generated from its schema.

examples/python_native is the flagship stack on `bw_pulumi_bandwidth` (what `pulumi package
gen-sdk --language python` makes of the plugin's schema), run by the plain CLI with Pulumi's
Python language host: the same flow as the YAML program (native_flow.py), import included.
The SDK is generated into the test's directory and put on PYTHONPATH (with its dist-info, which
its version lookup needs), so the repository's virtualenv is left as it is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bw_e2e import emulator
from cli import LANGUAGE_HOST, PlainCLI, plain_stack
from engine import REPO
from native_flow import PLUGIN, lifecycle_with_import

from bw_pulumi.emulator import Emulator

sys.path.insert(0, str(REPO / "scripts"))
from native_tools import gen_python

PROJECT = REPO / "examples" / "python_native"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as running:
        yield running


@pytest.fixture
def sdk_site(pulumi_bin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The generated SDK, installed (no dependencies: the virtualenv has pulumi) into a folder."""
    monkeypatch.setenv("PATH", os.pathsep.join([str(pulumi_bin_dir), os.environ["PATH"]]))
    source = gen_python(tmp_path / "sdk")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    return site


@pytest.fixture
def cli(pulumi_bin_dir: Path, sdk_site: Path, tmp_path: Path) -> Iterator[PlainCLI]:
    if not os.access(PLUGIN, os.X_OK):
        pytest.fail(f"{PLUGIN} is missing: run scripts/setup (pip install -e . makes it)")
    if not (pulumi_bin_dir / LANGUAGE_HOST).exists():
        pytest.fail(f"no {LANGUAGE_HOST} beside {pulumi_bin_dir}: run scripts/install-pulumi")
    with plain_stack(pulumi_bin_dir, tmp_path, PROJECT) as stack:
        stack.env["PYTHONPATH"] = str(sdk_site)
        yield stack


def test_python_program_on_the_generated_sdk_lifecycle_and_import(
    cli: PlainCLI, emu: Emulator
) -> None:
    lifecycle_with_import(cli, emu, 'incoming_message_url="http://127.0.0.1:9/hand"')
