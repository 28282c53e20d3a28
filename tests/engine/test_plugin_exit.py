"""The plugin a bw-pulumi provider ran in skips CPython's last garbage collection when the engine
ends it (bw_pulumi._plugin_exit): every command waits for that exit. Not after a failed call,
whose slower exit keeps the engine from interrupting the program in its own shutdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bw_helpers import application_inputs, bw_stack_config
from harness import CheckFailed, Engine, ProviderError, Resource

from bw_pulumi import ApplicationProvider
from bw_pulumi.emulator import Emulator

HERE = Path(__file__).resolve().parent

# Registered first at start-up, so it runs last at exit: after anything bw-pulumi registered.
REPORTER = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: sys.stderr.write(f'frozen-at-exit={gc.get_freeze_count()}\\n'))\n"
)


def _frozen_at_exit(engine: Engine) -> int:
    assert engine.interrupt() == 0, engine.stderr
    found = re.findall(r"frozen-at-exit=(\d+)", engine.stderr)
    assert len(found) == 1, engine.stderr
    return int(found[0])


def _reporting_plugin(
    start_engine: Callable[..., Engine], tmp_path: Path, config: object
) -> Engine:
    (tmp_path / "sitecustomize.py").write_text(REPORTER)
    return start_engine(config, pythonpath=[HERE, tmp_path])


def test_a_plugin_that_ran_a_bw_provider_exits_with_its_heap_frozen(
    start_engine: Callable[..., Engine], bw_emu: Emulator, tmp_path: Path
) -> None:
    engine = _reporting_plugin(start_engine, tmp_path, bw_stack_config(bw_emu))
    news = engine.program_inputs(ApplicationProvider(), application_inputs())
    engine.check({}, news)  # the first call configures the provider
    assert _frozen_at_exit(engine) > 0


def test_a_plugin_no_bw_provider_ran_in_exits_as_cpython_does(
    start_engine: Callable[..., Engine], bw_emu: Emulator, tmp_path: Path
) -> None:
    engine = _reporting_plugin(start_engine, tmp_path, bw_stack_config(bw_emu))
    assert _frozen_at_exit(engine) == 0


def test_a_plugin_where_a_call_failed_exits_as_cpython_does(
    start_engine: Callable[..., Engine], bw_emu: Emulator, tmp_path: Path
) -> None:
    config = {**bw_stack_config(bw_emu), "bandwidth:catapultUrl": f"{bw_emu.base_url}/nowhere"}
    engine = _reporting_plugin(start_engine, tmp_path, config)
    with pytest.raises(CheckFailed):  # the preview's proof of the config: not a failed call
        engine.create(ApplicationProvider(), application_inputs())
    with pytest.raises(ProviderError):  # a create had the preview passed: a failed call
        inputs = engine.program_inputs(ApplicationProvider(), application_inputs())
        engine._create_checked(Resource("", {}, {}, "res"), inputs)
    assert _frozen_at_exit(engine) == 0
