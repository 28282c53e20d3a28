"""PhoneNumberBindings through the real plugin over gRPC, engine-style, against the emulator.

Interrupted steps: a proxy in front of Catapult lets a few imports through, then holds the
next ones until the test has killed the plugin (a cancelled or crashed ``pulumi up``: nothing
reaches state). A new plugin then runs the step again, as the next ``up`` does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from bw_helpers import (
    application_inputs,
    assert_no_credentials,
    assert_stack_secrets_only_in_configure,
    assert_state_is_clean,
    bw_stack_config,
    catapult,
)
from harness import UNKNOWN, Engine, ProviderError, Resource

from bw_pulumi import ApplicationProvider, PhoneNumberBindingsProvider
from bw_pulumi.emulator import Emulator
from tests.resources.lossy_proxy import Action, lossy_proxy

TNS = [f"919555{n:04d}" for n in range(200, 212)]
E164 = [f"+1{tn}" for tn in TNS]
PROVIDER = PhoneNumberBindingsProvider()


def _app(engine: Engine, name: str = "hosted-sms") -> str:
    return engine.create(ApplicationProvider(), application_inputs(name=name), name=name).id


def _inputs(app_id: Any, numbers: list[str], **extra: Any) -> dict[str, Any]:
    return {"application_id": app_id, "telephone_numbers": numbers, **extra}


def _bound(emu: Emulator) -> dict[str, str | None]:
    return {n["number"]: n["application_id"] for n in emu.control.state()["phone_numbers"]}


def _imports(emu: Emulator) -> int:
    """Number imports (creating POSTs) the emulator has received."""
    return int(emu.control.stats()["requests"].get("POST catapult.numbers.create", 0))


class HoldImports:
    """Forwards the first ``let_through`` number imports, then holds every later one until
    released (and then resets it): the plugin is killed while they hang."""

    def __init__(self, let_through: int) -> None:
        self.let_through = let_through
        self.forwarded = 0
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, method: str, path: str) -> Action:
        if method != "POST" or not path.split("?")[0].endswith("/phoneNumbers"):
            return "forward"
        with self._lock:
            if self.forwarded < self.let_through:
                self.forwarded += 1
                return "forward"
        self.holding.set()
        self.release.wait(60)
        return "reset"


@contextmanager
def interrupted(
    start_engine: Callable[..., Engine], emu: Emulator, let_through: int
) -> Iterator[tuple[Engine, HoldImports]]:
    """A plugin whose Catapult imports stop after ``let_through``; killed on exit."""
    hold = HoldImports(let_through)
    with lossy_proxy(emu.catapult_url, hold) as url:
        config = {**bw_stack_config(emu), "bandwidth:catapultUrl": url}
        engine = start_engine(config, env={"BW_PULUMI_RATE_SCALE": "20"})
        try:
            yield engine, hold
        finally:
            engine.close()  # the plugin dies mid-step, as on Ctrl-C twice or a crash
            hold.release.set()


def _settled_bindings(emu: Emulator, expected: int) -> dict[str, str]:
    """The emulator's bindings once ``expected`` are there (or 10 s have passed): an import the
    proxy forwarded just before the plugin died may still be landing when the kill returns."""
    deadline = time.monotonic() + 10
    while True:
        left = {n["number"]: n["id"] for n in emu.control.state()["phone_numbers"]}
        if len(left) >= expected or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


def _kill_mid_step(engine: Engine, hold: HoldImports, step: Callable[[], Any]) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(step)
        assert hold.holding.wait(60), "the step never reached the held imports"
        engine.close()
        with pytest.raises(ProviderError):
            running.result(timeout=60)


def test_create_then_same_inputs_are_a_no_op_and_refresh_shows_no_diff(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=TNS)
    app_id = _app(bw_engine)
    created = bw_engine.create(PROVIDER, _inputs(app_id, TNS), name="numbers")
    assert created.id == app_id
    assert sorted(created.output("number_ids")) == E164
    assert _bound(bw_emu) == dict.fromkeys(E164, app_id)
    assert_state_is_clean(created)  # the Dashboard password of each import is nowhere in state
    assert_stack_secrets_only_in_configure(bw_engine)
    assert_no_credentials(bw_engine.stderr)

    assert bw_plugin().up(PROVIDER, _inputs(app_id, list(reversed(E164))), created).op == "same"
    refreshed = bw_plugin().refresh(created)
    assert refreshed is not None
    assert (refreshed.inputs, refreshed.outputs) == (created.inputs, created.outputs)


def test_update_adds_drops_and_moves_to_a_new_application_in_one_step(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(in_service=TNS)
    app_a, app_b = _app(bw_engine, "a"), _app(bw_engine, "b")
    created = bw_engine.create(PROVIDER, _inputs(app_a, TNS[:8]), name="numbers")
    updated = bw_engine.up(PROVIDER, _inputs(app_b, TNS[4:]), created)
    assert (updated.op, updated.id) == ("update", created.id)
    assert _bound(bw_emu) == dict.fromkeys(E164[4:], app_b)
    kept = {n: created.output("number_ids")[n] for n in E164[4:8]}
    assert {n: updated.output("number_ids")[n] for n in kept} == kept

    bw_engine.destroy(updated)
    assert _bound(bw_emu) == {}
    bw_engine.destroy(updated)  # 404 for every number: already gone is success


def test_out_of_band_unbind_shows_on_refresh_and_up_binds_it_again(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=TNS[:3])
    app_id = _app(bw_engine)
    created = bw_engine.create(PROVIDER, _inputs(app_id, TNS[:3]), name="numbers")
    catapult(bw_emu).delete_number(created.output("number_ids")[E164[0]])

    refreshed = bw_plugin().refresh(created)
    assert refreshed is not None
    assert refreshed.inputs["telephone_numbers"] == E164[1:3]
    repaired = bw_plugin().up(PROVIDER, _inputs(app_id, TNS[:3]), refreshed)
    assert repaired.op == "update"
    assert _bound(bw_emu) == dict.fromkeys(E164[:3], app_id)


def test_preview_accepts_unknown_application_and_numbers(bw_engine: Engine) -> None:
    plan = bw_engine.preview(PROVIDER, _inputs(UNKNOWN, [TNS[0], UNKNOWN]))
    assert plan.op == "create"
    assert plan.checked["application_id"] is UNKNOWN


def test_interrupted_create_is_resumed_by_the_next_create(
    start_engine: Callable[..., Engine], bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=TNS)
    app_id = _app(bw_plugin())
    with interrupted(start_engine, bw_emu, let_through=5) as (engine, hold):
        _kill_mid_step(
            engine, hold, lambda: engine.create(PROVIDER, _inputs(app_id, TNS), name="numbers")
        )
    left = _settled_bindings(bw_emu, 5)
    assert len(left) == 5  # bound, but no state records them

    before = _imports(bw_emu)
    resumed = bw_plugin().create(PROVIDER, _inputs(app_id, TNS), name="numbers")
    assert {n: resumed.output("number_ids")[n] for n in left} == left  # adopted, not re-imported
    assert _imports(bw_emu) - before == len(TNS) - len(left)  # a POST only for the missing
    assert _bound(bw_emu) == dict.fromkeys(E164, app_id)


def test_interrupted_update_is_resumed_by_the_next_update(
    start_engine: Callable[..., Engine], bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=TNS)
    engine = bw_plugin()
    app_id = _app(engine)
    created: Resource = engine.create(PROVIDER, _inputs(app_id, TNS[:4]), name="numbers")
    with interrupted(start_engine, bw_emu, let_through=3) as (broken, hold):
        _kill_mid_step(broken, hold, lambda: broken.up(PROVIDER, _inputs(app_id, TNS), created))
    assert len(_settled_bindings(bw_emu, 4 + 3)) == 4 + 3  # state still says 4

    before = _imports(bw_emu)
    resumed = bw_plugin().up(PROVIDER, _inputs(app_id, TNS), created)
    assert resumed.op == "update"
    assert _imports(bw_emu) - before == len(TNS) - 4 - 3
    assert _bound(bw_emu) == dict.fromkeys(E164, app_id)
    assert sorted(resumed.output("number_ids")) == E164


def test_numbers_bound_to_another_application_fail_naming_adopt_existing_and_leave_nothing(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(in_service=TNS)
    ours, theirs = _app(bw_engine, "ours"), _app(bw_engine, "theirs")
    catapult(bw_emu).import_number(
        E164[3],
        theirs,
        account_id=bw_emu.account_id,
        username=bw_emu.username,
        password=bw_emu.password,
    )
    with pytest.raises(ProviderError) as failed:
        bw_engine.create(PROVIDER, _inputs(ours, TNS), name="numbers")
    assert "adopt_existing" in failed.value.details
    assert "Traceback" not in failed.value.details
    assert_no_credentials(failed.value.details)
    assert _bound(bw_emu) == {E164[3]: theirs}

    adopted = bw_engine.create(PROVIDER, _inputs(ours, TNS, adopt_existing=True), name="numbers")
    assert _bound(bw_emu) == dict.fromkeys(E164, ours)
    assert sorted(adopted.output("number_ids")) == E164


def test_get_by_application_id_reads_every_bound_number(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(in_service=TNS[:3])
    app_id = _app(bw_engine)
    created = bw_engine.create(PROVIDER, _inputs(app_id, TNS[:3]), name="numbers")
    empty = dict.fromkeys(("application_id", "telephone_numbers", "number_ids", "in_service"))
    got = bw_engine.get(PROVIDER, app_id, empty, name="existing")
    assert got is not None
    assert got.output("number_ids") == created.output("number_ids")
