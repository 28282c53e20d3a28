"""run_many: every item attempted, failures collected per item, count lines paced by a clock."""

from __future__ import annotations

import threading

from bw_pulumi import _http
from bw_pulumi.errors import NotFound
from bw_pulumi.resources._bulk import BULK_CONCURRENCY, run_many


class HandClock:
    """Advances 10 s each time it is read: lines fall due without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += 10.0
            return self.now


def test_every_item_is_attempted_and_each_failure_is_kept_with_its_item() -> None:
    def work(item: str) -> int:
        if item.endswith("3"):
            raise NotFound("gone", status=404)
        return int(item)

    items = [str(n) for n in range(40)]
    batch = run_many(work, items, "{done}/{total}", emit=lambda _line: None)
    assert set(batch.failed) == {"3", "13", "23", "33"}
    assert all(isinstance(exc, NotFound) for exc in batch.failed.values())
    assert batch.done == {i: int(i) for i in items if not i.endswith("3")}


def test_count_lines_come_about_every_30_seconds_and_once_at_the_end() -> None:
    lines: list[str] = []
    run_many(
        str,
        [str(n) for n in range(12)],
        "bound {done}/{total}",
        emit=lines.append,
        clock=HandClock(),
    )
    assert lines[-1].startswith("bound 12/12 after ")
    assert 2 <= len(lines) <= 6  # one per 30 s of a clock that moves 10 s per count


def test_no_count_lines_for_a_handful_of_numbers() -> None:
    lines: list[str] = []
    run_many(str, ["1", "2"], "{done}/{total}", emit=lines.append)
    assert lines == []


def test_at_most_the_bounded_number_of_items_run_at_once() -> None:
    running, peak = 0, 0
    lock = threading.Lock()
    release = threading.Event()

    def work(_item: str) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            if running == BULK_CONCURRENCY:
                release.set()
        release.wait(10)
        with lock:
            running -= 1

    run_many(work, [str(n) for n in range(BULK_CONCURRENCY * 3)], "{done}", emit=lambda _l: None)
    assert peak == BULK_CONCURRENCY


def test_the_http_pool_keeps_a_connection_for_every_bulk_request_in_flight() -> None:
    # Fewer would open and discard a connection per request beyond the pool, every batch.
    assert _http.POOL_MAXSIZE >= BULK_CONCURRENCY
