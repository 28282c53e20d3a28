"""Wrong configuration through the plain `pulumi` CLI: found at preview, before anything exists,
and a rotated credential that `destroy` still uses from the last `up` says so.

The flagship project (repository root) with the emulator on 127.0.0.1, as a user runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bw_e2e import BW_API_SECRET, BW_PASSWORD, assert_emulator_empty, assert_no_credentials
from cli import assert_no_traceback_of_ours, plain_stack, summary
from engine import REPO
from test_plain_cli import configure, flagship_config, project_venv_ready

from bw_pulumi.emulator import Emulator


def _nothing_created(emu: Emulator) -> None:
    state = emu.control.state()
    assert state["applications"] == [] and state["import_orders"] == [], state
    assert state["subscriptions"] == [] and state["phone_numbers"] == [], state


def test_a_missing_key_fails_preview_naming_it_and_up_creates_nothing(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_venv_ready(REPO)
    with plain_stack(language_host_bin_dir, tmp_path, REPO) as cli:
        configure(cli, emu, **flagship_config(emu))
        cli.ok("config", "rm", "--stack", cli.stack, "bandwidth:accountId")
        cli.env.pop("BANDWIDTH_ACCOUNT_ID", None)

        preview = cli.stack_cmd("preview")
        assert preview.returncode != 0, preview.output
        named = preview.lines_with("missing Bandwidth configuration: bandwidth:accountId")
        assert named and all("(or env BANDWIDTH_ACCOUNT_ID)" in line for line in named)
        assert_no_traceback_of_ours(preview.output)

        up = cli.stack_cmd("up")
        assert up.returncode != 0
        assert "bandwidth:accountId" in up.output
        _nothing_created(emu)
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


@pytest.mark.parametrize(
    ("key", "wrong", "named"),
    [
        ("bandwidth:password", "not-the-password", "bandwidth:password"),
        ("bandwidth:apiSecret", "not-the-secret", "bandwidth:apiSecret"),
        ("bandwidth:dashboardUrl", "/api/nowhere", "bandwidth:dashboardUrl"),
    ],
)
def test_a_wrong_credential_or_url_fails_preview_and_up_creates_nothing(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator, key: str, wrong: str, named: str
) -> None:
    project_venv_ready(REPO)
    with plain_stack(language_host_bin_dir, tmp_path, REPO) as cli:
        configure(cli, emu, **flagship_config(emu))
        if key.endswith("Url"):
            cli.set_config({key: emu.stack_config()[key] + wrong})
        else:
            cli.set_config({key: wrong}, secret=True)

        preview = cli.stack_cmd("preview")
        assert preview.returncode != 0, preview.output
        assert named in preview.output
        assert_no_traceback_of_ours(preview.output)
        up = cli.stack_cmd("up")
        assert up.returncode != 0
        assert named in up.output
        if not key.endswith("Url"):  # a secret is never echoed; a URL is named on purpose
            assert wrong not in up.output
        assert_no_credentials(up.output)
        _nothing_created(emu)
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


def test_destroy_after_a_credential_rotation_names_the_saved_config_and_the_command_that_works(
    language_host_bin_dir: Path, tmp_path: Path
) -> None:
    """`up`; Bandwidth's password changes (the emulator restarts on the same port and state with
    the new one) and the stack config follows; `destroy` still configures the provider from the
    config the last `up` saved, so it gets 401 and must say so; `--run-program` then works."""
    project_venv_ready(REPO)
    state_file = tmp_path / "bandwidth.json"
    first = Emulator(
        processing_seconds=0.2,
        password=BW_PASSWORD,
        api_secret=BW_API_SECRET,
        state_file=state_file,
    )
    with first, plain_stack(language_host_bin_dir, tmp_path, REPO) as cli:
        configure(cli, first, **flagship_config(first))
        assert summary(cli.stack_cmd("up").check()) == {"created": 5}
        port = first.port
        first.stop()
        rotated = Emulator(
            processing_seconds=0.2,
            password="rotated-pw-7d1e",
            api_secret=BW_API_SECRET,
            state_file=state_file,
            port=port,
        )
        with rotated:
            cli.set_config({"bandwidth:password": "rotated-pw-7d1e"}, secret=True)
            failed = cli.stack_cmd("destroy")
            assert failed.returncode != 0
            assert_no_traceback_of_ours(failed.output)
            hint = failed.lines_with("saved by the last up")
            assert hint and all("pulumi destroy --run-program" in line for line in hint), hint
            assert "rotated-pw-7d1e" not in failed.output

            # The bindings and the application (Catapult: its secret did not change; the
            # application goes beside the order) went; the rest wait for this.
            gone = cli.stack_cmd("destroy", "--run-program").check()
            assert summary(gone)["deleted"] == 3
            assert_emulator_empty(rotated)
            cli.ok("stack", "rm", "--yes", "--stack", cli.stack)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-x", "-q"]))
