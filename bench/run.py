"""Drive the flagship stack through up, a no-op up, refresh and destroy, measuring each phase.

Two layouts of the same stack: ``bulk`` is the flagship as shipped (one PhoneNumberBindings),
``per-number`` binds each number with its own PhoneNumber (what the bulk resource replaces). The
account also holds ``others`` numbers the stack does not own, in service and bound to another
application, so every list the provider reads pages through more than the stack's numbers.
Two drivers run the same commands: ``automation`` (an inline program; the default rows) and
``cli`` (a project directory and the plain ``pulumi`` command, as a user types it).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import phonenumbers

from bw_pulumi.clients.catapult import CatapultClient

from .floors import Pacing, floor_seconds
from .inline import InlineStack
from .plain import CliStack
from .programs import LAYOUTS
from .services import REPO, EmulatorProcess, MemorySampler

__all__ = ["LAYOUTS", "PhaseResult", "Variant", "numbers", "run_poll_study", "run_size"]

POLL_ROUTES = ("GET dashboard.imports.get", "GET dashboard.removals.get")
ORDER_ROUTES = ("POST dashboard.imports.create", "POST dashboard.removals.create")
#: The discard port: order callbacks fail fast instead of waiting on a time-out.
CALLBACK_URL = "http://127.0.0.1:9/bandwidth/callbacks"
#: The other numbers of the account come from another area code than the stack's.
OTHERS_AREA = "984"
#: The emulator's one Site, where the v2 layout's Location goes.
V2_SITE_ID = "14"


@dataclass(frozen=True)
class Variant:
    """How a size is run: the stack's layout, the engine's checkpoints, and the driver."""

    layout: str = "bulk"
    skip_checkpoints: bool = False
    driver: str = "automation"

    @property
    def engine(self) -> str:
        return "skip-checkpoints" if self.skip_checkpoints else "default"


class _Stack(Protocol):
    def configure(self, config: dict[str, str], secrets: dict[str, str]) -> None: ...
    def phase(self, name: str) -> float: ...
    def last_changes(self) -> dict[str, Any]: ...


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
    layout: str = "bulk"
    others: int = 0
    driver: str = "automation"

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


def seed_others(emu: EmulatorProcess, count: int) -> None:
    """``count`` numbers the stack does not own: in service on the account and bound on the
    Catapult user to another application. Seeded before the budgets are set, so the stack's
    run starts with Catapult's full burst."""
    if count <= 0:
        return
    tns = numbers(count, area=OTHERS_AREA)
    emu.control.numbers(in_service=tns)
    a = emu.accounts
    client = CatapultClient(emu.base_url, a.user_id, a.api_token, a.api_secret, pacing=False)
    try:
        app_id = client.create_application(
            {"name": "bench-other-numbers", "incomingMessageUrl": CALLBACK_URL}
        )
        with ThreadPoolExecutor(max_workers=16) as pool:
            for _ in pool.map(
                lambda tn: client.import_number(
                    "+1" + tn,
                    app_id,
                    account_id=a.account_id,
                    username=a.username,
                    password=a.password,
                ),
                tns,
            ):
                pass
    finally:
        client.transport.close()


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
    stack: _Stack,
    log: Callable[[str], None],
    variant: Variant,
) -> PhaseResult:
    """One phase: wall time, requests by route, 429s, polls and the provider's peak RSS."""
    before = emu.control.stats()
    with MemorySampler() as mem:
        wall = stack.phase(phase)
    routes, n429 = _delta(before, emu.control.stats())
    changes = {k: int(v) for k, v in stack.last_changes().items()}
    res = PhaseResult(
        phase=phase,
        n=n,
        processing_s=pacing.processing_s,
        wall_s=round(wall, 2),
        floor_s=round(floor_seconds(phase, n, pacing, variant.layout), 2),
        requests=routes,
        total_requests=sum(routes.values()),
        status_429=n429,
        orders=sum(routes.get(r, 0) for r in ORDER_ROUTES),
        polls=sum(routes.get(r, 0) for r in POLL_ROUTES),
        peak_rss_mb=round(mem.peak_bytes / 2**20, 1) if mem.seen else None,
        resource_changes=changes,
        engine=variant.engine,
        layout=variant.layout,
        others=pacing.others,
        driver=variant.driver,
    )
    ratio = f"{res.ratio:.2f}x" if res.ratio else "-"
    log(
        f"  [{variant.layout}, {variant.engine}, {variant.driver}] N={n:<5} {phase:<8} "
        f"{res.wall_s:8.1f}s  floor {res.floor_s:6.1f}s  {ratio:>6}  "
        f"{res.total_requests} requests, {n429} 429s, {res.polls} polls/{res.orders} orders, "
        f"peak RSS {res.peak_rss_mb} MB, changes {changes}"
    )
    return res


def _stack(
    emu: EmulatorProcess, root: Path, bin_dir: Path, n: int, scale: float, variant: Variant
) -> _Stack:
    v2 = variant.layout == "v2"
    # The current platform's Location must be in an existing Site: the emulator's one, "14".
    provider = emu.stack_config(oauth=v2)
    config = {
        "bw-bench:numbers": json.dumps(numbers(n)),
        "bw-bench:siteId": V2_SITE_ID if v2 else "1001",
        "bw-bench:callbackUrl": CALLBACK_URL,
        "bw-bench:waitTimeout": "900",
        **{k: v for k, v in provider.items() if not k.endswith(("password", "Secret"))},
    }
    secrets = {k: v for k, v in provider.items() if k.endswith(("password", "Secret"))}
    # The provider process inherits the CLI's environment: it paces to the scaled budgets.
    env = {"BW_PULUMI_RATE_SCALE": str(scale)}
    if variant.layout == "null":  # its provider is pickled by reference to bench.null_provider
        env["PYTHONPATH"] = str(REPO)
    if variant.skip_checkpoints:
        env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    driver = CliStack if variant.driver == "cli" else InlineStack
    stack: _Stack = driver(root, bin_dir, variant.layout, env)
    stack.configure(config, secrets)
    return stack


def run_size(
    n: int,
    pacing: Pacing,
    bin_dir: Path,
    log: Callable[[str], None],
    phases: Iterable[str] = ("up", "noop", "refresh", "destroy"),
    variant: Variant = Variant(),
) -> list[PhaseResult]:
    """One fresh emulator and stack; the phases in order (a failing command raises with the
    tail of its output)."""
    if variant.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {variant.layout!r}")
    results: list[PhaseResult] = []
    with (
        tempfile.TemporaryDirectory(prefix="bw-bench-") as tmp,
        EmulatorProcess(pacing.processing_s) as emu,
    ):
        seed_others(emu, pacing.others)
        emu.pace(pacing.latency_s * 1000, pacing.scale)
        stack = _stack(emu, Path(tmp), bin_dir, n, pacing.scale, variant)
        for phase in phases:
            results.append(_measure(phase, n, pacing, emu, stack, log, variant))
    return results


def run_poll_study(
    n: int,
    seconds: Iterable[float],
    pacing: Pacing,
    bin_dir: Path,
    log: Callable[[str], None],
) -> list[PhaseResult]:
    """``up`` alone at each processing time: polls per order should grow with its logarithm."""
    out: list[PhaseResult] = []
    for p in seconds:
        paced = Pacing(pacing.latency_s, p, pacing.scale, pacing.others)
        out += run_size(n, paced, bin_dir, log, phases=("up",))
    return out
