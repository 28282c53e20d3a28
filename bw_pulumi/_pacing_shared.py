"""Token buckets shared by every process of one user on one machine, through locked files.

Bandwidth counts a budget per account, not per process: ten CI jobs running ``pulumi up`` at
once on one runner are ten provider processes spending one ``/applications`` budget of 1
request a second (bandwidth-api.md 9). Each process pacing only itself would send ten requests
in the first second and be answered 429 nine times. A bucket kept in a small file, read and
written under an exclusive ``flock``, makes them take turns instead: the waits are what the
budget demands, and the 429s that remain come from elsewhere (another machine, a person).

A file holds one bucket: ``<tokens> <wall-clock instant>``. Tokens are reserved under the lock
(the count may go negative: that many reservations are waiting) and the wait is taken after
the lock is released, exactly as the in-process bucket does. Wall-clock time, because
monotonic clocks are not comparable across processes everywhere. Where file locks are missing
(Windows) or the directory cannot be written, pacing stays per process.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: per-process pacing only
    fcntl = None  # type: ignore[assignment]

__all__ = ["DIR_ENV", "SharedBucket", "pacing_dir"]

#: Where the bucket files live; ``off`` keeps pacing per process. Default: the user's cache
#: directory (``$XDG_CACHE_HOME`` or ``~/.cache``), ``bw-pulumi/pacing``.
DIR_ENV = "BW_PULUMI_PACING_DIR"
#: Bucket files untouched this long are removed when a process first paces (a budget of an
#: emulator long gone, say); a live budget's file is rewritten on every request.
STALE_SECONDS = 86_400.0


def pacing_dir() -> Path | None:
    """The directory shared buckets live in, or ``None`` when pacing stays per process."""
    if fcntl is None:
        return None
    configured = os.environ.get(DIR_ENV, "").strip()
    if configured.lower() in ("off", "0", "false", "no"):
        return None
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(cache) / "bw-pulumi" / "pacing"


def bucket_path(directory: Path, name: str, scope: str, rate: float, burst: int) -> Path:
    """One file per budget, API origin, account and rate; the account is hashed, not shown."""
    digest = hashlib.sha256(f"{scope}\n{rate!r}\n{burst}".encode()).hexdigest()[:20]
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
    return directory / f"{safe}-{digest}"


def prune(directory: Path, now: float) -> None:
    """Remove bucket files nobody has used for :data:`STALE_SECONDS` (best effort)."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if now - entry.stat().st_mtime > STALE_SECONDS:
                entry.unlink()
        except OSError:
            continue


class SharedBucket:
    """A token bucket in ``path``; :meth:`take` blocks until this caller's token is due."""

    def __init__(self, path: Path, rate_per_second: float, burst: int) -> None:
        self.path = path
        self.rate = rate_per_second
        self.burst = max(1, burst)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.reserve()  # fails here, not mid-run, when the file cannot be locked
        self.release()

    def take(self) -> float:
        """Reserve one token; returns the seconds waited for it."""
        if self.burst == 1:
            return self._take_when_due()
        wait = self.reserve()
        if wait > 0:
            time.sleep(wait)
        return wait

    def _take_when_due(self) -> float:
        """A budget of one request at a time (``/applications``) is claimed when due, never
        ahead: a process that wakes late on a busy machine then moves the next turn back.
        Turns reserved ahead would each keep their instant, so a late send bunches with the
        next one and Bandwidth answers 429."""
        waited = 0.0
        while True:
            with self._locked() as fd:
                tokens, stamp = self._refilled(fd)
                if tokens >= 1.0 - 1e-9:
                    _write(fd, tokens - 1.0, stamp)
                    return waited
                due = (1.0 - tokens) / self.rate
            time.sleep(due)
            waited += due

    def reserve(self) -> float:
        """Reserve one token under the file's lock; returns how long until it is due."""
        with self._locked() as fd:
            tokens, stamp = self._refilled(fd)
            tokens -= 1.0
            _write(fd, tokens, stamp)
        return 0.0 if tokens >= 0 else -tokens / self.rate

    def _refilled(self, fd: int) -> tuple[float, float]:
        """The locked file's tokens refilled to now, and the instant to stamp them with."""
        now = time.time()
        tokens, updated = _parse(os.pread(fd, 64, 0), self.burst, now)
        # A clock stepped back must not mint tokens: never count time before ``updated``.
        return min(self.burst, tokens + max(0.0, now - updated) * self.rate), max(now, updated)

    def release(self) -> None:
        """Give back one reserved token (the probe made when the bucket is opened)."""
        with self._locked() as fd:
            tokens, updated = _parse(os.pread(fd, 64, 0), self.burst, time.time())
            _write(fd, min(self.burst, tokens + 1.0), updated)

    @contextmanager
    def _locked(self) -> Iterator[int]:
        """The bucket file, open and exclusively locked until the block ends."""
        assert fcntl is not None
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            os.close(fd)  # releases the lock


def _parse(raw: bytes, burst: int, now: float) -> tuple[float, float]:
    """A file's ``tokens instant``; a new or unreadable file is a full bucket."""
    try:
        tokens_text, updated_text = raw.decode("ascii").split()
        return float(tokens_text), float(updated_text)
    except (UnicodeDecodeError, ValueError):
        return float(burst), now


def _write(fd: int, tokens: float, updated: float) -> None:
    data = f"{tokens!r} {updated!r}".encode("ascii").ljust(64)
    os.pwrite(fd, data, 0)
