"""``python -m bench.many_stacks``: many stacks on one account, as a team's CI runs them.

K stacks (each its own import order, application and bindings of N numbers) run ``pulumi up``
at the same moment through the plain CLI, then ``destroy`` at the same moment, against one
emulator enforcing Bandwidth's real budgets (API doc 9: number imports 100/min with a burst of
800, ``/applications`` 1 request a second; no scaling). Each provider process is its own, as in
CI; they share nothing but the account and the user's pacing directory.

Target: every ``up`` and ``destroy`` passes the first time, and the total wall time is within
1.3x of the account-budget floor. Per phase that floor is the larger of one stack's floor
(:func:`bench.floors.floor_seconds`) and what the account's budgets allow all K stacks: one
``/applications`` request each (the create's POST, the destroy's DELETE) at 1 a second, and
the number imports beyond the burst at 100 a minute.

No provider can send before the engine asks it to, and K plain-CLI runs on one machine take
a while to get there: each ``pulumi`` command spends about a CPU-second of its own (the
passphrase's key derivation, the language host's ``pip`` queries, the program and the provider
process starting), so on 2 cores ten of them reach their first provider call seconds in. The
baseline measures that moment, the engine start ``E``: the same K stacks on a provider that
does no work (:mod:`bench.null_provider`) note when the application-shaped resource is first
asked for. A row passes when every run passed first time, nothing was left, and
``up + destroy <= 1.3 x (floor_up + floor_destroy) + E_up + E_destroy``: the 1.3x applies to
the budget alone, and the engine's start is allowed once, as the single-stack targets allow the
engine its seconds (bench/README.md). The plain ratio to the floor is printed beside it.

The result replaces the "Many stacks, one account" section of bench/RESULTS.md (between its
markers, which ``python -m bench`` keeps) and goes to bench/results/many_stacks.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .floors import APPLICATIONS_PER_SECOND, IMPORTS_BURST, IMPORTS_PER_MINUTE, Pacing
from .floors import floor_seconds as one_stack_floor
from .null_provider import CALL_LOG_ENV
from .plain import CliStack
from .report import machine
from .run import CALLBACK_URL, numbers
from .services import EmulatorProcess, find_cli_bin_dir

__all__ = [
    "SECTION_END",
    "SECTION_START",
    "account_floor",
    "kept_section",
    "main",
    "section",
]

HERE = Path(__file__).resolve().parent
SECTION_START = "<!-- many-stacks: written by python -m bench.many_stacks -->"
SECTION_END = "<!-- /many-stacks -->"
TARGET_RATIO = 1.3
_SECRET_KEYS = ("password", "Secret")


def account_floor(phase: str, stacks: int, n: int, pacing: Pacing) -> float:
    """The wall-time floor of ``phase`` for ``stacks`` stacks of ``n`` numbers on one account."""
    applications = stacks / APPLICATIONS_PER_SECOND  # one POST (up) or DELETE (destroy) each
    imports = max(0, stacks * n - IMPORTS_BURST) / (IMPORTS_PER_MINUTE / 60.0)
    budget = applications + (imports if phase == "up" else 0.0)
    return max(one_stack_floor(phase, n, pacing), budget)


@dataclass
class PhaseRun:
    phase: str
    wall_s: float
    floor_s: float
    passed: int
    failed: list[str]
    status_429: int
    application_requests: int


@dataclass
class Row:
    stacks: int
    n: int
    driver: str
    up: PhaseRun
    destroy: PhaseRun
    left_behind: dict[str, int]
    #: The same stacks' up and destroy at once on a provider that does no work: what the
    #: engine, K CLI processes and their providers cost on this machine with requests free.
    baseline_s: tuple[float, float] | None = None
    #: In that baseline, when the first application-shaped resource was asked for, from each
    #: phase's start: the earliest any provider could spend the budget (the engine start).
    engine_start_s: tuple[float, float] | None = None

    @property
    def wall_s(self) -> float:
        return self.up.wall_s + self.destroy.wall_s

    @property
    def ratio(self) -> float:
        return self.wall_s / (self.up.floor_s + self.destroy.floor_s)

    @property
    def limit_s(self) -> float:
        """1.3x the budget floor, plus the engine start once measured (without: none)."""
        engine = sum(self.engine_start_s) if self.engine_start_s else 0.0
        return TARGET_RATIO * (self.up.floor_s + self.destroy.floor_s) + engine

    @property
    def passed(self) -> bool:
        first_time = not self.up.failed and not self.destroy.failed
        return first_time and not any(self.left_behind.values()) and self.wall_s <= self.limit_s

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        engine = (
            f" + engine start {self.engine_start_s[0]:.1f}s + {self.engine_start_s[1]:.1f}s"
            if self.engine_start_s
            else " (engine start not measured)"
        )
        return (
            f"{verdict}  {self.stacks} stacks x {self.n} numbers, plain CLI, at once on one "
            f"account: up {self.up.passed}/{self.stacks} first time in {self.up.wall_s:.1f}s "
            f"(floor {self.up.floor_s:.1f}s), destroy {self.destroy.passed}/{self.stacks} in "
            f"{self.destroy.wall_s:.1f}s (floor {self.destroy.floor_s:.1f}s); total "
            f"{self.wall_s:.1f}s, limit {self.limit_s:.1f}s = {TARGET_RATIO}x the floors"
            f"{engine}; {self.ratio:.2f}x the floor alone; 429s "
            f"{self.up.status_429 + self.destroy.status_429}; left behind {self.left_behind}"
            + (
                f"; baseline (no requests) up {self.baseline_s[0]:.1f}s, destroy "
                f"{self.baseline_s[1]:.1f}s"
                if self.baseline_s
                else ""
            )
        )


def _stacks(
    emu: EmulatorProcess, root: Path, count: int, n: int, env: dict[str, str], layout: str = "bulk"
) -> list[CliStack]:
    bin_dir = find_cli_bin_dir()
    tns = numbers(count * n)
    creds = emu.stack_config()
    secrets = {k: v for k, v in creds.items() if k.endswith(_SECRET_KEYS)}
    out = []
    for i in range(count):
        stack = CliStack(root / f"stack-{i:02d}", bin_dir, layout, env)
        config = {
            "bw-bench:numbers": json.dumps(tns[i * n : (i + 1) * n]),
            "bw-bench:siteId": "1001",
            "bw-bench:callbackUrl": CALLBACK_URL,
            "bw-bench:applicationName": f"bench-stack-{i:02d}",
            "bw-bench:waitTimeout": "900",
            **{k: v for k, v in creds.items() if k not in secrets},
        }
        stack.configure(config, secrets)
        out.append(stack)
    return out


def _at_once(stacks: list[CliStack], command: str) -> tuple[float, list[str]]:
    """``pulumi <command>`` in every stack at the same moment; wall time and failures."""
    failures: list[str] = []
    lock = threading.Lock()

    def one(i: int, stack: CliStack) -> None:
        try:
            stack.run(command, "--yes", "--skip-preview")
        except RuntimeError as exc:
            errors = [ln.strip() for ln in str(exc).splitlines() if "error" in ln.lower()]
            with lock:
                failures.append(f"stack-{i:02d}: " + (errors[-1] if errors else str(exc)[:200]))

    threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(stacks)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start, sorted(failures)


def _phase(
    emu: EmulatorProcess, stacks: list[CliStack], phase: str, n: int, pacing: Pacing
) -> PhaseRun:
    before = emu.control.stats()
    wall, failures = _at_once(stacks, phase)
    after = emu.control.stats()
    apps = sum(
        v - before["requests"].get(k, 0)
        for k, v in after["requests"].items()
        if k.split(" ", 1)[-1].startswith("catapult.applications.")
    )
    return PhaseRun(
        phase=phase,
        wall_s=round(wall, 1),
        floor_s=round(account_floor(phase, len(stacks), n, pacing), 1),
        passed=len(stacks) - len(failures),
        failed=failures,
        status_429=after["status"].get("429", 0) - before["status"].get("429", 0),
        application_requests=apps,
    )


def run_row(
    count: int,
    n: int,
    pacing: Pacing,
    log: Callable[[str], None] = print,
    *,
    shared: bool = True,
) -> Row:
    """One emulator at Bandwidth's real budgets; ``count`` stacks up, then destroyed, at once.
    ``shared=False`` makes each provider process pace only itself (the comparison)."""
    with (
        tempfile.TemporaryDirectory(prefix="bw-many-") as tmp,
        EmulatorProcess(pacing.processing_s) as emu,
    ):
        root = Path(tmp)
        # The user's pacing directory, private to this run so no earlier run's budget counts.
        env = {"BW_PULUMI_PACING_DIR": str(root / "pacing") if shared else "off"}
        stacks = _stacks(emu, root, count, n, env)
        emu.pace(pacing.latency_s * 1000, 1.0)
        up = _phase(emu, stacks, "up", n, pacing)
        log(f"  {count} stacks: up {up}")
        destroy = _phase(emu, stacks, "destroy", n, pacing)
        log(f"  {count} stacks: destroy {destroy}")
        emu.control.limits()
        return Row(count, n, "cli", up, destroy, _left_behind(emu.control.state()))


def run_baseline(
    count: int, n: int, log: Callable[[str], None] = print
) -> tuple[tuple[float, float], tuple[float, float]]:
    """``count`` stacks of the same graph on the no-work provider (:mod:`bench.null_provider`),
    up then destroy at once: the engine's and the machine's share of the rows' wall time. Returns
    the phases' wall times and their engine starts (when the first application-shaped resource
    was asked for, from the phase's start)."""
    with (
        tempfile.TemporaryDirectory(prefix="bw-many-null-") as tmp,
        EmulatorProcess(0.0) as emu,  # for the stacks' config only: nothing calls it
    ):
        calls = Path(tmp) / "calls.log"
        # The provider is pickled by reference: the repository goes on its PYTHONPATH.
        env = {"PYTHONPATH": str(HERE.parent), CALL_LOG_ENV: str(calls)}
        stacks = _stacks(emu, Path(tmp), count, n, env, layout="null")
        started = time.time()
        up, up_failed = _at_once(stacks, "up")
        between = time.time()
        destroy, destroy_failed = _at_once(stacks, "destroy")
        noted = [line.split() for line in calls.read_text().splitlines()]
    if up_failed or destroy_failed:
        raise RuntimeError(f"the baseline failed: {up_failed + destroy_failed}")
    first = {
        call: min(float(at) for kind, at in noted if kind == call) - since
        for call, since in (("create", started), ("delete", between))
    }
    log(
        f"  {count} stacks, baseline: up {up:.1f}s (engine start {first['create']:.1f}s), "
        f"destroy {destroy:.1f}s (engine start {first['delete']:.1f}s)"
    )
    return (round(up, 1), round(destroy, 1)), (
        round(first["create"], 1),
        round(first["delete"], 1),
    )


def _left_behind(state: dict[str, Any]) -> dict[str, int]:
    """What the emulator still holds after every destroy: should be nothing."""
    keys = ("applications", "phone_numbers", "in_service", "subscriptions")
    return {k: len(state.get(k) or []) for k in keys}


def section(rows: list[Row], meta: dict[str, Any]) -> str:
    """The RESULTS.md section, between its markers."""
    body = [
        SECTION_START,
        "## Many stacks, one account",
        "",
        f"Command: `{meta['command']}`  ",
        f"Date: {meta['date']}; machine: {meta['machine']['cpus']} cores, Pulumi CLI "
        f"{meta['cli']}; emulator at Bandwidth's real budgets (imports 100/min, burst 800; "
        f"`/applications` 1/s), latency {meta['latency_ms']:g} ms/request, order processing "
        f"{meta['processing_s']:g} s. Each stack: its own order, application and bindings; "
        "all `up`s at once through the plain CLI, then all `destroy`s at once.",
        "",
        "The limit is 1.3x the two budget floors plus the engine start of each phase: when the "
        "same stacks on a provider that does no work were first asked for their application "
        "(the earliest any provider could spend the budget; see the module's docstring). The "
        "ratio is the wall time over the floors alone.",
        "",
        "| stacks | N each | up wall (s) | up floor (s) | destroy wall (s) | destroy floor (s) "
        "| engine start up / destroy (s) | total (s) | limit (s) | ratio to floors "
        "| first-time passes | 429s | /applications requests | baseline up / destroy (s) "
        "| result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        body.append(
            f"| {r.stacks} | {r.n} | {r.up.wall_s:.1f} | {r.up.floor_s:.1f} | "
            f"{r.destroy.wall_s:.1f} | {r.destroy.floor_s:.1f} | {_pair(r.engine_start_s)} | "
            f"{r.wall_s:.1f} | {r.limit_s:.1f} | {r.ratio:.2f} | "
            f"up {r.up.passed}/{r.stacks}, destroy {r.destroy.passed}/{r.stacks} | "
            f"{r.up.status_429 + r.destroy.status_429} | "
            f"{r.up.application_requests + r.destroy.application_requests} | "
            f"{_pair(r.baseline_s)} | "
            f"{'PASS' if r.passed else 'FAIL'} |"
        )
    body += ["", *(f"- {r.line()}" for r in rows), "", SECTION_END]
    return "\n".join(body)


def _pair(seconds: tuple[float, float] | None) -> str:
    return f"{seconds[0]:.1f} / {seconds[1]:.1f}" if seconds else "-"


def publish(text: str, results_md: Path = HERE / "RESULTS.md") -> None:
    """Put ``text`` in place of the section in RESULTS.md, or at its end."""
    old = results_md.read_text() if results_md.exists() else ""
    pattern = re.compile(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), re.S)
    new = pattern.sub(lambda _m: text, old) if pattern.search(old) else old.rstrip() + "\n\n" + text
    results_md.write_text(new.rstrip() + "\n")


def kept_section(results_md: Path) -> str:
    """The section as RESULTS.md holds it now ("" if none): ``python -m bench`` rewrites the
    file and keeps this section, whose rows only this module runs."""
    old = results_md.read_text() if results_md.exists() else ""
    found = re.search(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), old, re.S)
    return found.group(0) if found else ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.many_stacks", description=__doc__)
    p.add_argument("--stacks", default="10,20", help="comma-separated stack counts")
    p.add_argument("--numbers", type=int, default=10, help="numbers per stack")
    p.add_argument("--latency-ms", type=float, default=20.0)
    p.add_argument("--processing-seconds", type=float, default=2.0)
    p.add_argument("--no-publish", action="store_true", help="leave bench/RESULTS.md as it is")
    p.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the no-work provider's run (then no engine start is allowed for)",
    )
    p.add_argument(
        "--per-process-pacing",
        action="store_true",
        help="each provider paces only itself (BW_PULUMI_PACING_DIR=off): the comparison",
    )
    args = p.parse_args(argv)
    pacing = Pacing(args.latency_ms / 1000, args.processing_seconds, 1.0)
    rows = []
    for count in [int(x) for x in args.stacks.split(",") if x.strip()]:
        print(f"{count} stacks x {args.numbers} numbers:", flush=True)
        rows.append(run_row(count, args.numbers, pacing, shared=not args.per_process_pacing))
        if not args.no_baseline:
            rows[-1].baseline_s, rows[-1].engine_start_s = run_baseline(count, args.numbers)
        print(rows[-1].line(), flush=True)
    cli = subprocess.run(
        [str(find_cli_bin_dir() / "pulumi"), "version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    meta = {
        "command": "python -m bench.many_stacks " + " ".join(argv or sys.argv[1:]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "cli": cli,
        "latency_ms": args.latency_ms,
        "processing_s": args.processing_seconds,
    }
    (HERE / "results").mkdir(exist_ok=True)
    payload = {
        **meta,
        "rows": [
            asdict(r) | {"ratio": r.ratio, "limit_s": r.limit_s, "passed": r.passed} for r in rows
        ],
    }
    (HERE / "results" / "many_stacks.json").write_text(json.dumps(payload, indent=2) + "\n")
    if not args.no_publish:
        publish(section(rows, meta))
    print()
    for r in rows:
        print(r.line())
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
