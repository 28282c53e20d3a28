"""Outside the provider plugin, bw-pulumi leaves the process's exit alone."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import atexit, gc
atexit.register(lambda: print(gc.get_freeze_count()))
from pulumi.dynamic import ConfigureRequest
from bw_pulumi import ApplicationProvider
ApplicationProvider().configure(ConfigureRequest({}))
print("configured")
"""


def test_a_provider_configured_outside_the_plugin_leaves_the_exit_alone() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["configured", "0"]
