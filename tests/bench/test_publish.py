"""Which benchmark runs may overwrite the committed RESULTS.md that the README quotes."""

from __future__ import annotations

import pytest

from bench.cli import is_full_run, parser


def test_a_run_with_every_default_publishes() -> None:
    assert is_full_run(parser().parse_args([])) is True


@pytest.mark.parametrize(
    "argv",
    [["--sizes", "10,100"], ["--skip-poll-study"], ["--scale", "5"], ["--latency-ms", "0"]],
)
def test_a_partial_or_repaced_run_leaves_the_committed_results_alone(argv: list[str]) -> None:
    assert is_full_run(parser().parse_args(argv)) is False
