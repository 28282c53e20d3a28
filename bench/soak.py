"""The fault soak (issue #15): the flagship project through the plain CLI, behind a fault proxy.

Per seed: an emulator on 127.0.0.1 (in this process), a seeded random fault proxy in front of it
(:mod:`bench.fault_proxy`), and a new stack of the repository's root project (``Pulumi.yaml``)
driven with the plain ``pulumi`` CLI as a user types it, ``bandwidth:dashboardUrl`` and
``bandwidth:catapultUrl`` pointing at the proxy: ``up``, ``refresh``, ``pulumi config set numbers``
(one number added, one dropped) and ``up``, ``destroy``. A step that fails is run again, as a user
would, at most ``--max-reruns`` times. After each successful step the emulator is checked
directly (never through the proxy); at the end its order history is replayed for duplicates.

Counted per seed: re-runs and the faults that struck each failed attempt (a failure with at most
one disruptive fault is a bug: creates, removals and reads survive one fault), objects left after
``destroy``, duplicate orders (two orders that both imported the same number while it was held),
numbers lost (wanted by the stack but not in service and bound after a successful step), objects
the stack does not know of (strays) or knows of but the emulator lacks (missing), and changes a
refresh reports when nothing changed. The exit status is 1 when any of them is off.

``scripts/soak --help`` lists the options. A seed takes about 40 s (2 cores), so the default
``--seeds 20`` takes about 14 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bw_pulumi.emulator import Emulator
from scripts import pulumi_offline as _offline

from .fault_proxy import DISRUPTIVE, KINDS, Fault, FaultPlan, Kind, fault_proxy

__all__ = [
    "Attempt",
    "SeedResult",
    "main",
    "order_replay",
    "parser",
    "run_seed",
]

REPO = Path(__file__).resolve().parents[1]
INSTALL_SCRIPT = REPO / "scripts" / "install-pulumi"
LANGUAGE_HOST = "pulumi-language-python"
PASSPHRASE = "bw-pulumi-soak"  # protects throwaway stacks only
#: One CLI command may take this long before the soak kills it (counted as a failed attempt).
COMMAND_TIMEOUT = 600.0
#: Callbacks and inbound messages go to the discard port: they fail fast, never through the proxy.
HOOK_URL = "http://127.0.0.1:9/bandwidth/orders"
SECRET_KEYS = frozenset({"bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken"})
PENDING_ORDER = frozenset({"RECEIVED", "PROCESSING"})
TERMINAL_ORDER = frozenset({"COMPLETE", "PARTIAL", "FAILED", "EXCEPTION"})
#: A user's shell has none of these (the test runner's may).
_SUMMARY_LINE = re.compile(r"^\s*[+~\-]?\s*(\d+) (to [a-z]+|[a-z]+)", re.M)


# -- the plain CLI --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished CLI command: what the user saw."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def summary(self) -> dict[str, int]:
        """The last ``Resources:`` block, e.g. ``{"unchanged": 6}`` (the operation's, not the
        preview's)."""
        block = self.output.rsplit("Resources:", 1)[-1].split("Duration:", 1)[0]
        return {what.removeprefix("to "): int(n) for n, what in _SUMMARY_LINE.findall(block)}

    def error_lines(self, limit: int = 6) -> list[str]:
        """The lines a user reads to learn what failed."""
        found = [
            line.strip()
            for line in self.output.splitlines()
            if "error:" in line.lower() or "Error:" in line
        ]
        return list(dict.fromkeys(found))[:limit]


class Cli:
    """``pulumi`` in the repository root for one stack; every command goes to ``transcript``."""

    def __init__(self, bin_dir: Path, root: Path, stack: str, transcript: Callable[[str], None]):
        self.env = _offline.user_shell_env(bin_dir, root / "pulumi-home", PASSPHRASE)
        self.stack = stack
        self.transcript = transcript
        self.backend = root / "backend"
        self.backend.mkdir(parents=True, exist_ok=True)

    def __call__(self, *args: str) -> Run:
        started = time.monotonic()
        proc = subprocess.Popen(
            ["pulumi", *args],
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # on a time-out the plugin and language host go too
        )
        try:
            stdout, stderr = proc.communicate(timeout=COMMAND_TIMEOUT)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            stderr += f"\n[soak: killed after {COMMAND_TIMEOUT:g} s]"
            code = -9
        except BaseException:  # Ctrl-C or SIGTERM: the command and its plugins end with us
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        run = Run(tuple(args), code, stdout, stderr, time.monotonic() - started)
        head = f"$ pulumi {shlex.join(args)}  (exit {code}, {run.seconds:.1f} s)"
        self.transcript(f"{head}\n{run.output}")
        return run

    def ok(self, *args: str) -> Run:
        run = self(*args)
        if run.returncode != 0:
            raise RuntimeError(
                f"`pulumi {shlex.join(args)}` exited {run.returncode}:\n{run.output}"
            )
        return run

    def stack_cmd(self, command: str, *args: str) -> Run:
        return self(command, "--stack", self.stack, "--yes", *args)

    def outputs(self) -> dict[str, Any]:
        run = self.ok("stack", "output", "--json", "--stack", self.stack)
        result: dict[str, Any] = json.loads(run.stdout)
        return result

    def stack_file(self) -> Path:
        return REPO / f"Pulumi.{self.stack}.yaml"


# -- what the soak counts ------------------------------------------------------------------


@dataclass
class Attempt:
    """One run of one step."""

    step: str
    attempt: int
    returncode: int
    seconds: float
    requests: int
    faults: list[str]
    disruptive: int
    errors: list[str]


@dataclass
class SeedResult:
    seed: int
    seconds: float = 0.0
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    #: Disruptive faults per request pattern (``"POST /api/accounts/{id}/importTnOrders"``).
    faulted_requests: dict[str, int] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    redundant: list[str] = field(default_factory=list)
    #: Errors of the soak itself (a command that must not fail did, say): the seed fails.
    errors: list[str] = field(default_factory=list)
    log: str = ""

    @property
    def reruns(self) -> int:
        return sum(1 for a in self.attempts if a.attempt > 1)

    @property
    def single_fault_failures(self) -> list[Attempt]:
        """Failed attempts that at most one disruptive fault struck: each one is a bug."""
        return [a for a in self.attempts if a.returncode != 0 and a.disruptive <= 1]

    @property
    def problems(self) -> list[str]:
        found = [
            f"{a.step} attempt {a.attempt} failed with {a.disruptive} disruptive fault(s)"
            for a in self.single_fault_failures
        ]
        found += [f"{step} never succeeded" for step in self.failed_steps]
        found += [f"soak error: {error}" for error in self.errors]
        for name in ("left", "duplicates", "lost", "missing", "stray", "drift"):
            found += [f"{name}: {item}" for item in getattr(self, name)]
        return found

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            reruns=self.reruns,
            single_fault_failures=len(self.single_fault_failures),
            problems=self.problems,
        )
        return data


def order_replay(state: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Duplicate and redundant orders, from the emulator's orders replayed in the order they
    finished: ``(duplicates, redundant)``.

    A duplicate is an import order that imported a number another import order had already
    imported, with no removal in between (both did the work). A redundant order did nothing:
    a removal whose numbers were all gone already (5158); it is reported, not a failure.
    """
    events: list[tuple[float, str, str, str, list[str], list[str]]] = []
    for kind in ("import_orders", "remove_orders"):
        for order in state.get(kind, []):
            ended = [h["at"] for h in order.get("history", []) if h["status"] in TERMINAL_ORDER]
            if not ended:
                continue
            failed = {tn for e in order.get("errors", []) for tn in e["telephone_numbers"]}
            tns = sorted(order["telephone_numbers"])
            done = [tn for tn in tns if tn not in failed]
            events.append((min(ended), kind, order["id"], order["status"], tns, done))
    events.sort()
    held: dict[str, str] = {}
    duplicates: list[str] = []
    redundant: list[str] = []
    for _at, kind, order_id, status, tns, done in events:
        if kind == "import_orders":
            again = [tn for tn in done if tn in held]
            if again:
                earlier = sorted({held[tn] for tn in again})
                duplicates.append(
                    f"import order {order_id} ({status}) imported {', '.join(again)} already "
                    f"imported by {', '.join(earlier)}"
                )
            held.update(dict.fromkeys(done, order_id))
        else:
            if not done:
                redundant.append(
                    f"removal order {order_id} ({status}) for {', '.join(tns)}: all already gone"
                )
            for tn in done:
                held.pop(tn, None)
    return duplicates, redundant


def _settled(emu: Emulator, limit: float) -> dict[str, Any]:
    """The emulator's state once no order is pending (or after ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        state: dict[str, Any] = emu.control.state()
        orders = state["import_orders"] + state["remove_orders"]
        if not any(o["status"] in PENDING_ORDER for o in orders) or time.monotonic() > deadline:
            return state
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _e164(tn: str) -> str:
    return "+1" + tn


def check_holdings(
    state: dict[str, Any], outputs: dict[str, Any], wanted: set[str], step: str
) -> tuple[list[str], list[str], list[str]]:
    """``(lost, missing, stray)`` after a successful step: every wanted number in service and
    bound to the stack's application; the stack's objects on the emulator; nothing else there."""
    app_id = outputs.get("application_id")
    sub_id = outputs.get("subscription_id")
    in_service = set(state["in_service"])
    bound = {n["number"]: n for n in state["phone_numbers"]}
    lost = [
        f"after {step}: {tn} "
        + ("not in service" if tn not in in_service else f"not bound to application {app_id}")
        for tn in sorted(wanted)
        if tn not in in_service or bound.get(_e164(tn), {}).get("application_id") != app_id
    ]
    missing: list[str] = []
    sub_ids = {s["id"] for s in state["subscriptions"]}
    app_ids = {a["id"] for a in state["applications"]}
    if sub_id not in sub_ids:
        missing.append(f"after {step}: subscription {sub_id} of the stack is not on the emulator")
    if app_id not in app_ids:
        missing.append(f"after {step}: application {app_id} of the stack is not on the emulator")
    held = set(outputs.get("imported_numbers") or ())
    if held != wanted:
        missing.append(
            f"after {step}: the stack holds {sorted(held)}, config wants {sorted(wanted)}"
        )
    ids = outputs.get("number_ids") or {}
    known = {n["id"] for n in state["phone_numbers"]}
    if len(ids) != len(wanted) or not set(ids.values()) <= known:
        missing.append(f"after {step}: binding ids in state {sorted(ids.values())} vs emulator")
    stray = [f"after {step}: subscription {s}" for s in sorted(sub_ids - {sub_id})]
    stray += [f"after {step}: application {a}" for a in sorted(app_ids - {app_id})]
    stray += [
        f"after {step}: binding of {n['number']} to {n['application_id']}"
        for n in state["phone_numbers"]
        if n["number"] not in {_e164(tn) for tn in wanted}
    ]
    stray += [f"after {step}: {tn} in service" for tn in sorted(in_service - wanted)]
    return lost, missing, stray


def left_behind(state: dict[str, Any]) -> list[str]:
    """Every object on the emulator after ``destroy``."""
    left = [f"subscription {s['id']}" for s in state["subscriptions"]]
    left += [f"application {a['id']}" for a in state["applications"]]
    left += [f"binding {n['id']} of {n['number']}" for n in state["phone_numbers"]]
    left += [f"{tn} in service" for tn in state["in_service"]]
    return left


# -- one seed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    fault_rate: float
    kinds: tuple[Kind, ...]
    max_delay: float
    max_reruns: int
    numbers: int
    processing_seconds: float
    log_dir: Path


def pick_numbers(seed: int, count: int) -> tuple[list[str], list[str]]:
    """``count`` numbers for the first ``up``, and the list after one is dropped and one added."""
    rng = random.Random(f"numbers|{seed}")
    pool = rng.sample(range(100, 1000), count + 1)
    first = [f"919555{line:04d}" for line in pool[:count]]
    dropped = rng.choice(first)
    second = [tn for tn in first if tn != dropped] + [f"919555{pool[count]:04d}"]
    return first, second


def _config_json(tns: Sequence[str]) -> str:
    return json.dumps([_e164(tn) for tn in tns])


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
    result = SeedResult(seed)
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
    seed = result.seed
    first, second = pick_numbers(seed, opts.numbers)
    plan = FaultPlan(seed, opts.fault_rate, opts.kinds, max_delay=opts.max_delay)
    settle_limit = opts.processing_seconds * 3 + 10.0
    with (
        Emulator(processing_seconds=opts.processing_seconds) as emu,
        fault_proxy(emu.base_url, plan) as proxy,
        tempfile.TemporaryDirectory(prefix="bw-soak-") as tmp,
    ):
        stack = f"soak-{seed}-{os.urandom(3).hex()}"
        cli = Cli(bin_dir, Path(tmp), stack, transcript.append)

        def step(name: str, command: str, wanted: set[str] | None) -> bool:
            """Run ``pulumi <command>``, again after a failure (at most ``max_reruns`` times);
            check the emulator after the run that succeeds."""
            for attempt in range(1, opts.max_reruns + 2):
                mark, sent = len(proxy.faults()), proxy.requests
                run = cli.stack_cmd(command)
                faults = proxy.faults(mark)
                disruptive = sum(1 for f in faults if f.kind in DISRUPTIVE)
                result.attempts.append(
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
                transcript.append(_fault_lines(name, attempt, proxy.requests - sent, faults))
                if run.returncode == 0:
                    verify(name, run, wanted)
                    return True
                why = "; ".join(run.error_lines(2)) or run.output[-300:]
                say(
                    f"  seed {seed}: {name} attempt {attempt} failed after {disruptive} "
                    f"disruptive fault(s): {why}"
                )
            result.failed_steps.append(name)
            return False

        def verify(name: str, run: Run, wanted: set[str] | None) -> None:
            state = _settled(emu, settle_limit)  # directly, never through the proxy
            if wanted is None:
                result.left += left_behind(state)
                return
            lost, missing, stray = check_holdings(state, cli.outputs(), wanted, name)
            result.lost += lost
            result.missing += missing
            result.stray += stray
            if name == "refresh":
                changed = {k: v for k, v in run.summary().items() if k != "unchanged"}
                if changed:
                    result.drift.append(f"{name} reported {changed} with nothing changed")

        try:
            with _stack(cli):
                config = {
                    **emu.stack_config(),
                    "bandwidth:dashboardUrl": proxy.dashboard_url,
                    "bandwidth:catapultUrl": proxy.catapult_url,
                    "numbers": _config_json(first),
                    "siteId": "14",
                    "callbackUrl": HOOK_URL,
                    "messageUrl": HOOK_URL,
                }
                flags = [
                    f"--{'secret' if key in SECRET_KEYS else 'plaintext'}={key}={value}"
                    for key, value in config.items()
                ]
                cli.ok("config", "set-all", "--stack", stack, *flags)
                ok = step("up", "up", set(first))
                ok = ok and step("refresh", "refresh", set(first))
                if ok:
                    cli.ok("config", "set", "--stack", stack, "numbers", _config_json(second))
                    step("change", "up", set(second))
                if step("destroy", "destroy", None):
                    cli.ok("stack", "rm", "--yes", "--stack", stack)
                else:
                    result.left += left_behind(_settled(emu, settle_limit))
                result.duplicates, result.redundant = order_replay(_settled(emu, settle_limit))
        finally:
            result.requests = proxy.requests
            result.faults = dict(Counter(f.kind for f in proxy.faults()))
            result.faulted_requests = dict(
                Counter(request_pattern(f) for f in proxy.faults() if f.kind in DISRUPTIVE)
            )


def _fault_lines(step: str, attempt: int, requests: int, faults: list[Fault]) -> str:
    head = f"[soak] {step} attempt {attempt}: {requests} requests, {len(faults)} fault(s)"
    return "\n".join([head, *(f"[soak]   {f.at:7.2f}s {f.describe()}" for f in faults)])


# -- the report ----------------------------------------------------------------------------


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
    rows = [list(_COLUMNS)] + [_row(str(r.seed), [r]) for r in results]
    rows.append(_row("total", results))
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


_MASKS = (
    (re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"), "{uuid}"),
    (re.compile(r"/(?:u-|a-|n-)[a-z0-9]+"), "/{id}"),
    (re.compile(r"/(?:%2B|\+)?1?\d{10}\b"), "/{tn}"),
    (re.compile(r"/accounts/\d+"), "/accounts/{id}"),
)


def request_pattern(fault: Fault) -> str:
    """The request a fault struck, ids and numbers masked: what the coverage table counts."""
    path = fault.path
    for pattern, mask in _MASKS:
        path = pattern.sub(mask, path)
    return f"{fault.method} {path}"


def coverage(results: Sequence[SeedResult]) -> str:
    """Disruptive faults per request pattern over every seed, most struck first."""
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.faulted_requests)
    width = max((len(k) for k in counts), default=0)
    return "\n".join(f"  {k.ljust(width)}  {n}" for k, n in counts.most_common())


def _seed_line(r: SeedResult) -> str:
    kinds = ", ".join(f"{k} {r.faults[k]}" for k in KINDS if r.faults.get(k))
    reruns = "; ".join(
        f"{a.step} #{a.attempt} after {a.disruptive} disruptive"
        for a in r.attempts
        if a.attempt > 1
    )
    return (
        f"seed {r.seed}: {r.seconds:.0f} s, {r.requests} requests, "
        f"{sum(r.faults.values())} faults ({kinds or 'none'}); re-runs {r.reruns}"
        f"{f' ({reruns})' if reruns else ''}; left {len(r.left)}, duplicates "
        f"{len(r.duplicates)}, lost {len(r.lost)}, missing {len(r.missing)}, stray "
        f"{len(r.stray)}, drift {len(r.drift)} -> {'FAIL' if r.problems else 'ok'}"
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scripts/soak",
        description="The fault soak: the flagship project through the plain pulumi CLI with a "
        "seeded fault proxy in front of the emulator (see the module docstring of bench/soak.py).",
    )
    p.add_argument("--seeds", type=int, default=20, help="how many seeds (default 20)")
    p.add_argument("--seed-start", type=int, default=1, help="first seed (default 1)")
    p.add_argument(
        "--fault-rate", type=float, default=0.10, help="share of requests faulted (default 0.10)"
    )
    p.add_argument(
        "--kinds",
        default=",".join(KINDS),
        help=f"fault kinds, equally likely (default all: {','.join(KINDS)})",
    )
    p.add_argument(
        "--max-delay", type=float, default=1.0, help="longest injected delay, s (default 1)"
    )
    p.add_argument("--max-reruns", type=int, default=3, help="re-runs of a failed step (default 3)")
    p.add_argument("--numbers", type=int, default=3, help="numbers in the stack (default 3)")
    p.add_argument(
        "--processing-seconds",
        type=float,
        default=1.0,
        help="emulator order processing time (default 1, the emulator's own default)",
    )
    home = Path(os.environ.get("BW_PULUMI_HOME") or REPO / ".bw-pulumi")
    p.add_argument(
        "--log-dir",
        type=Path,
        default=home / "soak",
        help="per-seed transcripts: every command, its output and the faults (default "
        "$BW_PULUMI_HOME/soak, else .bw-pulumi/soak)",
    )
    p.add_argument("--json", type=Path, help="also write the results here as JSON")
    return p


def _kinds(text: str) -> tuple[Kind, ...]:
    chosen = [k.strip() for k in text.split(",") if k.strip()]
    kinds = [k for k in KINDS if k in chosen]
    if len(kinds) != len(set(chosen)):
        raise SystemExit(f"scripts/soak: --kinds takes some of {','.join(KINDS)}")
    return tuple(kinds)


def _cli_bin_dir() -> Path:
    bin_dir, said = _offline.find_cli_bin_dir(INSTALL_SCRIPT)
    if bin_dir is None:
        raise SystemExit(
            f"scripts/soak: no Pulumi CLI; run scripts/install-pulumi ({said.strip()})"
        )
    if not (bin_dir / LANGUAGE_HOST).exists():
        raise SystemExit(f"scripts/soak: no {LANGUAGE_HOST} beside {bin_dir}")
    if not (REPO / ".venv" / "bin" / "python").exists():
        raise SystemExit("scripts/soak: the root project's .venv is missing: run scripts/setup")
    return bin_dir


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # SIGTERM unwinds like Ctrl-C: the running command is killed, the stack file removed.
    signal.signal(signal.SIGTERM, _interrupt)
    command = shlex.join(["scripts/soak", *(sys.argv[1:] if argv is None else argv)])
    kinds = _kinds(args.kinds)
    if args.seeds < 1 or args.max_reruns < 0 or args.numbers < 2:
        raise SystemExit("scripts/soak: --seeds >= 1, --max-reruns >= 0, --numbers >= 2")
    if not 0.0 <= args.fault_rate <= 1.0 or args.max_delay <= 0:
        raise SystemExit("scripts/soak: --fault-rate between 0 and 1, --max-delay > 0")
    bin_dir = _cli_bin_dir()
    args.log_dir.mkdir(parents=True, exist_ok=True)
    opts = Options(
        fault_rate=args.fault_rate,
        kinds=kinds,
        max_delay=args.max_delay,
        max_reruns=args.max_reruns,
        numbers=args.numbers,
        processing_seconds=args.processing_seconds,
        log_dir=args.log_dir,
    )

    def say(line: str) -> None:
        print(line, flush=True)

    seeds = range(args.seed_start, args.seed_start + args.seeds)
    say(
        f"soak: {args.seeds} seed(s) from {args.seed_start}, {args.fault_rate:.0%} of requests "
        f"faulted ({', '.join(kinds)}), up to {args.max_reruns} re-run(s) per step"
    )
    started = time.monotonic()
    results: list[SeedResult] = []
    for seed in seeds:
        try:
            result = run_seed(seed, opts, bin_dir, say)
        except KeyboardInterrupt:
            say(f"soak: interrupted in seed {seed}; its transcript is in {args.log_dir}")
            return 130
        results.append(result)
        say(_seed_line(result))
        for problem in result.problems:
            say(f"  seed {seed}: {problem}")
        for attempt in result.single_fault_failures:
            say(f"    faults: {'; '.join(attempt.faults) or 'none'}")
            say(f"    errors: {' | '.join(attempt.errors) or '-'}")
        for item in result.redundant:
            say(f"  seed {seed}: (redundant, not a failure) {item}")
    elapsed = time.monotonic() - started
    failed = [r.seed for r in results if r.problems]
    say("")
    say("disruptive faults by request:")
    say(coverage(results))
    say("")
    say(table(results))
    say("")
    say(
        f"{len(results)} seeds in {elapsed / 60:.1f} min ({elapsed / len(results):.0f} s per "
        f"seed); transcripts in {args.log_dir}"
    )
    say(f"command: {command}")
    say(f"FAIL: seeds {', '.join(map(str, failed))}" if failed else "PASS")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "command": command,
                    "fault_rate": args.fault_rate,
                    "kinds": list(kinds),
                    "seconds": round(elapsed, 1),
                    "seeds": [r.to_json() for r in results],
                },
                indent=2,
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
