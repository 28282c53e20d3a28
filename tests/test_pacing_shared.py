"""The file-locked token buckets every process of one user shares (``_pacing_shared``)."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bw_pulumi import _pacing_shared as pacing_shared
from bw_pulumi._pacing import Budget, Pacer
from bw_pulumi._pacing_shared import DIR_ENV, STALE_SECONDS, SharedBucket, pacing_dir, prune


def test_the_directory_is_the_users_cache_unless_configured_or_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pacing_dir() == tmp_path / "bw-pulumi" / "pacing"
    monkeypatch.setenv(DIR_ENV, str(tmp_path / "elsewhere"))
    assert pacing_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(DIR_ENV, "off")
    assert pacing_dir() is None


def test_two_buckets_on_one_file_spend_one_budget(tmp_path: Path) -> None:
    # Two processes' buckets are two objects on one file: the second finds the burst spent.
    path = tmp_path / "b"
    first, second = SharedBucket(path, 10.0, 2), SharedBucket(path, 10.0, 2)
    assert first.reserve() == 0.0
    assert second.reserve() == 0.0
    assert second.reserve() == pytest.approx(0.1, abs=0.02)
    assert first.reserve() == pytest.approx(0.2, abs=0.02)


def test_a_clock_stepped_back_mints_no_tokens(tmp_path: Path) -> None:
    path = tmp_path / "b"
    bucket = SharedBucket(path, 1.0, 1)
    bucket.reserve()
    future = time.time() + 3600  # written by a process whose clock was an hour ahead
    path.write_bytes(f"{-1.0!r} {future!r}".encode().ljust(64))
    assert bucket.reserve() == pytest.approx(2.0, abs=0.05)


def test_one_at_a_time_turns_stay_a_full_interval_apart_when_senders_wake_late(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A busy machine: every other wake-up comes 60 ms late. Turns reserved ahead would let the
    # punctual sender go right after the late one; turns claimed when due keep them apart.
    late = iter([0.06, 0.0] * 50)
    slow = SimpleNamespace(time=time.time, sleep=lambda s: time.sleep(s + next(late)))
    monkeypatch.setattr(pacing_shared, "time", slow)
    path, interval = tmp_path / "b", 0.1
    claims: list[float] = []
    lock = threading.Lock()

    def sender() -> None:
        bucket = SharedBucket(path, 1 / interval, 1)
        for _ in range(4):
            bucket.take()
            with lock:
                claims.append(time.time())

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gaps = [b - a for a, b in itertools.pairwise(sorted(claims))]
    assert len(claims) == 12 and min(gaps) >= interval * 0.95, gaps


def test_a_pacer_given_a_scope_shares_its_bucket_through_the_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DIR_ENV, str(tmp_path))
    budget = Budget("apps", 1.0, 1)
    Pacer().take(budget, "https://api.example\nlogin")
    Pacer().take(budget, "https://api.example\nother-login")  # another account: its own
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(n.startswith("apps-") for n in names)
    assert not any("login" in n for n in names)


def test_files_unused_for_a_day_are_pruned(tmp_path: Path) -> None:
    old, fresh = tmp_path / "old", tmp_path / "fresh"
    old.write_bytes(b"1.0 0.0")
    fresh.write_bytes(b"1.0 0.0")
    stale = time.time() - STALE_SECONDS - 60
    os.utime(old, (stale, stale))
    prune(tmp_path, time.time())
    assert [p.name for p in tmp_path.iterdir()] == ["fresh"]
