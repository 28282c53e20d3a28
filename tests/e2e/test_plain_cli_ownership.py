"""What the stack does not own it never touches, and it never holds half a number, through the
plain `pulumi` CLI. A number moved to another application out of band is that application's:
`refresh` says so and forgets it, and `destroy` (with or without that refresh) unbinds only
what is still on the stack's application. A number change unbinds the dropped number on
Catapult before the removal order takes it off the Dashboard account."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bw_e2e import catapult
from cli import plain_stack, python_project, summary
from engine import REPO
from test_plain_cli import configure, flagship_config, project_venv_ready

from bw_pulumi.emulator import Emulator
from tests.resources.lossy_proxy import Action, lossy_proxy

BOUND = ["+19195550190", "+19195550191"]  # one PhoneNumberBindings
SINGLE = "+19195550192"  # one PhoneNumber
PROGRAM = f"""
from bw_pulumi import (
    Application, ApplicationArgs, PhoneNumber, PhoneNumberArgs,
    PhoneNumberBindings, PhoneNumberBindingsArgs,
)

app = Application("app", ApplicationArgs(name="ours", incoming_message_url="http://127.0.0.1:9/sms"))
PhoneNumberBindings(
    "bindings",
    PhoneNumberBindingsArgs(application_id=app.application_id, telephone_numbers={BOUND!r}),
)
PhoneNumber("single", PhoneNumberArgs(number={SINGLE!r}, application_id=app.application_id))
"""


def _bound(emu: Emulator) -> dict[str, str | None]:
    return {n.number: n.application_id for n in catapult(emu).list_numbers()}


@pytest.mark.parametrize("refresh_first", [True, False])
def test_destroy_leaves_numbers_moved_to_another_application_bound_there(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator, refresh_first: bool
) -> None:
    project = python_project(tmp_path / "project", "bw-ownership", PROGRAM)
    emu.control.numbers(in_service=[n[2:] for n in [*BOUND, SINGLE]])
    with plain_stack(language_host_bin_dir, tmp_path, project) as cli:
        configure(cli, emu)
        assert summary(cli.stack_cmd("up").check()) == {"created": 4}
        theirs = catapult(emu).create_application(
            {"name": "someone else's", "incomingMessageUrl": "http://127.0.0.1:9/theirs"}
        )
        for number in (BOUND[1], SINGLE):
            live = catapult(emu).get_number(number)
            catapult(emu).update_number(live.number_id, application_id=theirs)

        if refresh_first:
            refreshed = cli.stack_cmd("refresh").check()
            assert refreshed.lines_with(f"{BOUND[1]} on application {theirs}")
            assert refreshed.lines_with(f"{SINGLE} moved to application {theirs}")
            assert summary(refreshed)["deleted"] == 1  # the PhoneNumber leaves the state

        gone = cli.stack_cmd("destroy").check()
        assert "deleted" in summary(gone)
        assert _bound(emu) == {BOUND[1]: theirs, SINGLE: theirs}
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


def test_a_number_change_unbinds_the_dropped_number_before_removing_it_from_the_account(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    seen: list[set[str]] = []

    def watch(method: str, path: str) -> Action:
        if method == "POST" and "/removeImportedTnOrders" in path:
            seen.append(set(_bound(emu)))  # what Catapult had bound as the removal was placed
        return "forward"

    project_venv_ready(REPO)
    with (
        lossy_proxy(emu.dashboard_url, watch) as url,
        plain_stack(language_host_bin_dir, tmp_path, REPO) as cli,
    ):
        configure(cli, emu, **flagship_config(emu))
        cli.set_config({"bandwidth:dashboardUrl": url})
        cli.stack_cmd("up").check()
        cli.set_config({"numbers": '["+19195550160", "919-555-0162"]'})
        changed = cli.stack_cmd("up").check()
        assert summary(changed) == {"updated": 2, "unchanged": 3}
        assert seen == [{"+19195550160"}], "0161 was still bound when it left the account"
        unbound = changed.lines_with("unbound 1 number(s) on Catapult before removing them")
        # Progress lines show on the working resource's row, not the Stack's.
        rows = [line for line in unbound if "bandwidth:ImportTnOrder numbers" in line]
        assert rows, changed.output
        placed = changed.lines_with("bw-pulumi: placed import order")
        assert any("bandwidth:ImportTnOrder numbers" in line for line in placed), placed
        assert not [line for line in changed.lines_with("bw-pulumi:") if "pulumi:Stack" in line]
        assert set(_bound(emu)) == {"+19195550160", "+19195550162"}
        cli.stack_cmd("destroy").check()
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-x", "-q"]))
