"""``python -m bench``: the benchmark (see bench/README.md); ``--help`` lists the knobs."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli import is_full_run, parser
from .floors import Pacing, floor_seconds
from .report import check_targets, machine, table, write_all
from .run import PhaseResult, Variant, run_poll_study, run_size
from .services import find_cli_bin_dir


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def _reload(
    path: str, pacing: Pacing
) -> tuple[list[PhaseResult], list[PhaseResult], dict[str, Any]]:
    """Rows of an earlier run (floors recomputed with the current formula) and its metadata."""
    data = json.loads(Path(path).read_text())
    names = {f.name for f in dataclasses.fields(PhaseResult)}

    def rows(key: str) -> list[PhaseResult]:
        out = [PhaseResult(**{k: v for k, v in r.items() if k in names}) for r in data[key]]
        for r in out:
            paced = Pacing(pacing.latency_s, r.processing_s, pacing.scale, r.others)
            r.floor_s = round(floor_seconds(r.phase, r.n, paced, r.layout), 2)
        return out

    meta = {k: v for k, v in data.items() if k not in ("phases", "poll_study", "targets")}
    return rows("phases"), rows("poll_study"), meta


def _run_layouts(
    args: argparse.Namespace, pacing: Pacing, bin_dir: Path, log: Callable[[str], None]
) -> list[PhaseResult]:
    """Every size of each layout; with ``--skip-checkpoints`` also the engine without them;
    then the plain-CLI sizes (bulk), the current platform's flagship (v2), then the baseline
    (a provider that does no work)."""
    rows: list[PhaseResult] = []
    for layout, sizes in (("bulk", args.sizes), ("per-number", args.per_number_sizes)):
        ns = _ints(sizes)
        every = args.skip_checkpoints == "always"
        for n in ns:
            rows += run_size(n, pacing, bin_dir, log, variant=Variant(layout, every))
        if args.skip_checkpoints == "largest" and ns:
            rows += run_size(max(ns), pacing, bin_dir, log, variant=Variant(layout, True))
    for n in _ints(args.cli_sizes):
        rows += run_size(n, pacing, bin_dir, log, variant=Variant(driver="cli"))
    for n in _ints(args.v2_sizes):
        rows += run_size(n, pacing, bin_dir, log, variant=Variant("v2"))
    for n in _ints(args.baseline_sizes):
        rows += run_size(n, pacing, bin_dir, log, variant=Variant("null"))
    return rows


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.from_json:
        pacing = Pacing(args.latency_ms / 1000, args.processing_seconds, args.scale, args.others)
        old_rows, old_polls, meta = _reload(args.from_json, pacing)
        checks = check_targets(old_rows, old_polls)
        write_all(
            old_rows,
            old_polls,
            checks,
            meta,
            pacing,
            meta.get("command", "python -m bench"),
            publish=True,
        )
        _print(old_rows, old_polls, checks)
        return 0
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    pacing = Pacing(args.latency_ms / 1000, args.processing_seconds, args.scale, args.others)
    bin_dir = find_cli_bin_dir()
    cli = subprocess.run(
        [str(bin_dir / "pulumi"), "version"], capture_output=True, text=True, check=False
    ).stdout.strip()

    def log(line: str) -> None:
        print(line, flush=True)

    started = time.monotonic()
    log(f"bw-pulumi benchmark: Pulumi {cli}, {pacing}")
    main_rows = _run_layouts(args, pacing, bin_dir, log)
    poll_rows: list[PhaseResult] = []
    if not args.skip_poll_study:
        log("poll study (up only):")
        poll_rows = run_poll_study(args.poll_size, _floats(args.poll_seconds), pacing, bin_dir, log)
    checks = check_targets(main_rows, poll_rows)
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "cli": cli,
        "pacing": {
            "latency_ms": args.latency_ms,
            "processing_s": args.processing_seconds,
            "scale": args.scale,
            "others": args.others,
        },
        "skip_checkpoints": args.skip_checkpoints,
        "duration_s": round(time.monotonic() - started, 1),
    }
    meta["command"] = command
    publish = is_full_run(args)
    write_all(main_rows, poll_rows, checks, meta, pacing, command, publish=publish)
    _print(main_rows, poll_rows, checks)
    wrote = (
        "bench/results/latest.json, bench/RESULTS.md, bench/time_vs_n.png"
        if publish
        else "bench/results/ only (not a full default run: bench/RESULTS.md is left as it was)"
    )
    print(f"\nwrote {wrote} ({meta['duration_s']} s)")
    return 0


def _print(
    main_rows: list[PhaseResult], poll_rows: list[PhaseResult], checks: list[dict[str, Any]]
) -> None:
    print()
    print(table(main_rows))
    if poll_rows:
        print("\npoll study:\n" + table(poll_rows))
    print()
    for c in checks:
        print(f"{c['result']:4}  {c['target']}: {c['detail']}")


if __name__ == "__main__":
    sys.exit(main())
