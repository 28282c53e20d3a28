"""The fault soak (issue #15): the flagship project through the plain CLI, behind a fault proxy.

Per seed: an emulator on 127.0.0.1 (in this process), a seeded random fault proxy in front of it
(:mod:`bench.fault_proxy`), and a new stack of the repository's root project (``Pulumi.yaml``),
or with ``--platform v2`` of the current platform's flagship (``examples/hosted_messaging_v2``,
OAuth2; :mod:`bench.soak_v2`; the default ``both`` alternates, odd seeds Catapult), driven with
the plain ``pulumi`` CLI as a user types it, every ``bandwidth:*Url`` pointing at the proxy:
``up``, ``refresh``, ``pulumi config set numbers`` (one number added, one dropped) and ``up``,
``destroy``. A step that fails is run again, as a user
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

The pieces: :mod:`bench.soak_cli` (the plain CLI and its transcripts), :mod:`bench.soak_seed`
(one seed's steps), :mod:`bench.soak_checks` (what is counted) and :mod:`bench.soak_report`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from scripts import pulumi_offline as _offline

from .fault_proxy import KINDS, Kind
from .soak_checks import Attempt, SeedResult, order_replay
from .soak_cli import REPO
from .soak_report import coverage, seed_line, table
from .soak_seed import Options, run_seed
from .soak_v2 import PLATFORMS

__all__ = [
    "Attempt",
    "SeedResult",
    "main",
    "order_replay",
    "parser",
    "run_seed",
]

INSTALL_SCRIPT = REPO / "scripts" / "install-pulumi"
LANGUAGE_HOST = "pulumi-language-python"


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
    p.add_argument(
        "--platform",
        choices=PLATFORMS,
        default="both",
        help="catapult: the root project (Catapult flagship); v2: examples/hosted_messaging_v2 "
        "(Location, Messaging-V2, OAuth2); both (default): odd seeds catapult, even seeds v2",
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


def _options(args: argparse.Namespace) -> Options:
    kinds = _kinds(args.kinds)
    if args.seeds < 1 or args.max_reruns < 0 or args.numbers < 2:
        raise SystemExit("scripts/soak: --seeds >= 1, --max-reruns >= 0, --numbers >= 2")
    if not 0.0 <= args.fault_rate <= 1.0 or args.max_delay <= 0:
        raise SystemExit("scripts/soak: --fault-rate between 0 and 1, --max-delay > 0")
    return Options(
        fault_rate=args.fault_rate,
        kinds=kinds,
        max_delay=args.max_delay,
        max_reruns=args.max_reruns,
        numbers=args.numbers,
        processing_seconds=args.processing_seconds,
        log_dir=args.log_dir,
        platform=args.platform,
    )


def _say(line: str) -> None:
    print(line, flush=True)


def _run_seeds(
    args: argparse.Namespace, opts: Options, bin_dir: Path, say: Callable[[str], None]
) -> list[SeedResult] | None:
    """Every seed's result, each reported as it ends; ``None`` when interrupted."""
    results: list[SeedResult] = []
    for seed in range(args.seed_start, args.seed_start + args.seeds):
        try:
            result = run_seed(seed, opts, bin_dir, say)
        except KeyboardInterrupt:
            say(f"soak: interrupted in seed {seed}; its transcript is in {args.log_dir}")
            return None
        results.append(result)
        say(seed_line(result))
        for problem in result.problems:
            say(f"  seed {seed}: {problem}")
        for attempt in result.single_fault_failures:
            say(f"    faults: {'; '.join(attempt.faults) or 'none'}")
            say(f"    errors: {' | '.join(attempt.errors) or '-'}")
        for item in result.redundant:
            say(f"  seed {seed}: (redundant, not a failure) {item}")
    return results


def _summarize(
    args: argparse.Namespace,
    opts: Options,
    command: str,
    results: list[SeedResult],
    elapsed: float,
    say: Callable[[str], None],
) -> list[int]:
    """The closing report (and the JSON file); the seeds that failed."""
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
                    "kinds": list(opts.kinds),
                    "seconds": round(elapsed, 1),
                    "seeds": [r.to_json() for r in results],
                },
                indent=2,
            )
        )
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # SIGTERM unwinds like Ctrl-C: the running command is killed, the stack file removed.
    signal.signal(signal.SIGTERM, _interrupt)
    command = shlex.join(["scripts/soak", *(sys.argv[1:] if argv is None else argv)])
    opts = _options(args)
    bin_dir = _cli_bin_dir()
    args.log_dir.mkdir(parents=True, exist_ok=True)
    say = _say
    say(
        f"soak: {args.seeds} seed(s) from {args.seed_start}, {args.fault_rate:.0%} of requests "
        f"faulted ({', '.join(opts.kinds)}), up to {args.max_reruns} re-run(s) per step, "
        f"platform {args.platform}"
    )
    started = time.monotonic()
    results = _run_seeds(args, opts, bin_dir, say)
    if results is None:
        return 130
    failed = _summarize(args, opts, command, results, time.monotonic() - started, say)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
