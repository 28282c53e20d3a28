"""Outside the provider plugin, bw-pulumi leaves the process's exit alone."""

from __future__ import annotations

import subprocess
import sys

from bw_pulumi._plugin_exit import freeze_heap_at_exit

PROBE = """
import atexit, gc, sys
atexit.register(lambda: print(gc.get_freeze_count()))
from bw_pulumi._plugin_exit import freeze_heap_at_exit
print(freeze_heap_at_exit())
"""


def test_freeze_is_not_registered_outside_the_plugin_process() -> None:
    assert freeze_heap_at_exit() is False  # pytest's own process
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "0"]
