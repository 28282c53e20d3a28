"""The soak's report: a line per seed, the table of counts and the faults by request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .fault_proxy import KINDS
from .soak_checks import SeedResult

__all__ = ["coverage", "seed_line", "table"]

_COLUMNS = (
    "seed",
    "time_s",
    "requests",
    "faults",
    *KINDS,
    "reruns",
    "single",
    "left",
    "dup",
    "lost",
    "missing",
    "stray",
    "drift",
    "result",
)


def _row(label: str, results: Sequence[SeedResult]) -> list[str]:
    faults: Counter[str] = Counter()
    for r in results:
        faults.update(r.faults)
    return [
        label,
        f"{sum(r.seconds for r in results):.0f}",
        str(sum(r.requests for r in results)),
        str(sum(faults.values())),
        *(str(faults[k]) for k in KINDS),
        str(sum(r.reruns for r in results)),
        str(sum(len(r.single_fault_failures) for r in results)),
        *(
            str(sum(len(getattr(r, name)) for r in results))
            for name in ("left", "duplicates", "lost", "missing", "stray", "drift")
        ),
        "ok" if not any(r.problems for r in results) else "FAIL",
    ]


def table(results: Sequence[SeedResult]) -> str:
    rows = [list(_COLUMNS)] + [_row(f"{r.seed} {r.platform}", [r]) for r in results]
    rows.append(_row("total", results))
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def coverage(results: Sequence[SeedResult]) -> str:
    """Disruptive faults per request pattern over every seed, most struck first."""
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.faulted_requests)
    width = max((len(k) for k in counts), default=0)
    return "\n".join(f"  {k.ljust(width)}  {n}" for k, n in counts.most_common())


def seed_line(r: SeedResult) -> str:
    kinds = ", ".join(f"{k} {r.faults[k]}" for k in KINDS if r.faults.get(k))
    reruns = "; ".join(
        f"{a.step} #{a.attempt} after {a.disruptive} disruptive"
        for a in r.attempts
        if a.attempt > 1
    )
    return (
        f"seed {r.seed} ({r.platform}): {r.seconds:.0f} s, {r.requests} requests, "
        f"{sum(r.faults.values())} faults ({kinds or 'none'}); re-runs {r.reruns}"
        f"{f' ({reruns})' if reruns else ''}; left {len(r.left)}, duplicates "
        f"{len(r.duplicates)}, lost {len(r.lost)}, missing {len(r.missing)}, stray "
        f"{len(r.stray)}, drift {len(r.drift)} -> {'FAIL' if r.problems else 'ok'}"
    )
