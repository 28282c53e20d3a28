"""The progress lines of the order workflows, on a hand-driven clock and a scripted client.

The poller's pacing is tested in test_wait.py; here: what the user reads on stderr while an
order is placed, polled and finished, and while many numbers are confirmed.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import pytest
from pytest_mock import MockerFixture

from bw_pulumi._runtime import RUNTIME
from bw_pulumi._wait import wait_for_status
from bw_pulumi.clients.dashboard import (
    DashboardClient,
    ImportOrder,
    ImportOrderRequest,
    RemoveOrder,
)
from bw_pulumi.errors import ErrorDetail
from bw_pulumi.resources import _ordering, _service_checks

A, B = "9195550101", "9195550102"
MANY = [f"91955{n:05d}" for n in range(100)]
#: ``/totals`` of an account far bigger than any stack: listing never pays, so one GET a number.
HUGE_ACCOUNT = 10**6


class FakeClock:
    """Moves only when slept on (or by ``tick`` per reading); thread-safe for lookup workers."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 0.0
        self.tick = tick
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            value = self.now
            self.now += self.tick
            return value

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


@pytest.fixture
def clock(mocker: MockerFixture) -> FakeClock:
    """The workflows' polling on the fake clock (their own default would really sleep)."""
    fake = FakeClock()
    polled = functools.partial(wait_for_status, clock=fake, sleep=fake.sleep)
    mocker.patch.object(_ordering, "wait_for_status", polled)
    return fake


def bw_lines(captured: str) -> list[str]:
    """The provider's lines, elapsed times masked (``after N s``)."""
    return [
        re.sub(r"after [0-9.]+ s", "after N s", line)
        for line in captured.splitlines()
        if line.startswith("bw-pulumi: ")
    ]


def removal(status: str, numbers: list[str], errors: tuple[ErrorDetail, ...] = ()) -> RemoveOrder:
    return RemoveOrder("r-1", "my-coid", status, tuple(numbers), errors, None)


def import_order(status: str, errors: tuple[ErrorDetail, ...] = ()) -> ImportOrder:
    return ImportOrder("i-1", "my-coid", status, (A, B), errors, "14", None, None, None)


def scripted_client(mocker: MockerFixture, clock: FakeClock, ready_after: float) -> Any:
    """A client whose orders stay PROCESSING for ``ready_after`` fake seconds."""
    client = mocker.create_autospec(DashboardClient, instance=True)
    client.in_service_total.return_value = HUGE_ACCOUNT
    client.list_import_orders.return_value = []
    client.check_importability.return_value.errors = ()
    failed = (ErrorDetail("7518", "refused", (B,)),)

    def import_status() -> ImportOrder:
        done = clock.now >= ready_after
        return import_order("COMPLETE" if done else "PROCESSING", () if done else failed)

    client.create_import_order.side_effect = lambda _req: import_order("RECEIVED")
    client.get_import_order.side_effect = lambda _id: import_status()
    client.create_remove_order.side_effect = lambda tns, _coid: removal("PROCESSING", tns)
    client.get_remove_order.side_effect = lambda _id: removal(
        "COMPLETE" if clock.now >= ready_after else "PROCESSING", [A, B]
    )
    client.is_in_service.side_effect = lambda tn: False
    client.in_service_total.return_value = HUGE_ACCOUNT
    return client


def test_removal_prints_placement_pending_lines_and_completion(
    mocker: MockerFixture, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = scripted_client(mocker, clock, ready_after=100)
    _ordering.remove_numbers(client, [B, A], "my-coid", timeout=600)
    pending = "bw-pulumi: removal order r-1 is still PROCESSING after N s (wait_timeout 600 s)"
    assert bw_lines(capsys.readouterr().err) == [
        "bw-pulumi: placed removal order r-1 (customer order id 'my-coid') for 2 numbers",
        pending,  # at 30 s: the wait wakes for each line, so it shows a fresh status
        pending,  # at 60 s
        pending,  # at 90 s
        "bw-pulumi: removal order r-1 ended COMPLETE after N s",  # at ~100 s
    ]


def test_import_reports_numbers_failed_so_far_while_pending(
    mocker: MockerFixture, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    client = scripted_client(mocker, clock, ready_after=50)
    client.is_in_service.side_effect = lambda tn: True
    request = ImportOrderRequest(
        telephone_numbers=[A, B],
        site_id="14",
        subscriber_name="Acme",
        service_address=None,
        loa_authorizing_person="Jane Doe",
        customer_order_id="my-coid",
    )
    _ordering.import_numbers(client, request, check=True, allow_partial=False, timeout=300)
    assert bw_lines(capsys.readouterr().err) == [
        "bw-pulumi: placed import order i-1 (customer order id 'my-coid') for 2 numbers",
        "bw-pulumi: import order i-1 is still PROCESSING after N s (wait_timeout 300 s); "
        "1 of 2 numbers failed so far",
        "bw-pulumi: import order i-1 ended COMPLETE after N s",
    ]


def test_confirming_many_numbers_reports_counts_paced_and_at_the_end(
    mocker: MockerFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    client = mocker.create_autospec(DashboardClient, instance=True)
    client.in_service_total.return_value = HUGE_ACCOUNT
    client.is_in_service.side_effect = lambda tn: True
    tick = FakeClock(tick=1.0)  # one fake second per reading: one per answer counted
    confirmed, missing = _service_checks.confirm_in_service(
        client, MANY, clock=tick, sleep=tick.sleep
    )
    assert (len(confirmed), missing) == (100, [])
    lines = bw_lines(capsys.readouterr().err)
    counts = [line.removeprefix("bw-pulumi: ") for line in lines]
    assert counts[:-1] == [
        "confirmed 30/100 numbers in service",
        "confirmed 60/100 numbers in service, about 40 s left",
        "confirmed 90/100 numbers in service, about 10 s left",
    ]
    assert counts[-1] == "confirmed 100/100 numbers in service after N s"


def test_confirming_a_handful_of_numbers_prints_nothing(
    mocker: MockerFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    client = mocker.create_autospec(DashboardClient, instance=True)
    client.in_service_total.return_value = HUGE_ACCOUNT
    client.is_in_service.side_effect = lambda tn: False
    tick = FakeClock(tick=60.0)
    _service_checks.confirm_in_service(client, [A, B], expect=False, clock=tick, sleep=tick.sleep)
    assert bw_lines(capsys.readouterr().err) == []


def test_numbers_slow_to_leave_service_are_counted_across_rechecks(
    mocker: MockerFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    tick = FakeClock()
    client = mocker.create_autospec(DashboardClient, instance=True)
    client.in_service_total.return_value = HUGE_ACCOUNT
    # The first 20 numbers take 2 fake seconds to leave service.
    client.is_in_service.side_effect = lambda tn: tn in MANY[:20] and tick.now < 2
    confirmed, missing = _service_checks.confirm_in_service(
        client, MANY, expect=False, clock=tick, sleep=tick.sleep
    )
    assert (len(confirmed), missing) == (100, [])
    assert bw_lines(capsys.readouterr().err) == [
        "bw-pulumi: confirmed 100/100 numbers out of service after N s"
    ]


def test_lookup_many_tells_progress_each_answer_in_order_in_the_calling_thread(
    mocker: MockerFixture,
) -> None:
    client = mocker.create_autospec(DashboardClient, instance=True)
    client.in_service_total.return_value = HUGE_ACCOUNT
    client.is_in_service.side_effect = lambda tn: tn.endswith(("0", "2", "4", "6", "8"))
    seen: list[tuple[str, bool, str]] = []
    caller = threading.current_thread().name
    answers = RUNTIME.in_service.lookup_many(
        client,
        MANY,
        fresh=True,
        progress=lambda tn, ok: seen.append((tn, ok, threading.current_thread().name)),
    )
    assert [(tn, ok) for tn, ok, _ in seen] == list(answers.items())
    assert [tn for tn, _, _ in seen] == MANY
    assert {thread for _, _, thread in seen} == {caller}
