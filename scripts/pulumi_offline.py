"""Run the Pulumi CLI offline against the emulator: shared by the tests, the demo and the bench.

Tooling, not part of the shipped ``bw_pulumi`` package. Scripts run from ``scripts/`` import it
as ``pulumi_offline``; the bench and the tests, run from the repository root, as
``scripts.pulumi_offline``.

A local file backend, passphrase secrets, no update check and no plugin downloads; the
dynamic-provider plugin (``python -u -m pulumi.dynamic``) runs in *this* interpreter's
environment, so it imports the same ``bw_pulumi`` as the caller.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FIND_TIMEOUT_SECONDS", "find_cli_bin_dir", "offline_env", "user_shell_env"]

#: ``install-pulumi --find-only`` never builds, so it answers in well under this.
FIND_TIMEOUT_SECONDS = 120


def find_cli_bin_dir(install_script: Path) -> tuple[Path | None, str]:
    """The bin dir of a usable CLI (never builds one), and what the finder said.

    ``BW_PULUMI_BIN_DIR`` overrides the search.
    """
    override = os.environ.get("BW_PULUMI_BIN_DIR")
    if override:
        path = Path(override)
        return (path, "") if (path / "pulumi").exists() else (None, f"{path} has no pulumi")
    proc = subprocess.run(
        [sys.executable, str(install_script), "--find-only", "--print-bin-dir"],
        capture_output=True,
        text=True,
        timeout=FIND_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode == 0 and proc.stdout.strip():
        return Path(proc.stdout.strip()), proc.stderr
    return None, proc.stderr


def offline_env(
    bin_dir: Path,
    backend: Path,
    pulumi_home: Path,
    passphrase: str,
    pythonpath: Sequence[Path] = (),
) -> dict[str, str]:
    """Environment variables for the CLI and its plugins; creates the backend directory."""
    backend.mkdir(parents=True, exist_ok=True)
    env = {
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        # Keep ~/.pulumi (plugins, credentials) out of it.
        "PULUMI_HOME": str(pulumi_home),
        # The plugin script runs `$PULUMI_PYTHON_CMD -u -m pulumi.dynamic` unless a virtualenv
        # is named; both point at this interpreter.
        "PULUMI_PYTHON_CMD": sys.executable,
        "PATH": os.pathsep.join(
            [str(Path(sys.executable).parent), str(bin_dir), os.environ.get("PATH", "")]
        ),
    }
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(
            [*(str(p) for p in pythonpath), os.environ.get("PYTHONPATH", "")]
        )
    if sys.prefix != sys.base_prefix:
        env["PULUMI_RUNTIME_VIRTUALENV"] = sys.prefix
    return env


#: Variables of a test or tool run that a user's shell would not have.
_NOT_A_USERS = ("VIRTUAL_ENV", "PYTHONPATH", "PULUMI_PYTHON_CMD", "BW_PULUMI_RATE_SCALE")


def user_shell_env(bin_dir: Path, home: Path, passphrase: str) -> dict[str, str]:
    """A user's shell with the CLI on PATH: no Pulumi Cloud, no update check, no downloads.

    Unlike :func:`offline_env`, nothing points the language host or the provider plugin at
    this interpreter: they must find the project's virtualenv (``Pulumi.yaml``'s ``virtualenv:
    .venv``) on their own, as they do for a user who never activated it.
    """
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("PULUMI_") and k not in _NOT_A_USERS
    }
    ours = {Path(sys.prefix) / "bin"}
    if os.environ.get("VIRTUAL_ENV"):
        ours.add(Path(os.environ["VIRTUAL_ENV"]) / "bin")
    path = [p for p in base.get("PATH", "").split(os.pathsep) if p and Path(p) not in ours]
    return {
        **base,
        "PATH": os.pathsep.join([str(bin_dir), *path]),
        "PULUMI_HOME": str(home),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
