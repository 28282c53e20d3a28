"""Moving a stack made before PhoneNumberBindings onto it, as the example's README says.

Stacks made with the earlier flagship hold one ``PhoneNumber`` ("number-<10 digits>") per
number. The documented move, through the plain `pulumi` CLI: `pulumi state delete` each of
them (the bindings stay on Catapult), `pulumi config set adoptExistingBindings true`, and
`pulumi up` with the current flagship, whose one PhoneNumberBindings adopts the numbers. Nothing
is unbound or bound again on the way (the Catapult number ids stay), and the stack then
refreshes without a diff and destroys to nothing. (Within an hour of their making, bindings on
the stack's own application would be taken even without the flag, as an interrupted earlier
step's work: RESUME_WINDOW_SECONDS; the flag is what the move relies on.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bw_e2e import assert_emulator_empty, emulator
from cli import LANGUAGE_HOST, PlainCLI, plain_stack, python_project, summary
from engine import REPO

from bw_pulumi.emulator import Emulator

NUMBERS = ["9195550171", "9195550172", "9195550173"]
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")
#: The benchmark's two layouts of the flagship: "per-number" is the flagship as it was (the same
#: resources, one PhoneNumber "number-<10 digits>" per number), "bulk" the flagship as it is.
_MAIN = f"""
import sys

sys.path.insert(0, {str(REPO)!r})
from bench.programs import run

run({{layout!r}})
"""


def _project(tmp_path: Path, layout: str) -> Path:
    return python_project(tmp_path / "migrating", "bw-migrating", _MAIN.format(layout=layout))


def _configure(cli: PlainCLI, emu: Emulator) -> None:
    bandwidth = emu.stack_config()
    cli.set_config({k: v for k, v in bandwidth.items() if k not in SECRET_KEYS})
    cli.set_config({k: v for k, v in bandwidth.items() if k in SECRET_KEYS}, secret=True)
    cli.set_config(
        {
            "numbers": json.dumps(NUMBERS),
            "siteId": "14",
            "callbackUrl": "http://127.0.0.1:9/bandwidth/orders",
        }
    )


def _bindings(emu: Emulator) -> dict[str, tuple[str, str | None]]:
    return {
        n["number"]: (n["id"], n["application_id"]) for n in emu.control.state()["phone_numbers"]
    }


def test_a_per_number_stack_moves_to_phone_number_bindings_without_unbinding(
    pulumi_bin_dir: Path, tmp_path: Path
) -> None:
    if not (pulumi_bin_dir / LANGUAGE_HOST).exists():
        pytest.fail(f"no {LANGUAGE_HOST} beside {pulumi_bin_dir}: run scripts/install-pulumi")
    project = _project(tmp_path, "per-number")
    with emulator() as emu, plain_stack(pulumi_bin_dir, tmp_path, project) as cli:
        _configure(cli, emu)
        # Stack, Subscription, ImportTnOrder, Application and 3 PhoneNumbers.
        assert summary(cli.stack_cmd("up").check()) == {"created": 7}
        before = _bindings(emu)
        assert sorted(before) == [f"+1{tn}" for tn in NUMBERS]

        numbers = [r["urn"] for r in cli.export()["resources"] if "::number-" in r["urn"]]
        assert len(numbers) == len(NUMBERS)
        for urn in numbers:
            cli.ok("state", "delete", "--stack", cli.stack, "--yes", urn)
        assert _bindings(emu) == before, "state delete leaves the bindings on Catapult"

        _project(tmp_path, "bulk")
        cli.set_config({"adoptExistingBindings": "true"})
        moved = cli.stack_cmd("up").check()
        assert summary(moved) == {"created": 1, "unchanged": 4}
        assert _bindings(emu) == before, "adopted in place: same ids, same application"
        ids = cli.outputs()["number_ids"]
        assert ids == {number: before[number][0] for number in before}

        quiet = cli.stack_cmd("refresh").check()
        assert quiet.diff_markers() == set()
        assert summary(cli.stack_cmd("destroy").check()) == {"deleted": 5}
        assert_emulator_empty(emu)
