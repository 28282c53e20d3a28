"""The flagship project through the plain `pulumi` CLI when Bandwidth refuses some numbers.

With `allowPartial=true` the order keeps the numbers that imported and the program binds only
those (`imported_numbers`, one PhoneNumberBindings), so `up` succeeds; while the order has
still to run, preview plans the bindings as an update and never shows them as deleted. An order that
ends EXCEPTION fails `up` with what to do and leaves nothing imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bw_e2e import BW_API_SECRET, BW_PASSWORD, assert_emulator_empty
from cli import LANGUAGE_HOST, PlainCLI, plain_stack, summary
from engine import REPO

from bw_pulumi.emulator import Emulator

PROJECT = REPO / "examples" / "hosted_messaging"
GOOD, ALSO_GOOD, REFUSED, ADDED = "9195550260", "9195550261", "9195550262", "9195550263"
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")


@pytest.fixture
def emu() -> Iterator[Emulator]:
    # Bandwidth refuses REFUSED in orders (the checker passes it), with a real code.
    with Emulator(
        processing_seconds=0.2,
        password=BW_PASSWORD,
        api_secret=BW_API_SECRET,
        failing={REFUSED: 19005},
    ) as running:
        yield running


@pytest.fixture
def cli(pulumi_bin_dir: Path, tmp_path: Path, emu: Emulator) -> Iterator[PlainCLI]:
    if not (pulumi_bin_dir / LANGUAGE_HOST).exists():
        pytest.fail(f"no {LANGUAGE_HOST} beside {pulumi_bin_dir}: run scripts/install-pulumi")
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.fail("the project's virtualenv .venv is missing: run scripts/setup")
    with plain_stack(pulumi_bin_dir, tmp_path, PROJECT) as stack:
        bandwidth = emu.stack_config()
        stack.set_config({k: v for k, v in bandwidth.items() if k not in SECRET_KEYS})
        stack.set_config({k: v for k, v in bandwidth.items() if k in SECRET_KEYS}, secret=True)
        stack.set_config(
            {"siteId": "14", "callbackUrl": "http://127.0.0.1:9/orders", "allowPartial": "true"}
        )
        yield stack


def _numbers(cli: PlainCLI, *numbers: str) -> None:
    cli.set_config({"numbers": "[" + ", ".join(f'"+1{n}"' for n in numbers) + "]"})


def _bound(emu: Emulator) -> list[str]:
    return sorted(n["number"] for n in emu.control.state()["phone_numbers"])


def test_allow_partial_up_binds_only_the_imported_numbers(cli: PlainCLI, emu: Emulator) -> None:
    _numbers(cli, GOOD, ALSO_GOOD, REFUSED)
    # Stack, subscription, order, application and the bindings (their numbers are unknown
    # before the order runs).
    assert summary(cli.stack_cmd("preview").check()) == {"create": 5}

    up = cli.stack_cmd("up").check()
    assert summary(up) == {"created": 5}  # REFUSED is not bound, and nothing fails
    outputs = cli.outputs()
    assert outputs["imported_numbers"] == [GOOD, ALSO_GOOD]
    assert [(f["number"], f["code"]) for f in outputs["failed_numbers"]] == [(REFUSED, "19005")]
    assert set(outputs["number_ids"]) == {f"+1{GOOD}", f"+1{ALSO_GOOD}"}
    assert _bound(emu) == [f"+1{GOOD}", f"+1{ALSO_GOOD}"]

    assert summary(cli.stack_cmd("preview").check()) == {"unchanged": 5}
    assert summary(cli.stack_cmd("up").check()) == {"unchanged": 5}
    assert cli.stack_cmd("refresh").check().diff_markers() == set()

    # A changed order is unknown to the preview again: the bindings are planned as an update,
    # nothing is shown as deleted.
    _numbers(cli, GOOD, ALSO_GOOD, REFUSED, ADDED)
    preview = cli.stack_cmd("preview").check()
    assert summary(preview) == {"update": 2, "unchanged": 3}
    assert "delete" not in preview.output
    up = cli.stack_cmd("up").check()
    assert summary(up) == {"updated": 2, "unchanged": 3}
    assert _bound(emu) == [f"+1{GOOD}", f"+1{ALSO_GOOD}", f"+1{ADDED}"]

    assert summary(cli.stack_cmd("destroy").check()) == {"deleted": 5}
    assert_emulator_empty(emu)
    cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


def test_exception_order_fails_up_with_what_to_do_and_imports_nothing(
    cli: PlainCLI, emu: Emulator
) -> None:
    emu.control.numbers(exception=[ADDED])
    _numbers(cli, GOOD, ADDED)
    failed = cli.stack_cmd("up")
    assert failed.returncode != 0
    assert "Traceback" not in failed.output
    assert "ended EXCEPTION. The 1 numbers that did import were removed again." in failed.output
    assert "ask Bandwidth support" in failed.output
    state = emu.control.state()
    assert state["in_service"] == [] and state["phone_numbers"] == []
    [order] = state["import_orders"]
    assert order["status"] == "EXCEPTION"
    cli.stack_cmd("destroy").check()  # the subscription and application the `up` created
    assert_emulator_empty(emu)
    cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
