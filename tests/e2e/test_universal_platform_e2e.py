"""The current platform's flagship (examples/hosted_messaging_v2) on a Universal Platform
account, through the plain `pulumi` CLI: the Dashboard at `/api/v2` in the `universal` dialect
(E.164 numbers, imports at `importTnOrders/messaging`; bandwidth-api-v2.md 1), with OAuth2
bearer tokens and no Dashboard password at all.

The emulator serves `/api/v2` only in that dialect (the plain import collections answer 404
there), so a stack that completes was served by the universal paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bw_e2e import assert_emulator_empty, assert_no_credentials
from cli import PlainCLI, assert_no_traceback_of_ours, plain_stack, summary
from test_plain_cli import (
    EXAMPLES,
    V2_DRIFT,
    configure,
    flagship_config,
    lifecycle,
    project_venv_ready,
)

from bw_pulumi.emulator import Emulator

PROJECT = EXAMPLES / "hosted_messaging_v2"
#: The flagship's numbers as its state keeps them (ten digits, whatever the dialect).
IMPORTED = ["9195550160", "9195550161"]


def universal_oauth_config(cli: PlainCLI, emu: Emulator) -> None:
    """A Universal Platform account as its README section configures it: the account, the
    UP base, the dialect, the OAuth2 client; no username or password."""
    cli.set_config(
        {
            "bandwidth:accountId": emu.account_id,
            "bandwidth:dashboardUrl": emu.base_url + "/api/v2",
            "bandwidth:dashboardDialect": "universal",
            "bandwidth:clientId": emu.client_id,
            "bandwidth:oauthUrl": emu.token_url,
            "bandwidth:messagingUrl": emu.messaging_url,
        }
    )
    cli.set_config({"bandwidth:clientSecret": emu.client_secret}, secret=True)
    cli.set_config(flagship_config(emu))
    cli.set_config({"mms": "true"})


def _nothing_created(emu: Emulator) -> None:
    state = emu.control.state()
    assert state["import_orders"] == [] and state["subscriptions"] == [], state
    assert state["dashboard_applications"] == [] and state["sip_peers"] == [], state


def test_v2_flagship_on_a_universal_platform_account_with_oauth2(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_venv_ready(PROJECT)
    with plain_stack(language_host_bin_dir, tmp_path, PROJECT) as cli:
        universal_oauth_config(cli, emu)

        cli.set_config({"bandwidth:dashboardDialect": "v2"})
        wrong = cli.stack_cmd("preview")
        assert wrong.returncode != 0, wrong.output
        assert wrong.lines_with(
            "bandwidth:dashboardDialect (env BANDWIDTH_DASHBOARD_DIALECT) must be one of "
            "classic, universal; got 'v2'"
        ), wrong.output
        assert_no_traceback_of_ours(wrong.output)
        _nothing_created(emu)

        cli.set_config({"bandwidth:dashboardDialect": "universal"})
        lifecycle(cli, emu, 6, "messaging-app", V2_DRIFT)
    assert emu.control.state()["sip_peers"] == []
    assert "bw-pulumi: placed import order" in "\n".join(cli.log)


def test_switching_a_stack_to_the_universal_dialect_changes_nothing(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    """Up on the classic base, then the same account at `/api/v2`: the state keeps the ten-digit
    numbers, so nothing diffs; destroy then removes the numbers at the universal paths."""
    project_venv_ready(PROJECT)
    with plain_stack(language_host_bin_dir, tmp_path, PROJECT) as cli:
        configure(cli, emu, **flagship_config(emu))
        assert summary(cli.stack_cmd("up").check()) == {"created": 6}
        assert sorted(cli.outputs()["imported_numbers"]) == IMPORTED

        cli.set_config(
            {
                "bandwidth:dashboardUrl": emu.base_url + "/api/v2",
                "bandwidth:dashboardDialect": "universal",
            }
        )
        assert summary(cli.stack_cmd("up").check()) == {"unchanged": 6}
        quiet = cli.stack_cmd("refresh").check()
        assert quiet.diff_markers() == set() and summary(quiet) == {"unchanged": 6}
        assert sorted(cli.outputs()["imported_numbers"]) == IMPORTED

        gone = cli.stack_cmd("destroy").check()
        assert summary(gone) == {"deleted": 6}
        assert_emulator_empty(emu)
        state = emu.control.state()
        assert state["dashboard_applications"] == [] and state["sip_peers"] == [], state
        assert_no_credentials(str(cli.export()))
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-x", "-q"]))
