"""Targets, the printed table, ``results/latest.json``, ``RESULTS.md`` and the time-vs-N chart."""

from __future__ import annotations

import itertools
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from .floors import Pacing, floor_seconds, request_budget
from .run import PhaseResult

__all__ = ["check_targets", "machine", "table", "write_all"]

HERE = Path(__file__).resolve().parent
UP_DESTROY_RATIO = 1.3
RSS_LIMIT_MB = 200.0
RATE_429_LIMIT = 0.01
TARGET_N = 1000

FORMULA = (
    "floor (s), with L = added latency, P = order processing time, c = 4 provider threads, "
    "k = 8 in-service look-ups fanned out inside one ImportTnOrder call, burst 800 and rate "
    "100/min x scale for number imports: up = 4L + P + ceil(N/k)L + max((N-800)+/rate, "
    "ceil(N/c)L); refresh = ceil((N+2)/c)L; destroy = ceil(N/c)L + 2L + P + ceil(N/k)L; "
    "no-op up = 0"
)


def machine() -> dict[str, Any]:
    return {
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def check_targets(
    main: Sequence[PhaseResult], polls: Sequence[PhaseResult]
) -> list[dict[str, Any]]:
    """PASS/FAIL per target; a target whose N was not run is reported as SKIP."""
    checks: list[dict[str, Any]] = []

    def add(name: str, ok: bool | None, detail: str) -> None:
        verdict = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        checks.append({"target": name, "result": verdict, "detail": detail})

    for engine in ("default", "skip-checkpoints"):
        big = {r.phase: r for r in main if r.n == TARGET_N and r.engine == engine}
        if engine != "default" and not big:
            continue
        for phase in ("up", "destroy"):
            r = big.get(phase)
            add(
                f"{phase} wall time <= {UP_DESTROY_RATIO}x floor at N={TARGET_N} "
                f"(engine: {engine})",
                None if r is None else (r.ratio or 0) <= UP_DESTROY_RATIO,
                "not run" if r is None else f"{r.wall_s}s vs floor {r.floor_s}s = {r.ratio:.2f}x",
            )
    for phase, text in (("up", "2.2N + 20"), ("refresh", "2.2N + 10")):
        rows = [r for r in main if r.phase == phase]
        budget_ok = all(r.total_requests <= (request_budget(phase, r.n) or 0) for r in rows)
        detail = ", ".join(
            f"N={r.n}{_tag(r)}: {r.total_requests} <= {request_budget(phase, r.n):.0f}"
            for r in rows
        )
        add(f"{phase} requests <= {text}", budget_ok if rows else None, detail or "not run")
    noop = [r for r in main if r.phase == "noop"]
    add(
        "no-op up makes no requests",
        all(r.total_requests == 0 for r in noop) if noop else None,
        ", ".join(f"N={r.n}{_tag(r)}: {r.total_requests}" for r in noop) or "not run",
    )
    total = sum(r.total_requests for r in (*main, *polls))
    n429 = sum(r.status_429 for r in (*main, *polls))
    add(
        "429s under 1% of requests",
        n429 / total < RATE_429_LIMIT if total else None,
        f"{n429} of {total} ({100 * n429 / max(total, 1):.2f}%)",
    )
    ups = sorted((r for r in polls if r.phase == "up"), key=lambda r: r.processing_s)
    if len(ups) >= 2:
        growth = [u.polls_per_order or 0 for u in ups]
        # Logarithmic: 10x the processing time adds a roughly constant number of polls, far
        # fewer than 10x the polls (linear polling would multiply them by 10).
        log_like = all(b <= a * 3 + 2 for a, b in itertools.pairwise(growth))
        add(
            "polls per order grow with log(processing time)",
            log_like and growth == sorted(growth),
            ", ".join(f"P={u.processing_s:g}s: {u.polls_per_order:g}" for u in ups),
        )
    else:
        add("polls per order grow with log(processing time)", None, "poll study skipped")
    rss = [r.peak_rss_mb for r in main if r.n == TARGET_N and r.peak_rss_mb is not None]
    add(
        f"provider peak RSS < {RSS_LIMIT_MB:g} MB at N={TARGET_N}",
        max(rss) < RSS_LIMIT_MB if rss else None,
        f"max {max(rss)} MB" if rss else "not run",
    )
    return checks


def _tag(r: PhaseResult) -> str:
    return "" if r.engine == "default" else f" ({r.engine})"


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(rows: Sequence[PhaseResult]) -> str:
    head = (
        "| N | engine | phase | P (s) | wall (s) | floor (s) | ratio | requests | 429s "
        "| polls/order | peak RSS (MB) |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r.n} | {r.engine} | {'no-op up' if r.phase == 'noop' else r.phase} "
            f"| {r.processing_s:g} "
            f"| {r.wall_s:.1f} | {r.floor_s:.1f} | {_fmt(r.ratio, '.2f')} | {r.total_requests} "
            f"| {r.status_429} | {_fmt(r.polls_per_order, '.1f')} | {_fmt(r.peak_rss_mb, '.0f')} |"
        )
    return "\n".join(lines)


def _endpoints(rows: Sequence[PhaseResult]) -> str:
    lines = ["| N | engine | phase | requests by endpoint |", "|---|---|---|---|"]
    for r in rows:
        by = ", ".join(f"{k}: {v}" for k, v in r.requests.items()) or "none"
        lines.append(f"| {r.n} | {r.engine} | {r.phase} | {by} |")
    return "\n".join(lines)


def chart(rows: Sequence[PhaseResult], pacing: Pacing, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    for phase, color in (("up", "C0"), ("refresh", "C1"), ("destroy", "C2"), ("noop", "C3")):
        pts = sorted((r.n, r.wall_s) for r in rows if r.phase == phase and r.engine == "default")
        if not pts:
            continue
        xs, ys = zip(*pts, strict=True)
        label = "no-op up" if phase == "noop" else phase
        ax.plot(xs, ys, "o-", color=color, label=f"{label} (measured)")
        if phase != "noop":
            ax.plot(
                xs,
                [floor_seconds(phase, x, pacing) for x in xs],
                "--",
                color=color,
                alpha=0.6,
                label=f"{label} floor",
            )
        fast = [(r.n, r.wall_s) for r in rows if r.phase == phase and r.engine != "default"]
        if fast:
            fx, fy = zip(*fast, strict=True)
            ax.plot(fx, fy, "^", color=color, label=f"{label} (skip checkpoints)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("numbers (N)")
    ax.set_ylabel("wall time (s)")
    ax.set_title(
        f"bw-pulumi through the Pulumi engine (L={pacing.latency_s * 1000:g} ms, "
        f"P={pacing.processing_s:g} s, budgets x{pacing.scale:g})",
        fontsize=9,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_all(
    main: Sequence[PhaseResult],
    polls: Sequence[PhaseResult],
    checks: list[dict[str, Any]],
    meta: dict[str, Any],
    pacing: Pacing,
    command: str,
    *,
    publish: bool,
) -> None:
    """Write ``results/``; with ``publish`` also the committed ``RESULTS.md`` and chart."""
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    payload = {
        **meta,
        "floor_formula": FORMULA,
        "phases": [r.to_json() for r in main],
        "poll_study": [r.to_json() for r in polls],
        "targets": checks,
    }
    (results / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    chart(main, pacing, results / "time_vs_n.png")
    if not publish:
        return
    chart(main, pacing, HERE / "time_vs_n.png")
    md = [
        "# Benchmark results (latest committed run)",
        "",
        f"Command: `{command}`  ",
        f"Date: {meta['date']}; machine: {meta['machine']['cpus']} cores, "
        f"{meta['machine']['memory_gb']} GB, Python {meta['machine']['python']}, "
        f"Pulumi CLI {meta['cli']}; pacing: latency {pacing.latency_s * 1000:g} ms/request, "
        f"order processing {pacing.processing_s:g} s, Catapult budgets x{pacing.scale:g}.",
        "",
        table(main),
        "",
        f"Note: {FORMULA}.",
        "",
        "## Poll study (up only)",
        "",
        table(polls) if polls else "skipped",
        "",
        "## Targets",
        "",
        "| target | result | measured |",
        "|---|---|---|",
        *(f"| {c['target']} | {c['result']} | {c['detail']} |" for c in checks),
        "",
        "## Requests by endpoint",
        "",
        _endpoints(main),
        "",
        "![time vs N](time_vs_n.png)",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(md))
