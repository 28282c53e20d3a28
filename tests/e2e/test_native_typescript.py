"""The TypeScript SDK generated from the native plugin's schema compiles and previews.

examples/typescript_native: the SDK is generated (scripts/native_tools.py, Go), the program and
SDK are compiled with `tsc` from the npm registry, and `pulumi preview` runs through the Node.js
Automation API with the program inline (no Node.js language host binary is needed; the Go proxy
refuses that module). Needs node and npm; without them the test is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bw_e2e import emulator
from engine import PASSPHRASE, REPO

sys.path.insert(0, str(REPO / "scripts"))
from native_tools import gen_nodejs

EXAMPLE = REPO / "examples" / "typescript_native"
NPM_TIMEOUT_SECONDS = 600


def _run(cmd: list[str], env: dict[str, str], timeout: float = NPM_TIMEOUT_SECONDS) -> str:
    proc = subprocess.run(
        cmd, cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = proc.stdout + proc.stderr
    print(f"$ {' '.join(cmd)} (exit {proc.returncode})\n{output}")
    assert proc.returncode == 0, output
    return output


def test_typescript_sdk_compiles_and_the_program_previews(
    pulumi_bin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the TypeScript example")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(pulumi_bin_dir), os.environ.get("PATH", "")]),
        "PULUMI_BACKEND_URL": (tmp_path / "backend").as_uri(),
        "PULUMI_HOME": str(tmp_path / "pulumi-home"),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    (tmp_path / "backend").mkdir()
    monkeypatch.setenv("PATH", env["PATH"])  # gen_nodejs asks the CLI on PATH for its version
    gen_nodejs(EXAMPLE / "sdk")
    _run(["npm", "install", "--no-audit", "--no-fund"], env)
    _run(["npm", "run", "build"], env)
    assert (EXAMPLE / "bin" / "sdk" / "application.js").is_file()

    stack = f"e2e-{uuid.uuid4().hex[:10]}"
    with emulator() as emu:
        config = {
            **emu.stack_config(),
            "numbers": "+19195550180,+19195550181",
            "siteId": "14",
            "callbackUrl": "http://127.0.0.1:9/bandwidth/orders",
        }
        env.update(PREVIEW_STACK=stack, PREVIEW_CONFIG=json.dumps(config))
        try:
            output = _run(["node", "bin/preview.js"], env, timeout=300)
        finally:
            (EXAMPLE / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
        assert emu.control.state()["import_orders"] == [], "preview makes no API call"
    assert '"create":5' in output
    for line in (
        "bandwidth:index:ImportTnOrder order create",
        "bandwidth:index:PhoneNumberBindings bindings create",
    ):
        assert line in output
    assert emu.password not in output
