"""The benchmark's command line, apart from the runner so it imports nothing heavy."""

from __future__ import annotations

import argparse

__all__ = ["is_full_run", "parser"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench", description="The bw-pulumi benchmark (see bench/README.md)."
    )
    p.add_argument(
        "--sizes",
        default="10,100,1000,5000",
        help="numbers per stack, flagship as shipped (one PhoneNumberBindings; comma-separated)",
    )
    p.add_argument(
        "--per-number-sizes",
        default="10,100,1000",
        help="numbers per stack with one PhoneNumber per number instead (comma-separated; "
        "empty skips them)",
    )
    p.add_argument(
        "--cli-sizes",
        default="1000",
        help="bulk sizes also run through the plain pulumi CLI on a project directory "
        "(comma-separated; empty skips them)",
    )
    p.add_argument(
        "--v2-sizes",
        default="1000",
        help="numbers per stack of the current platform's flagship (examples/"
        "hosted_messaging_v2: a Location, no per-number binding; comma-separated; empty skips)",
    )
    p.add_argument(
        "--baseline-sizes",
        default="1000",
        help="sizes also run on a provider that does no work, the same resource graph: what "
        "the engine and the provider process cost (comma-separated; empty skips them)",
    )
    p.add_argument(
        "--others",
        type=int,
        default=1000,
        help="numbers on the account the stack does not own (in service, bound elsewhere)",
    )
    p.add_argument(
        "--scale",
        type=float,
        default=10.0,
        help="multiplies Catapult's budgets in the emulator and the client pacing",
    )
    p.add_argument("--latency-ms", type=float, default=20.0, help="added latency per request")
    p.add_argument("--processing-seconds", type=float, default=2.0, help="order processing time")
    p.add_argument(
        "--skip-poll-study",
        action="store_true",
        help="skip the up-only runs at several processing times",
    )
    p.add_argument(
        "--poll-seconds",
        default="1,10,100",
        help="processing times of the poll study (comma-separated)",
    )
    p.add_argument("--poll-size", type=int, default=10, help="N of the poll study")
    p.add_argument(
        "--skip-checkpoints",
        choices=("never", "largest", "always"),
        default="never",
        help="also run with PULUMI_SKIP_CHECKPOINTS=true (state saved once per operation "
        "instead of after every step): never (default), for each layout's largest N, or for all",
    )
    p.add_argument(
        "--from-json",
        metavar="PATH",
        help="re-render the report of an earlier run (e.g. bench/results/latest.json) without "
        "running anything; floors are recomputed with --latency-ms/--scale",
    )
    return p


def is_full_run(args: argparse.Namespace) -> bool:
    """Only a run with every default refreshes the committed RESULTS.md and chart: a quick
    ``--sizes 10`` run must not overwrite the numbers the README quotes."""
    defaults = parser().parse_args([])
    return all(getattr(args, k) == v for k, v in vars(defaults).items() if k != "from_json")
