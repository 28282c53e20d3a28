"""`pulumi import` of a bw-pulumi type through the plain CLI: what README says the user sees.

The dynamic-provider server fails before any bw-pulumi code runs in its process (no
`__provider` to find, pulumi/pulumi#16175), so the traceback is Pulumi's own; README quotes its
lines and points at the adoption inputs. If a Pulumi release changes this, the test says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cli import plain_stack, python_project
from engine import REPO
from test_plain_cli import configure

from bw_pulumi.emulator import Emulator

README = (REPO / "README.md").read_text()
QUOTED = (
    "Application app import error: Preview failed: Traceback (most recent call last):",
    "providerStr = props[PROVIDER_KEY]",
    "KeyError: '__provider'",
)


def test_pulumi_import_fails_as_readme_quotes_and_imports_nothing(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project = python_project(tmp_path / "project", "bw-import", "import bw_pulumi\n")
    with plain_stack(language_host_bin_dir, tmp_path, project) as cli:
        configure(cli, emu)
        cli.stack_cmd("up").check()
        imported = cli.stack_cmd(
            "import", "--yes", "pulumi-python:dynamic/bandwidth:Application", "app", "a-123"
        )
        assert imported.returncode != 0
        for line in QUOTED:
            assert line in imported.output, line
            assert line in README, line
        assert "bw_pulumi" not in imported.output  # no frame of ours: nothing of ours ran
        types = [r["type"] for r in cli.export().get("resources", [])]
        assert not [t for t in types if "bandwidth" in t], types  # nothing was imported
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-x", "-q"]))
