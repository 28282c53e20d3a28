"""The many-stacks rows: their account-budget floor, their verdict, and their RESULTS.md section
surviving a rewrite of the file by ``python -m bench``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.floors import Pacing, floor_seconds
from bench.many_stacks import (
    SECTION_END,
    SECTION_START,
    PhaseRun,
    Row,
    account_floor,
    kept_section,
    publish,
    section,
)

PACING = Pacing(latency_s=0.02, processing_s=2.0, scale=1.0)
META = {
    "command": "python -m bench.many_stacks",
    "date": "2026-12-06 23:26 UTC",
    "machine": {"cpus": 2},
    "cli": "v3.274.0",
    "latency_ms": 20.0,
    "processing_s": 2.0,
}


def test_the_floor_is_one_applications_request_per_stack_at_one_a_second() -> None:
    assert account_floor("up", 10, 10, PACING) == 10.0
    assert account_floor("destroy", 20, 10, PACING) == 20.0
    # One stack: its own floor (the order's processing) is the larger.
    assert account_floor("up", 1, 10, PACING) == floor_seconds("up", 10, PACING)
    # 100 stacks of 10: 1000 imports, 200 beyond the burst of 800 at 100 a minute.
    assert account_floor("up", 100, 10, PACING) == pytest.approx(100 + 120)


def _row(up_wall: float, failed: list[str] | None = None) -> Row:
    up = PhaseRun("up", up_wall, 10.0, 10 - len(failed or []), failed or [], 0, 20)
    destroy = PhaseRun("destroy", 12.0, 10.0, 10, [], 0, 10)
    return Row(10, 10, "cli", up, destroy, {"applications": 0})


def test_a_row_passes_only_first_time_within_the_ratio_and_leaving_nothing() -> None:
    assert _row(13.0).passed  # (13 + 12) / 20 = 1.25
    assert not _row(15.0).passed  # 1.35
    assert not _row(13.0, ["stack-03: error: HTTP 429"]).passed
    left = _row(13.0)
    left.left_behind = {"applications": 1}
    assert not left.passed
    assert _row(15.0).line().startswith("FAIL  10 stacks x 10 numbers")


def test_the_engine_start_is_allowed_once_on_top_of_the_budget_ratio() -> None:
    # 1.3 x (10 + 10) = 26 s for the budget, plus the 7 + 4 s the engine took to ask at all.
    assert not _row(25.0).passed
    started = _row(25.0)
    started.engine_start_s = (7.0, 4.0)
    assert started.limit_s == pytest.approx(37.0) and started.passed
    assert started.ratio == pytest.approx(37 / 20)  # the plain ratio is still shown
    late = _row(25.1 + 1.0)
    late.engine_start_s = (7.0, 3.0)
    assert not late.passed
    assert (
        "engine start 7.0s + 4.0s" in started.line() and "1.85x the floor alone" in started.line()
    )


def test_the_section_replaces_its_old_self_and_survives_a_rewrite(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\ntable\n")
    publish(section([_row(30.0)], META), results)
    publish(section([_row(13.0)], META), results)
    text = results.read_text()
    assert text.count(SECTION_START) == 1 and text.count(SECTION_END) == 1
    assert "| 10 | 10 | 13.0 |" in text and "| 10 | 10 | 30.0 |" not in text
    kept = kept_section(results)
    results.write_text("# Benchmark results (a new run)\n\n" + kept + "\n")
    assert kept_section(results) == kept
