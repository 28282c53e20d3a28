"""Drive the flagship stack through up, a no-op up, refresh and destroy, measuring each phase."""

from __future__ import annotations

import importlib.util
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
from pulumi import automation as auto

from .floors import Pacing, floor_seconds
from .services import REPO, EmulatorProcess, MemorySampler, make_stack

__all__ = ["PhaseResult", "numbers", "run_poll_study", "run_size"]

PROGRAM_FILE = REPO / "examples" / "hosted_messaging" / "program.py"
POLL_ROUTES = ("GET dashboard.imports.get", "GET dashboard.removals.get")
ORDER_ROUTES = ("POST dashboard.imports.create", "POST dashboard.removals.create")
#: The discard port: order callbacks fail fast instead of waiting on a time-out.
CALLBACK_URL = "http://127.0.0.1:9/bandwidth/callbacks"


@dataclass
class PhaseResult:
    phase: str
    n: int
    processing_s: float
    wall_s: float
    floor_s: float
    requests: dict[str, int]
    total_requests: int
    status_429: int
    orders: int
    polls: int
    peak_rss_mb: float | None
    resource_changes: dict[str, int] = field(default_factory=dict)
    engine: str = "default"

    @property
    def ratio(self) -> float | None:
        return self.wall_s / self.floor_s if self.floor_s > 0 else None

    @property
    def polls_per_order(self) -> float | None:
        return self.polls / self.orders if self.orders else None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "polls_per_order": self.polls_per_order}


def numbers(n: int, area: str = "919") -> list[str]:
    """``n`` distinct valid NANP numbers (10 digits), the same on every run."""
    out: list[str] = []
    exchange, line = 201, 1000
    while len(out) < n:
        tn = f"{area}{exchange}{line:04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(tn, "US")):
            out.append(tn)
        line += 1
        if line > 9999:
            exchange, line = exchange + 1, 1000
    return out


def _program() -> Callable[[], None]:
    spec = importlib.util.spec_from_file_location("bw_bench_flagship", PROGRAM_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


def _delta(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, int], int]:
    routes = {
        k: v - before["requests"].get(k, 0)
        for k, v in after["requests"].items()
        if v - before["requests"].get(k, 0)
    }
    n429 = after["status"].get("429", 0) - before["status"].get("429", 0)
    return dict(sorted(routes.items())), n429


def _measure(
    phase: str,
    n: int,
    pacing: Pacing,
    emu: EmulatorProcess,
    action: Callable[[], Any],
    log: Callable[[str], None],
    engine: str,
) -> PhaseResult:
    before = emu.control.stats()
    with MemorySampler() as mem:
        start = time.monotonic()
        result = action()
        wall = time.monotonic() - start
    routes, n429 = _delta(before, emu.control.stats())
    changes = dict(getattr(getattr(result, "summary", None), "resource_changes", None) or {})
    res = PhaseResult(
        phase=phase,
        n=n,
        processing_s=pacing.processing_s,
        wall_s=round(wall, 2),
        floor_s=round(floor_seconds(phase, n, pacing), 2),
        requests=routes,
        total_requests=sum(routes.values()),
        status_429=n429,
        orders=sum(routes.get(r, 0) for r in ORDER_ROUTES),
        polls=sum(routes.get(r, 0) for r in POLL_ROUTES),
        peak_rss_mb=round(mem.peak_bytes / 2**20, 1) if mem.seen else None,
        resource_changes=changes,
        engine=engine,
    )
    ratio = f"{res.ratio:.2f}x" if res.ratio else "-"
    log(
        f"  [{engine}] N={n:<5} {phase:<8} {res.wall_s:8.1f}s  "
        f"floor {res.floor_s:6.1f}s  {ratio:>6}  "
        f"{res.total_requests} requests, {n429} 429s, {res.polls} polls/{res.orders} orders, "
        f"peak RSS {res.peak_rss_mb} MB, changes {changes}"
    )
    return res


def _stack(
    emu: EmulatorProcess,
    root: Path,
    bin_dir: Path,
    n: int,
    scale: float,
    engine_env: dict[str, str],
) -> auto.Stack:
    config = {
        "bw-bench:numbers": json.dumps(numbers(n)),
        "bw-bench:siteId": "1001",
        "bw-bench:callbackUrl": CALLBACK_URL,
        "bw-bench:waitTimeout": "900",
        **{k: v for k, v in emu.stack_config().items() if not k.endswith(("password", "Secret"))},
    }
    secrets = {k: v for k, v in emu.stack_config().items() if k.endswith(("password", "Secret"))}
    # The provider process inherits the CLI's environment: it paces to the scaled budgets.
    env = {"BW_PULUMI_RATE_SCALE": str(scale), **engine_env}
    return make_stack(_program(), root, bin_dir, config, secrets, env)


def _on_output(sink: list[str]) -> Callable[[str], None]:
    return sink.append


def run_size(
    n: int,
    pacing: Pacing,
    bin_dir: Path,
    log: Callable[[str], None],
    phases: Iterable[str] = ("up", "noop", "refresh", "destroy"),
    engine_env: dict[str, str] | None = None,
) -> list[PhaseResult]:
    """One fresh emulator and stack; the phases in order. Engine output is kept on failure."""
    results: list[PhaseResult] = []
    engine_log: list[str] = []
    out = _on_output(engine_log)
    with (
        tempfile.TemporaryDirectory(prefix="bw-bench-") as tmp,
        EmulatorProcess(pacing.processing_s) as emu,
    ):
        emu.pace(pacing.latency_s * 1000, pacing.scale)
        stack = _stack(emu, Path(tmp), bin_dir, n, pacing.scale, engine_env or {})
        actions: dict[str, Callable[[], Any]] = {
            "up": lambda: stack.up(on_output=out),
            "noop": lambda: stack.up(on_output=out),
            "refresh": lambda: stack.refresh(on_output=out),
            "destroy": lambda: stack.destroy(on_output=out),
        }
        try:
            for phase in phases:
                engine = "skip-checkpoints" if engine_env else "default"
                results.append(_measure(phase, n, pacing, emu, actions[phase], log, engine))
        except auto.errors.CommandError:
            log("\n".join(engine_log[-60:]))
            raise
    return results


def run_poll_study(
    n: int,
    seconds: Iterable[float],
    pacing: Pacing,
    bin_dir: Path,
    log: Callable[[str], None],
    engine_env: dict[str, str] | None = None,
) -> list[PhaseResult]:
    """``up`` alone at each processing time: polls per order should grow with its logarithm."""
    out: list[PhaseResult] = []
    for p in seconds:
        paced = Pacing(pacing.latency_s, p, pacing.scale)
        out += run_size(n, paced, bin_dir, log, phases=("up",), engine_env=engine_env)
    return out
