"""Bulk per-number work inside one provider call: a bounded pool and count lines.

The engine runs at most 4 provider calls at once (pulumi-dynamic-providers.md 1.9), so a resource
that owns many numbers does its own fan-out: up to :data:`BULK_CONCURRENCY` requests per API at a
time, each still paced by the client (Catapult's number-import bucket: burst 800, then 100/min).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .._progress import carrying_urn
from .._progress import say as log
from .._wait import CountProgress

__all__ = ["BULK_CONCURRENCY", "Batch", "run_many"]

T = TypeVar("T")

#: Requests in flight per API inside one provider call.
BULK_CONCURRENCY = 16


@dataclass
class Batch(Generic[T]):
    """What a bulk run did: a result per item that worked, the exception of each that did not."""

    done: dict[str, T] = field(default_factory=dict)
    failed: dict[str, Exception] = field(default_factory=dict)


def run_many(
    work: Callable[[str], T],
    items: Sequence[str],
    template: str,
    *,
    emit: Callable[[str], None] = log,
    clock: Callable[[], float] = time.monotonic,
    note: Callable[[], str] = str,
) -> Batch[T]:
    """``work`` on every item, :data:`BULK_CONCURRENCY` at a time; every item is attempted.

    ``template`` (with ``{done}`` and ``{total}``) is a count line about every 30 s and at the
    end, each ending with ``note()``. Exceptions are collected per item, never raised here: the
    caller decides what a failure means (compensate, or record it) once it knows everything
    that happened.
    """
    batch: Batch[T] = Batch()
    if not items:
        return batch
    progress = CountProgress(emit, template, len(items), clock=clock, note=note)
    carried = carrying_urn(work)  # the workers' lines (resends, retries) name the same resource
    with ThreadPoolExecutor(max_workers=min(BULK_CONCURRENCY, len(items))) as pool:
        futures = {pool.submit(carried, item): item for item in items}
        for count, future in enumerate(as_completed(futures), start=1):
            item = futures[future]
            try:
                batch.done[item] = future.result()
            except Exception as exc:  # collected; the caller re-raises bugs
                batch.failed[item] = exc
            progress.update(count)
    progress.finish(len(items))
    return batch
