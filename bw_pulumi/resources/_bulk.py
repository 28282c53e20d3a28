"""Bulk per-number work inside one provider call: a bounded pool, count lines, in-service answers.

The engine runs at most 4 provider calls at once (pulumi-dynamic-providers.md 1.9), so a resource
that owns many numbers does its own fan-out: up to :data:`BULK_CONCURRENCY` requests per API at a
time, each still paced by the client (Catapult's number-import bucket: burst 800, then 100/min).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .._runtime import RUNTIME
from .._wait import CountProgress
from ..clients.dashboard import DEFAULT_IN_SERVICE_PAGE_SIZE, DashboardClient
from ..errors import Forbidden
from ._provider import log

__all__ = ["BULK_CONCURRENCY", "Batch", "in_service_many", "run_many"]

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
) -> Batch[T]:
    """``work`` on every item, :data:`BULK_CONCURRENCY` at a time; every item is attempted.

    ``template`` (with ``{done}`` and ``{total}``) is a count line about every 30 s and at the
    end. Exceptions are collected per item, never raised here: the caller decides what a
    failure means (compensate, or record it) once it knows everything that happened.
    """
    batch: Batch[T] = Batch()
    if not items:
        return batch
    progress = CountProgress(emit, template, len(items), clock=clock)
    with ThreadPoolExecutor(max_workers=min(BULK_CONCURRENCY, len(items))) as pool:
        futures = {pool.submit(work, item): item for item in items}
        for count, future in enumerate(as_completed(futures), start=1):
            item = futures[future]
            try:
                batch.done[item] = future.result()
            except Exception as exc:  # collected; the caller re-raises bugs
                batch.failed[item] = exc
            progress.update(count)
    progress.finish(len(items))
    return batch


def _raise_first(batch: Batch[T]) -> dict[str, T]:
    for exc in batch.failed.values():
        raise exc
    return batch.done


def _list_pages(client: DashboardClient) -> int | None:
    """Pages of the account's in-service list, or ``None`` when ``/totals`` is refused (a role
    the credentials lack, bandwidth-api.md 1.2: the per-number GETs may still be allowed)."""
    try:
        return math.ceil(client.in_service_total() / DEFAULT_IN_SERVICE_PAGE_SIZE)
    except Forbidden:
        return None


def in_service_many(
    client: DashboardClient, tns: Sequence[str], *, max_age: float | None = None
) -> dict[str, bool]:
    """In-service answers for 10-digit numbers, in as few Dashboard requests as it can.

    Cached answers (younger than ``max_age``) cost nothing. For the rest, listing the account's
    in-service numbers costs ``1 + pages`` requests (``/totals`` says how many pages), one GET
    per number costs one each: whichever is cheaper is used, and every answer is cached.
    """
    cache = RUNTIME.in_service  # the process's answers, shared with ImportTnOrder and PhoneNumber
    answers: dict[str, bool] = {}
    missing: list[str] = []
    for tn in dict.fromkeys(tns):
        cached = cache.get(client, tn, max_age)
        if cached is None:
            missing.append(tn)
        else:
            answers[tn] = cached
    pages = _list_pages(client) if len(missing) > 2 else None
    if pages is not None and 1 + pages < len(missing):
        listed = set(client.iter_in_service(page_size=DEFAULT_IN_SERVICE_PAGE_SIZE))
        for tn in missing:
            answers[tn] = tn in listed
            cache.put(client, tn, answers[tn])
        return answers
    looked_up = run_many(
        lambda tn: cache.lookup(client, tn, fresh=True),
        missing,
        "confirmed {done}/{total} numbers in service",
    )
    answers.update(_raise_first(looked_up))
    return answers
