"""The plain-CLI flow every native-plugin program runs (YAML, Python through the generated SDK):
preview without API calls, up with progress on the order's row, a no-op up, a refresh without
diff, `pulumi import` of an application made by hand (its id is enough), a refresh after it,
and a destroy that leaves the emulator empty. Each program is the same five-resource flagship
stack with the same config and outputs.
"""

from __future__ import annotations

from bw_e2e import assert_emulator_empty, assert_no_credentials, catapult
from cli import PlainCLI, summary
from engine import REPO

from bw_pulumi.emulator import Emulator

PLUGIN = REPO / ".venv" / "bin" / "pulumi-resource-bandwidth"
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")
NUMBERS = ["9195550170", "9195550171"]


def configure(cli: PlainCLI, emu: Emulator) -> None:
    for key, value in emu.stack_config().items():
        # --plaintext: what is not a secret is said so, as the CLI asks of secret-looking values.
        flag = "--secret" if key in SECRET_KEYS else "--plaintext"
        cli.ok("config", "set", flag, "--stack", cli.stack, key, value)
    cli.set_config(
        {
            "numbers": "+19195550170,919-555-0171",
            "siteId": "14",
            "callbackUrl": "http://127.0.0.1:9/bandwidth/orders",
        }
    )


def lifecycle_with_import(cli: PlainCLI, emu: Emulator, imported_code: str) -> None:
    """The flow; ``imported_code`` is a line `pulumi import` prints in the program's language."""
    configure(cli, emu)
    preview = cli.stack_cmd("preview").check()
    assert summary(preview) == {"create": 5}, preview.output
    assert emu.control.state()["import_orders"] == [], "preview makes no API call"

    up = cli.stack_cmd("up").check()
    assert summary(up) == {"created": 5}
    progress = up.lines_with("bw-pulumi: placed import order")
    assert progress and all("bandwidth:index:ImportTnOrder order" in line for line in progress)
    outputs = cli.outputs()
    assert outputs["importedNumbers"] == NUMBERS
    assert sorted(outputs["numberIds"]) == [f"+1{n}" for n in NUMBERS]

    again = cli.stack_cmd("up").check()
    assert summary(again) == {"unchanged": 5}
    quiet = cli.stack_cmd("refresh").check()
    assert quiet.diff_markers() == set()
    assert summary(quiet) == {"unchanged": 5}

    hand_made = catapult(emu).create_application(
        {"name": "made-by-hand", "incomingMessageUrl": "http://127.0.0.1:9/hand"}
    )
    import_args = ("--yes", "--protect=false", "bandwidth:index:Application", "hand-made")
    imported = cli("import", "--stack", cli.stack, *import_args, hand_made).check()
    assert "= 1 imported" in imported.output
    assert imported_code in imported.output, "the program code pulumi import prints"
    after = cli.stack_cmd("refresh").check()
    assert after.diff_markers() == set()
    assert summary(after) == {"unchanged": 6}

    gone = cli.stack_cmd("destroy").check()
    assert summary(gone) == {"deleted": 6}
    assert_emulator_empty(emu)
    assert_no_credentials(str(cli.export()))
    cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
