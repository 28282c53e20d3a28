"""PhoneNumberBindings through the plain `pulumi` CLI, as a user types it.

A small project in a temporary directory (an Application and one PhoneNumberBindings for a set
of numbers already in service) on the repository's virtualenv: `up`, a second `up` that changes
nothing, a `refresh` with no diff, a number unbound in the portal that `refresh` shows on the
bindings, an `up` that binds it again, and a `destroy` that leaves no binding and no application.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bw_e2e import assert_no_credentials, catapult, emulator
from cli import LANGUAGE_HOST, PlainCLI, plain_stack, python_project, summary

from bw_pulumi.emulator import Emulator

NUMBERS = [f"919555{n:04d}" for n in range(300, 312)]
E164 = [f"+1{tn}" for tn in NUMBERS]
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")
#: The Stack, the Application and the PhoneNumberBindings.
RESOURCES = 3

PROGRAM = """
import pulumi
from bw_pulumi import Application, ApplicationArgs, PhoneNumberBindings, PhoneNumberBindingsArgs

cfg = pulumi.Config()
app = Application("sms-app", ApplicationArgs(name="bindings-e2e",
                                             incoming_message_url="http://127.0.0.1:9/sms"))
bindings = PhoneNumberBindings("numbers", PhoneNumberBindingsArgs(
    application_id=app.application_id, telephone_numbers=cfg.require_object("numbers")))
pulumi.export("number_ids", bindings.number_ids)
"""


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with emulator() as running:
        running.control.numbers(in_service=NUMBERS)  # imported earlier (ImportTnOrder's job)
        yield running


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return python_project(tmp_path / "bindings-project", "bw-bindings-e2e", PROGRAM)


def _configure(cli: PlainCLI, emu: Emulator) -> None:
    bandwidth = emu.stack_config()
    cli.set_config({k: v for k, v in bandwidth.items() if k not in SECRET_KEYS})
    cli.set_config({k: v for k, v in bandwidth.items() if k in SECRET_KEYS}, secret=True)
    cli.set_config({"numbers": json.dumps(NUMBERS)})


def _bound(emu: Emulator) -> dict[str, str | None]:
    return {n["number"]: n["application_id"] for n in emu.control.state()["phone_numbers"]}


def test_bindings_lifecycle_up_refresh_drift_repair_destroy_through_the_plain_cli(
    pulumi_bin_dir: Path, tmp_path: Path, project: Path, emu: Emulator
) -> None:
    if not (pulumi_bin_dir / LANGUAGE_HOST).exists():
        pytest.fail(f"no {LANGUAGE_HOST} beside {pulumi_bin_dir}: run scripts/install-pulumi")
    with plain_stack(pulumi_bin_dir, tmp_path, project) as cli:
        _configure(cli, emu)
        up = cli.stack_cmd("up").check()
        assert summary(up) == {"created": RESOURCES}
        [app] = emu.control.state()["applications"]
        assert _bound(emu) == dict.fromkeys(E164, app["id"])
        assert sorted(cli.outputs()["number_ids"]) == E164

        assert summary(cli.stack_cmd("up").check()) == {"unchanged": RESOURCES}
        quiet = cli.stack_cmd("refresh").check()
        assert quiet.diff_markers() == set(), "a refresh with nothing changed shows no diff"

        catapult(emu).delete_number(E164[0])  # unbound in the portal
        drifted = cli.stack_cmd("refresh").check()
        assert drifted.diff_markers() == {"[diff: ~telephone_numbers]"}
        assert all(" numbers " in line for line in drifted.lines_with("[diff:"))
        assert "1 unbound (+19195550300)" in drifted.output
        assert summary(drifted) == {"updated": 1, "unchanged": RESOURCES - 1}

        repaired = cli.stack_cmd("up").check()
        assert summary(repaired) == {"updated": 1, "unchanged": RESOURCES - 1}
        assert _bound(emu) == dict.fromkeys(E164, app["id"])
        assert cli.stack_cmd("refresh").check().diff_markers() == set()

        gone = cli.stack_cmd("destroy").check()
        assert summary(gone) == {"deleted": RESOURCES}
        assert (_bound(emu), emu.control.state()["applications"]) == ({}, [])
        assert_no_credentials(str(cli.export()))
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
