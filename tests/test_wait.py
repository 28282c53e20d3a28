"""The order poller and progress pacing, on a hand-driven clock: no real sleeps, no wall time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import Any

import pytest

from bw_pulumi._wait import (
    BULK_PROGRESS_MIN,
    PROGRESS_INTERVAL,
    CountProgress,
    PollPolicy,
    ProgressTicker,
    WaitCancelled,
    WaitProgress,
    WaitResult,
    format_seconds,
    wait_for_status,
)
from bw_pulumi.errors import NotFound, OrderError, OrderTimeout

PENDING = {"RECEIVED", "PROCESSING"}
TARGET = {"COMPLETE", "FAILED"}


class FakeClock:
    """Time moves only when the code under test sleeps (or by ``tick`` per reading)."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 1000.0
        self.tick = tick
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        value = self.now
        self.now += self.tick
        return value

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def statuses(*sequence: str | type[Exception]) -> Callable[[], str]:
    """A fetch answering each item in turn (an exception class is raised), then the last forever."""
    items: Iterator[str | type[Exception]] = iter(sequence)
    last: list[str | type[Exception]] = [sequence[-1]]

    def fetch() -> str:
        item = next(items, last[0])
        last[0] = item
        if isinstance(item, type):
            raise item("gone")
        return item

    return fetch


def until(clock: FakeClock, seconds: float, then: str = "COMPLETE") -> Callable[[], str]:
    """PROCESSING until ``seconds`` of fake time have passed, then ``then``."""
    start = clock.now
    return lambda: then if clock.now - start >= seconds else "PROCESSING"


def wait(fetch: Callable[[], str], clock: FakeClock, **kwargs: Any) -> WaitResult[str]:
    options: dict[str, Any] = {
        "timeout": 600.0,
        "what": "order o-1",
        "sleep": clock.sleep,
        **kwargs,
    }
    return wait_for_status(
        fetch, lambda s: s, pending=PENDING, target=TARGET, clock=clock, **options
    )


def test_each_interval_is_a_share_of_the_time_waited_between_the_floor_and_the_cap() -> None:
    clock = FakeClock()
    policy = PollPolicy(first_interval=1.0, factor=2.0, max_interval=10.0)
    result = wait(statuses(*["PROCESSING"] * 7, "COMPLETE"), clock, policy=policy)
    # factor 2: each interval is the whole time waited so far, never under 1 s nor over 10 s.
    assert clock.sleeps == [1.0, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert (result.value, result.status, result.polls) == ("COMPLETE", "COMPLETE", 8)


def test_default_policy_polls_logarithmically_in_processing_time() -> None:
    polls = []
    for seconds in (1, 10, 100):
        clock = FakeClock()
        polls.append(wait(until(clock, seconds), clock).polls)
    # Each 10x of processing time adds a bounded number of polls (5, 21, 37 at 1.15): linear
    # polling would multiply them by 10 each time.
    assert polls == sorted(polls)
    assert all(b - a <= 20 for a, b in pairwise(polls)) and polls[2] <= 40


@pytest.mark.parametrize("seconds", [0.9, 1.45, 1.7, 2.0, 2.75, 5.1, 8.6, 33.0, 100.0])
def test_a_finished_order_is_seen_within_15_percent_of_its_time_or_a_quarter_second(
    seconds: float,
) -> None:
    clock = FakeClock()
    result = wait(until(clock, seconds), clock)
    assert result.status == "COMPLETE"
    late = clock.now - 1000.0 - seconds
    assert 0 <= late <= max(PollPolicy().first_interval, 0.15 * seconds) + 1e-9


def test_timeout_raises_with_the_last_status_and_the_resume_hint() -> None:
    clock = FakeClock()
    with pytest.raises(OrderTimeout) as err:
        wait(statuses("PROCESSING"), clock, timeout=100.0, resume_hint="run up again")
    assert err.value.status == "PROCESSING"
    assert "order o-1 is still PROCESSING after 100 s (wait_timeout)" in str(err.value)
    assert "run up again" in str(err.value) and "raise wait_timeout" in str(err.value)
    assert sum(clock.sleeps) == pytest.approx(100.0)  # the last sleep is cut to the deadline
    assert max(clock.sleeps) <= PollPolicy().max_interval


def test_a_cancelled_wait_says_the_next_run_resumes_and_not_to_raise_wait_timeout() -> None:
    clock = FakeClock()

    def cancelled_sleep(seconds: float) -> None:
        raise WaitCancelled("cancelled")

    with pytest.raises(WaitCancelled) as err:
        wait(statuses("RECEIVED"), clock, sleep=cancelled_sleep, resume_hint="run up again")
    assert (
        str(err.value)
        == "cancelled while order o-1 was still RECEIVED. Nothing was lost: run up again"
    )


def test_timeout_before_any_successful_read_says_so() -> None:
    clock = FakeClock()
    policy = PollPolicy(first_interval=50.0, not_found_checks=10)
    with pytest.raises(OrderTimeout, match="unknown \\(never read\\)"):
        wait(statuses(NotFound), clock, timeout=100.0, policy=policy)


def test_not_found_is_tolerated_a_few_times_in_a_row_after_create() -> None:
    clock = FakeClock()
    fetch = statuses(*[NotFound] * 5, "COMPLETE")
    assert wait(fetch, clock, policy=PollPolicy(not_found_checks=5)).polls == 6


def test_one_not_found_too_many_is_raised() -> None:
    clock = FakeClock()
    with pytest.raises(NotFound):
        wait(statuses(*[NotFound] * 6, "COMPLETE"), clock, policy=PollPolicy(not_found_checks=5))


def test_a_successful_read_resets_the_not_found_count() -> None:
    clock = FakeClock()
    fetch = statuses(*[NotFound] * 5, "PROCESSING", *[NotFound] * 5, "COMPLETE")
    assert wait(fetch, clock, policy=PollPolicy(not_found_checks=5)).polls == 12


def test_status_case_is_ignored_and_an_unknown_status_is_an_error() -> None:
    clock = FakeClock()
    assert wait(statuses("processing", "complete"), clock).status == "COMPLETE"
    with pytest.raises(OrderError, match="unexpected status 'ARCHIVED'") as err:
        wait(statuses("PROCESSING", "archived"), clock)
    assert err.value.status == "ARCHIVED"


def test_progress_about_every_interval_while_pending_then_once_at_the_end() -> None:
    clock = FakeClock()
    reports: list[WaitProgress[str]] = []
    wait(until(clock, 200), clock, progress=reports.append)
    *pending, last = reports
    assert last.done and last.status == "COMPLETE" and last.value == "COMPLETE"
    assert last.elapsed == pytest.approx(clock.now - 1000.0)
    assert all(not r.done and r.status == "PROCESSING" for r in pending)
    first, *gaps = [b - a for a, b in pairwise([0.0] + [r.elapsed for r in pending])]
    # The wait wakes for each line (a poll then, so the line is fresh): about one interval apart
    # from the start, no gap skipped when a poll comes slightly early.
    assert 0.9 * PROGRESS_INTERVAL <= first <= 1.01 * PROGRESS_INTERVAL
    assert gaps and all(0.9 * PROGRESS_INTERVAL <= g <= 1.01 * PROGRESS_INTERVAL for g in gaps)
    assert [r.polls for r in reports] == sorted(r.polls for r in reports)


def test_a_quick_order_reports_only_its_end() -> None:
    clock = FakeClock()
    reports: list[WaitProgress[str]] = []
    wait(until(clock, 5), clock, progress=reports.append)
    assert [(r.done, r.status) for r in reports] == [(True, "COMPLETE")]


def test_no_end_report_when_the_wait_fails() -> None:
    clock = FakeClock()
    reports: list[WaitProgress[str]] = []
    with pytest.raises(OrderTimeout):
        wait(statuses("PROCESSING"), clock, timeout=70.0, progress=reports.append)
    assert reports and not any(r.done for r in reports)


def test_progress_interval_can_be_chosen() -> None:
    clock = FakeClock()
    reports: list[WaitProgress[str]] = []
    policy = PollPolicy(first_interval=1.0, factor=1.0, max_interval=1.0)
    wait(until(clock, 10), clock, policy=policy, progress=reports.append, progress_every=3.0)
    assert [r.elapsed for r in reports if not r.done] == [3.0, 6.0, 9.0]


def test_ticker_is_due_at_most_once_per_interval() -> None:
    clock = FakeClock()
    ticker = ProgressTicker(30.0, clock)
    due = []
    for _ in range(100):
        clock.sleep(1.0)
        due.append(ticker.due())
    assert [i + 1 for i, d in enumerate(due) if d] == [30, 60, 90]
    assert ticker.elapsed() == 100.0


def test_count_progress_paces_lines_and_closes_with_the_time_taken() -> None:
    clock = FakeClock(tick=1.0)  # every reading is one second later
    lines: list[str] = []
    counter = CountProgress(lines.append, "confirmed {done}/{total} numbers", 100, clock=clock)
    for done in range(1, 101):
        counter.update(done)
    counter.finish(100)
    assert lines[:-1] == [
        "confirmed 30/100 numbers",
        "confirmed 60/100 numbers, about 40 s left",
        "confirmed 90/100 numbers, about 10 s left",
    ]
    assert lines[-1] == "confirmed 100/100 numbers after 101 s"


def test_count_progress_says_how_long_is_left_at_the_pace_since_the_last_line() -> None:
    # A budget-bound bind: 800 at once, then 100 a minute. The first line's interval holds
    # the burst (it would promise seconds), so only later lines estimate, from the steady pace.
    clock = FakeClock(tick=0.0)
    lines: list[str] = []
    counter = CountProgress(lines.append, "bound {done}/{total}", 2000, clock=clock)
    counter.update(800)
    clock.sleep(30)
    counter.update(850)  # the first line: no estimate
    clock.sleep(30)
    counter.update(900)  # 50 in 30 s: 1100 left take 660 s
    assert lines == ["bound 850/2000", "bound 900/2000, about 11 min left"]


def test_count_progress_ends_each_line_with_the_batch_note_as_it_is_then() -> None:
    clock = FakeClock(tick=1.0)
    lines: list[str] = []
    resent = [0]

    def note() -> str:
        return f" ({resent[0]} sent again)"

    counter = CountProgress(lines.append, "bound {done}/{total}", 40, clock=clock, note=note)
    for done in range(1, 41):
        resent[0] += done % 10 == 0
        counter.update(done)
    counter.finish(40)
    assert lines == ["bound 30/40 (3 sent again)", "bound 40/40 after 41 s (4 sent again)"]


def test_count_progress_is_silent_for_a_handful_of_numbers() -> None:
    clock = FakeClock(tick=60.0)
    lines: list[str] = []
    counter = CountProgress(lines.append, "{done}/{total}", BULK_PROGRESS_MIN, clock=clock)
    for done in range(1, BULK_PROGRESS_MIN + 1):
        counter.update(done)
    counter.finish(BULK_PROGRESS_MIN)
    assert lines == []


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.04, "0.0 s"), (1.25, "1.2 s"), (9.94, "9.9 s"), (42.4, "42 s")]
)
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text
