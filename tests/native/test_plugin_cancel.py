"""Cancel (what Ctrl-C sends) stops an order wait at once, and the next create resumes it."""

from __future__ import annotations

import threading
import time
from typing import Any

import grpc
from google.protobuf import empty_pb2
from native_harness import FakeEngine, Plugin, order_inputs

from bw_pulumi.emulator import Emulator
from bw_pulumi.emulator.control_client import ControlClient

ORDER = order_inputs("+19195550121", "+19195550122")


def _await(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_cancel_stops_an_order_wait_promptly_and_the_next_create_resumes_it(
    fake_engine: FakeEngine,
) -> None:
    with Emulator(processing_seconds=3600) as emu:
        control = ControlClient(emu.base_url)
        first = Plugin(fake_engine)
        try:
            first.configure(emu.stack_config())
            inputs, failures = first.check("ImportTnOrder", ORDER, name="numbers")
            assert not failures
            outcome: dict[str, Any] = {}

            def create() -> None:
                try:
                    first.create("ImportTnOrder", inputs, name="numbers")
                except grpc.RpcError as exc:
                    outcome["error"] = exc
                    outcome["at"] = time.monotonic()

            worker = threading.Thread(target=create)
            worker.start()
            _await(lambda: any("placed import order" in x.message for x in fake_engine.lines))
            cancelled_at = time.monotonic()
            first.call("Cancel", empty_pb2.Empty())
            worker.join(timeout=30)
            assert outcome["at"] - cancelled_at < 5.0
            details = outcome["error"].details()
            assert "cancelled while import order" in details and "Nothing was lost" in details
            assert "Traceback" not in details
        finally:
            first.close()
        placed = control.state()["import_orders"]
        assert len(placed) == 1

        control.settle()
        second = Plugin(fake_engine)
        try:
            second.configure(emu.stack_config())
            id_, outs = second.create("ImportTnOrder", inputs, name="numbers")
        finally:
            second.close()
        assert id_ == placed[0]["id"]
        assert outs["importedNumbers"] == ["9195550121", "9195550122"]
        assert len(control.state()["import_orders"]) == 1


def test_cancel_with_nothing_running_answers_at_once(plugin: Plugin) -> None:
    started = time.monotonic()
    plugin.call("Cancel", empty_pb2.Empty())
    assert time.monotonic() - started < 2.0
