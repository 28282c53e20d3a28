"""The bulk floor and the issue's targets, judged on rows shaped like a real run's."""

from __future__ import annotations

import pytest

from bench.floors import Pacing, floor_seconds, request_budget
from bench.programs import program
from bench.report import check_targets
from bench.run import PhaseResult

PACING = Pacing(latency_s=0.02, processing_s=2.0, scale=10.0, others=1000)


def _row(
    phase: str, wall: float, requests: int, n: int = 1000, layout: str = "bulk"
) -> PhaseResult:
    return PhaseResult(
        phase=phase,
        n=n,
        processing_s=2.0,
        wall_s=wall,
        floor_s=round(floor_seconds(phase, n, PACING, layout), 2),
        requests={},
        total_requests=requests,
        status_429=0,
        orders=0,
        polls=0,
        peak_rss_mb=70.0,
        layout=layout,
        others=PACING.others,
    )


def _verdicts(rows: list[PhaseResult]) -> dict[str, str]:
    return {c["target"]: c["result"] for c in check_targets(rows, [])}


def test_the_bulk_up_floor_at_1000_is_the_catapult_budget_not_four_engine_threads() -> None:
    bulk = floor_seconds("up", 1000, PACING, "bulk")
    per_number = floor_seconds("up", 1000, PACING, "per-number")
    budget = (1000 - 800) / PACING.import_rate
    assert budget < bulk < budget + PACING.processing_s + 0.5
    # With 4 calls at once the per-number floor is still budget-bound at 20 ms a request.
    assert per_number == pytest.approx(bulk)
    slow = Pacing(latency_s=0.2, processing_s=2.0, scale=10.0, others=1000)
    assert floor_seconds("up", 1000, slow, "per-number") > floor_seconds("up", 1000, slow, "bulk")


def test_listing_the_account_caps_the_in_service_part_of_the_floor() -> None:
    few = Pacing(0.02, 2.0, 10.0, others=0)
    many = Pacing(0.02, 2.0, 10.0, others=100_000)
    # 100,000 other numbers: one GET per number (16 wide) is cheaper than 201 list pages.
    gap = floor_seconds("refresh", 1000, many) - floor_seconds("refresh", 1000, few)
    assert gap == pytest.approx((63 - 3) * 0.02)


def test_bulk_request_targets_are_set_at_1000_only() -> None:
    assert request_budget("up", 1000) == pytest.approx(1070)
    assert request_budget("refresh", 1000) == 20
    assert request_budget("up", 5000) is None
    assert request_budget("noop", 5000) == 0
    assert request_budget("up", 10, "per-number") == pytest.approx(42)


def test_a_run_meeting_every_target_passes_and_one_over_the_floor_fails() -> None:
    up_floor = floor_seconds("up", 1000, PACING)
    destroy_floor = floor_seconds("destroy", 1000, PACING)
    rows = [
        _row("up", round(up_floor * 1.1, 2), 1030),
        _row("noop", 1.5, 0),
        _row("refresh", 1.4, 14),
        _row("destroy", round(destroy_floor * 1.15, 2), 1020),
    ]
    verdicts = _verdicts(rows)
    judged = {k: v for k, v in verdicts.items() if k.startswith(("bulk", "429"))}
    assert len(judged) == 7
    assert set(judged.values()) == {"PASS"}
    rows[0] = _row("up", round(up_floor * 1.25, 2), 1030)
    rows[2] = _row("refresh", 1.4, 21)
    verdicts = _verdicts(rows)
    assert verdicts["bulk up wall time <= 1.2x floor at N=1000"] == "FAIL"
    refresh = next(k for k in verdicts if k.startswith("bulk refresh requests"))
    assert verdicts[refresh] == "FAIL"


def _poll_verdict(polls: list[int]) -> str:
    rows = []
    for seconds, count in zip((1.0, 10.0, 100.0), polls, strict=True):
        row = _row("up", seconds + 1.0, 30, n=10)
        row.processing_s, row.orders, row.polls = seconds, 1, count
        rows.append(row)
    [check] = [c for c in check_targets([], rows) if c["target"].startswith("polls per order")]
    return str(check["result"])


@pytest.mark.parametrize(
    ("polls", "verdict"),
    [
        ([5, 20, 36], "PASS"),  # 0.25 s floor, then 15% of the time: +15, +16 per decade
        ([5, 15, 31], "PASS"),
        ([4, 40, 400], "FAIL"),  # every 0.25 s: linear
        ([5, 20, 60], "FAIL"),  # the steps grow: not logarithmic
        ([20, 15, 30], "FAIL"),
    ],
)
def test_polls_are_judged_logarithmic_by_a_steady_step_per_decade(
    polls: list[int], verdict: str
) -> None:
    assert _poll_verdict(polls) == verdict


def test_n5000_and_the_per_number_comparison_are_reported_not_judged() -> None:
    rows = [
        _row("up", 300.0, 5100, n=5000),
        _row("up", 20.0, 1030),
        _row("up", 90.0, 2012, layout="per-number"),
    ]
    checks = {c["target"]: c for c in check_targets(rows, [])}
    assert checks["bulk at N=5000 (budget-bound)"]["result"] == "INFO"
    assert "peak RSS 70.0 MB" in checks["bulk at N=5000 (budget-bound)"]["detail"]
    saves = checks["per-number -> bulk at N=1000"]
    assert saves["result"] == "INFO"
    assert "90.0s/2012 req -> 20.0s/1030 req" in saves["detail"]


def test_an_unknown_layout_is_refused_before_any_stack_is_made() -> None:
    with pytest.raises(ValueError, match="per-number"):
        program("one-each")


def test_the_baseline_has_no_floor_and_reports_bulk_net_of_it_and_the_best_reachable() -> None:
    assert floor_seconds("destroy", 1000, PACING, "null") == 0
    destroy_floor = floor_seconds("destroy", 1000, PACING)
    rows = [
        _row("destroy", round(destroy_floor + 2.0, 2), 1013),
        _row("destroy", 0.8, 0, layout="null"),
    ]
    checks = {c["target"]: c for c in check_targets(rows, [])}
    baseline = next(c for name, c in checks.items() if name.startswith("baseline"))
    assert baseline["result"] == "INFO"
    net = (destroy_floor + 2.0 - 0.8) / round(destroy_floor, 2)
    assert f"= {net:.2f}x" in baseline["detail"]
    # What even a provider with no cost of its own would measure: the floor plus the engine.
    best = (round(destroy_floor, 2) + 0.8) / round(destroy_floor, 2)
    assert (
        f"nothing beyond the floor: destroy (floor {round(destroy_floor, 2)}s + 0.8s)"
        in baseline["detail"]
    )
    assert baseline["detail"].endswith(f"= {best:.2f}x")
    # The target itself is still judged on the whole wall time.
    assert checks["bulk destroy wall time <= 1.2x floor at N=1000"]["result"] == "FAIL"


def test_the_baseline_provider_answers_from_its_inputs() -> None:
    from bench.null_provider import NullProvider

    provider = NullProvider()
    made = provider.create({"telephone_numbers": ["9195550100", "9195550101"]})
    assert made.outs["number_ids"] == {"9195550100": "n-000000", "9195550101": "n-000001"}
    assert provider.diff(made.id, made.outs, {"telephone_numbers": ["9195550100"]}).changes
    assert not provider.diff(made.id, made.outs, dict(made.outs)).changes
    assert callable(program("null"))


def test_the_v2_floor_has_no_per_number_term_and_is_far_under_the_catapult_flagships() -> None:
    alone = Pacing(0.02, 2.0, 10.0, others=0)
    for phase in ("up", "destroy"):
        at_10 = floor_seconds(phase, 10, alone, "v2")
        at_5000 = floor_seconds(phase, 5000, alone, "v2")
        # Only the in-service pages grow with N (1 + ceil(N/500) GETs at most).
        assert at_5000 - at_10 <= (1 + 5000 / 500) * 0.02 + 1e-9
    up = floor_seconds("up", 1000, PACING, "v2")
    assert up == pytest.approx(8 * 0.02 + 2.0 + 5 * 0.02)
    assert up < floor_seconds("up", 1000, PACING, "bulk") / 5
    assert floor_seconds("noop", 1000, PACING, "v2") == 0
    assert request_budget("up", 5000, "v2") == request_budget("destroy", 10, "v2") == 60
    assert callable(program("v2"))


def test_v2_rows_are_judged_on_time_and_requests_and_compared_with_the_catapult_flagship() -> None:
    up_floor = floor_seconds("up", 1000, PACING, "v2")
    destroy_floor = floor_seconds("destroy", 1000, PACING, "v2")
    rows = [
        _row("up", 20.0, 1030),
        _row("up", round(up_floor * 1.2 + 1.9, 2), 31, layout="v2"),
        _row("destroy", round(destroy_floor * 1.2 + 1.0, 2), 22, layout="v2"),
    ]
    checks = {c["target"]: c for c in check_targets(rows, [])}
    v2 = {k: c["result"] for k, c in checks.items() if k.startswith("v2 ")}
    assert v2 == {
        "v2 up wall time <= 1.2x floor + 2 s (engine) at N=1000": "PASS",
        "v2 destroy wall time <= 1.2x floor + 2 s (engine) at N=1000": "PASS",
        "v2 up requests <= 60 at N=1000 (nothing per number)": "PASS",
        "v2 destroy requests <= 60 at N=1000 (nothing per number)": "PASS",
    }
    compare = checks["Catapult flagship (bulk) -> v2 flagship at N=1000"]
    assert compare["result"] == "INFO"
    assert compare["detail"] == f"up 20.0s/1030 req -> {rows[1].wall_s}s/31 req"

    # Something per number (a binding each) or an engine-sized stall fails them.
    rows[1] = _row("up", round(up_floor * 1.2 + 2.1, 2), 1031, layout="v2")
    checks = {c["target"]: c["result"] for c in check_targets(rows, [])}
    assert checks["v2 up wall time <= 1.2x floor + 2 s (engine) at N=1000"] == "FAIL"
    assert checks["v2 up requests <= 60 at N=1000 (nothing per number)"] == "FAIL"
    assert checks["v2 destroy requests <= 60 at N=1000 (nothing per number)"] == "PASS"


def test_v2_targets_are_skipped_when_no_v2_row_ran() -> None:
    checks = {c["target"]: c["result"] for c in check_targets([_row("up", 16.0, 1021)], [])}
    assert {v for k, v in checks.items() if k.startswith("v2 ")} == {"SKIP"}
