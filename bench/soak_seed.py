"""One seed of the soak: an emulator, a fault proxy before it, the stack's steps through the CLI."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bw_pulumi.emulator import Emulator

from .fault_proxy import DISRUPTIVE, Fault, FaultPlan, FaultProxy, Kind, fault_proxy
from .soak_checks import (
    Attempt,
    SeedResult,
    check_holdings,
    e164,
    left_behind,
    order_replay,
    request_pattern,
    settled,
)
from .soak_cli import REPO, Cli, Run
from .soak_v2 import V2_PROJECT, V2_SECRET_KEYS, check_holdings_v2, seed_platform, v2_config

__all__ = ["Options", "pick_numbers", "run_seed"]

#: Callbacks and inbound messages go to the discard port: they fail fast, never through the proxy.
HOOK_URL = "http://127.0.0.1:9/bandwidth/orders"
SECRET_KEYS = frozenset({"bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken"})


@dataclass(frozen=True)
class Options:
    fault_rate: float
    kinds: tuple[Kind, ...]
    max_delay: float
    max_reruns: int
    numbers: int
    processing_seconds: float
    log_dir: Path
    #: ``catapult``, ``v2`` or ``both`` (odd seeds Catapult, even seeds v2).
    platform: str = "catapult"


def pick_numbers(seed: int, count: int) -> tuple[list[str], list[str]]:
    """``count`` numbers for the first ``up``, and the list after one is dropped and one added."""
    rng = random.Random(f"numbers|{seed}")
    pool = rng.sample(range(100, 1000), count + 1)
    first = [f"919555{line:04d}" for line in pool[:count]]
    dropped = rng.choice(first)
    second = [tn for tn in first if tn != dropped] + [f"919555{pool[count]:04d}"]
    return first, second


def _config_json(tns: Sequence[str]) -> str:
    return json.dumps([e164(tn) for tn in tns])


@contextmanager
def _stack(cli: Cli) -> Iterator[Cli]:
    cli.ok("login", cli.backend.as_uri())
    cli.ok("stack", "init", cli.stack)
    try:
        yield cli
    finally:
        cli.stack_file().unlink(missing_ok=True)


def run_seed(seed: int, opts: Options, bin_dir: Path, say: Callable[[str], None]) -> SeedResult:
    """One seed, start to end; an unexpected error is recorded as a problem of the seed."""
    result = SeedResult(seed, platform=seed_platform(seed, opts.platform))
    started = time.monotonic()
    transcript: list[str] = []
    try:
        _run_seed(result, opts, bin_dir, say, transcript)
    except Exception as exc:  # the soak goes on with the next seed
        result.errors.append(f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        result.seconds = round(time.monotonic() - started, 1)
        log_file = opts.log_dir / f"seed-{seed}.log"
        log_file.write_text("\n".join(transcript))
        result.log = str(log_file)
    return result


def _run_seed(
    result: SeedResult,
    opts: Options,
    bin_dir: Path,
    say: Callable[[str], None],
    transcript: list[str],
) -> None:
    plan = FaultPlan(result.seed, opts.fault_rate, opts.kinds, max_delay=opts.max_delay)
    with (
        Emulator(processing_seconds=opts.processing_seconds) as emu,
        fault_proxy(emu.base_url, plan) as proxy,
        tempfile.TemporaryDirectory(prefix="bw-soak-") as tmp,
    ):
        stack = f"soak-{result.seed}-{os.urandom(3).hex()}"
        project = V2_PROJECT if result.platform == "v2" else REPO
        cli = Cli(bin_dir, Path(tmp), stack, transcript.append, project)
        try:
            _Steps(result, opts, emu, proxy, cli, say, transcript).run()
        finally:
            result.requests = proxy.requests
            result.faults = dict(Counter(f.kind for f in proxy.faults()))
            result.faulted_requests = dict(
                Counter(request_pattern(f) for f in proxy.faults() if f.kind in DISRUPTIVE)
            )


@dataclass
class _Steps:
    """The stack's steps for one seed, each re-run after a failure and checked after success."""

    result: SeedResult
    opts: Options
    emu: Emulator
    proxy: FaultProxy
    cli: Cli
    say: Callable[[str], None]
    transcript: list[str]

    @property
    def settle_limit(self) -> float:
        return self.opts.processing_seconds * 3 + 10.0

    def run(self) -> None:
        first, second = pick_numbers(self.result.seed, self.opts.numbers)
        cli, stack, result = self.cli, self.cli.stack, self.result
        with _stack(cli):
            config = {
                **self.provider_config(),
                "numbers": _config_json(first),
                "siteId": "14",
                "callbackUrl": HOOK_URL,
                "messageUrl": HOOK_URL,
            }
            secret = SECRET_KEYS | V2_SECRET_KEYS
            flags = [
                f"--{'secret' if key in secret else 'plaintext'}={key}={value}"
                for key, value in config.items()
            ]
            cli.ok("config", "set-all", "--stack", stack, *flags)
            ok = self.step("up", "up", set(first))
            ok = ok and self.step("refresh", "refresh", set(first))
            if ok:
                cli.ok("config", "set", "--stack", stack, "numbers", _config_json(second))
                self.step("change", "up", set(second))
            if self.step("destroy", "destroy", None):
                cli.ok("stack", "rm", "--yes", "--stack", stack)
            else:
                result.left += left_behind(settled(self.emu, self.settle_limit))
            result.duplicates, result.redundant = order_replay(settled(self.emu, self.settle_limit))

    def provider_config(self) -> dict[str, str]:
        """The ``bandwidth:*`` config of the seed's platform, every URL through the proxy."""
        if self.result.platform == "v2":
            return v2_config(self.emu, self.proxy)
        return {
            **self.emu.stack_config(),
            "bandwidth:dashboardUrl": self.proxy.dashboard_url,
            "bandwidth:catapultUrl": self.proxy.catapult_url,
        }

    def step(self, name: str, command: str, wanted: set[str] | None) -> bool:
        """Run ``pulumi <command>``, again after a failure (at most ``max_reruns`` times);
        check the emulator after the run that succeeds."""
        proxy = self.proxy
        for attempt in range(1, self.opts.max_reruns + 2):
            mark, sent = len(proxy.faults()), proxy.requests
            run = self.cli.stack_cmd(command)
            faults = proxy.faults(mark)
            disruptive = sum(1 for f in faults if f.kind in DISRUPTIVE)
            self.result.attempts.append(
                Attempt(
                    name,
                    attempt,
                    run.returncode,
                    round(run.seconds, 1),
                    proxy.requests - sent,
                    [f.describe() for f in faults],
                    disruptive,
                    [] if run.returncode == 0 else run.error_lines(),
                )
            )
            self.transcript.append(_fault_lines(name, attempt, proxy.requests - sent, faults))
            if run.returncode == 0:
                self.verify(name, run, wanted)
                return True
            why = "; ".join(run.error_lines(2)) or run.output[-300:]
            self.say(
                f"  seed {self.result.seed}: {name} attempt {attempt} failed after {disruptive} "
                f"disruptive fault(s): {why}"
            )
        self.result.failed_steps.append(name)
        return False

    def verify(self, name: str, run: Run, wanted: set[str] | None) -> None:
        result = self.result
        state = settled(self.emu, self.settle_limit)  # directly, never through the proxy
        if wanted is None:
            result.left += left_behind(state)
            return
        check = check_holdings_v2 if result.platform == "v2" else check_holdings
        lost, missing, stray = check(state, self.cli.outputs(), wanted, name)
        result.lost += lost
        result.missing += missing
        result.stray += stray
        if name == "refresh":
            changed = {k: v for k, v in run.summary().items() if k != "unchanged"}
            if changed:
                result.drift.append(f"{name} reported {changed} with nothing changed")


def _fault_lines(step: str, attempt: int, requests: int, faults: list[Fault]) -> str:
    head = f"[soak] {step} attempt {attempt}: {requests} requests, {len(faults)} fault(s)"
    return "\n".join([head, *(f"[soak]   {f.at:7.2f}s {f.describe()}" for f in faults)])
