"""Every project of this repository through the plain `pulumi` CLI, as a user types it.

From the repository root (whose `Pulumi.yaml` points `main:` at examples/hosted_messaging) and
from each example directory: `preview`, `up`, a second `up` that changes nothing, a `refresh`
that shows no diff, an out-of-band change that `refresh` shows (and only that), an `up` that
repairs it, a `destroy` that leaves the emulator empty, and `stack rm`. The CLI starts Pulumi's
own Python language host for the program; the emulator runs in this process on 127.0.0.1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bw_e2e import (
    BW_PASSWORD,
    assert_emulator_empty,
    assert_no_credentials,
    catapult,
    dashboard,
)
from cli import PlainCLI, assert_no_traceback_of_ours, plain_stack, summary
from engine import REPO

from bw_pulumi.clients.dashboard import Address, ImportOrderRequest
from bw_pulumi.clients.dashboard_apps import DashboardAppsClient
from bw_pulumi.clients.dashboard_apps_models import MessagingApp, MessagingAppSpec
from bw_pulumi.emulator import Emulator

EXAMPLES = REPO / "examples"
MESSAGE_URL = "http://127.0.0.1:9/sms"
EDITED_URL = "http://127.0.0.1:9/edited-in-the-portal"
#: The project's credentials as a user sets them: the CLI itself insists that the API token
#: (which looks like a secret) is set with --secret or --plaintext.
SECRET_KEYS = ("bandwidth:password", "bandwidth:apiSecret", "bandwidth:apiToken")


def project_venv_ready(project_dir: Path) -> None:
    """The project's `virtualenv` must exist: scripts/setup (or .ci/run) makes REPO/.venv."""
    python = REPO / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing: run scripts/setup (the projects' virtualenv)")
    assert (project_dir / "Pulumi.yaml").is_file()


def configure(cli: PlainCLI, emu: Emulator, **project: str) -> None:
    """`pulumi config set` for the Bandwidth keys (secrets with --secret) and the project's."""
    bandwidth = emu.stack_config()
    cli.set_config({k: v for k, v in bandwidth.items() if k not in SECRET_KEYS})
    cli.set_config({k: v for k, v in bandwidth.items() if k in SECRET_KEYS}, secret=True)
    cli.set_config(project)


def flagship_config(emu: Emulator) -> dict[str, str]:
    return {
        "numbers": '["+19195550160", "919-555-0161"]',
        "siteId": "14",
        "callbackUrl": "http://127.0.0.1:9/bandwidth/orders",
        "messageUrl": MESSAGE_URL,
    }


def app_url(emu: Emulator) -> str:
    [app] = emu.control.state()["applications"]
    url: str = catapult(emu).get_application(app["id"]).incoming_message_url or ""
    return url


def edit_application_in_portal(emu: Emulator) -> None:
    [app] = emu.control.state()["applications"]
    catapult(emu).update_application(app["id"], {"incomingMessageUrl": EDITED_URL})


@dataclass(frozen=True)
class Drift:
    """An out-of-band edit of the application, the diff marker refresh must show for it, and
    the URL the repairing `up` must put back."""

    edit: Callable[[Emulator], None]
    marker: str
    url: Callable[[Emulator], str]


CATAPULT_DRIFT = Drift(
    lambda emu: edit_application_in_portal(emu),
    "[diff: ~incoming_message_url]",
    lambda emu: app_url(emu),
)


def lifecycle(
    cli: PlainCLI, emu: Emulator, count: int, app: str, drift: Drift = CATAPULT_DRIFT
) -> None:
    """The Terraform acceptance steps, judged on what the CLI shows; the drift is an edit of
    the application (resource `app`) in the portal."""
    preview = cli.stack_cmd("preview").check()
    assert summary(preview) == {"create": count}, preview.output

    up = cli.stack_cmd("up").check()
    assert summary(up) == {"created": count}

    again = cli.stack_cmd("up").check()
    assert summary(again) == {"unchanged": count}

    quiet = cli.stack_cmd("refresh").check()
    assert quiet.diff_markers() == set(), "a refresh with nothing changed shows no diff"
    assert summary(quiet) == {"unchanged": count}

    drift.edit(emu)
    drifted = cli.stack_cmd("refresh").check()
    assert drifted.diff_markers() == {drift.marker}
    assert all(f" {app} " in line for line in drifted.lines_with("[diff:"))
    assert summary(drifted) == {"updated": 1, "unchanged": count - 1}

    repaired = cli.stack_cmd("up").check()
    assert summary(repaired) == {"updated": 1, "unchanged": count - 1}
    assert drift.url(emu) == MESSAGE_URL
    assert cli.stack_cmd("refresh").check().diff_markers() == set()

    gone = cli.stack_cmd("destroy").check()
    assert summary(gone) == {"deleted": count}
    assert_emulator_empty(emu)

    state_text = str(cli.export())
    assert_no_credentials(state_text)
    cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
    assert not cli.stack_file().exists()
    assert cli.stack not in cli.ok("stack", "ls").stdout


@pytest.mark.parametrize("where", ["repository root", "examples/hosted_messaging"])
def test_flagship_lifecycle_through_the_plain_cli(
    where: str, language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_dir = REPO if where == "repository root" else REPO / where
    project_venv_ready(project_dir)
    with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
        configure(cli, emu, **flagship_config(emu))
        lifecycle(cli, emu, 5, "sms-app")
    up_log = "\n".join(cli.log)
    assert "bw-pulumi: placed import order" in up_log, "order progress reaches the display"


def test_staging_example_lifecycle_through_the_plain_cli(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_dir = EXAMPLES / "staging_teardown"
    project_venv_ready(project_dir)
    with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
        configure(cli, emu, numbers='["9195550170", "9195550171"]', siteId="14")
        cli.set_config({"messageUrl": MESSAGE_URL})
        lifecycle(cli, emu, 5, "staging-app")


def v2_app(emu: Emulator) -> MessagingApp:
    [app] = emu.control.state()["dashboard_applications"]
    return DashboardAppsClient(dashboard(emu)).get_application(app["id"])


def edit_v2_application_in_portal(emu: Emulator) -> None:
    spec = MessagingAppSpec(v2_app(emu).app_name or "", EDITED_URL)
    DashboardAppsClient(dashboard(emu)).patch_application(
        v2_app(emu).application_id, spec, frozenset({"inbound_callback_url"})
    )


V2_DRIFT = Drift(
    edit_v2_application_in_portal,
    "[diff: ~inbound_callback_url]",
    lambda emu: v2_app(emu).inbound_callback_url or "",
)


def test_v2_flagship_lifecycle_through_the_plain_cli(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_dir = EXAMPLES / "hosted_messaging_v2"
    project_venv_ready(project_dir)
    with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
        configure(cli, emu, **flagship_config(emu))
        cli.set_config({"mms": "true"})
        lifecycle(cli, emu, 6, "messaging-app", V2_DRIFT)
    state = emu.control.state()
    assert state["dashboard_applications"] == [] and state["sip_peers"] == []


def import_by_hand(emu: Emulator, numbers: list[str]) -> tuple[str, str]:
    """What a person did before Pulumi: an import order and an application."""
    order = dashboard(emu).create_import_order(
        ImportOrderRequest(
            telephone_numbers=numbers,
            site_id="14",
            subscriber_name="Hand Imported",
            service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
            loa_authorizing_person="Jane Doe",
            customer_order_id="by-hand",
        )
    )
    app_id = catapult(emu).create_application(
        {"name": "by-hand", "incomingMessageUrl": MESSAGE_URL}
    )
    return order.order_id, app_id


def test_adopt_example_lifecycle_through_the_plain_cli(
    language_host_bin_dir: Path, tmp_path: Path
) -> None:
    project_dir = EXAMPLES / "adopt_numbers"
    project_venv_ready(project_dir)
    numbers = ["9195550180", "9195550181"]
    with Emulator(processing_seconds=0, password=BW_PASSWORD) as emu:
        order_id, app_id = import_by_hand(emu, numbers)
        with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
            configure(
                cli,
                emu,
                adoptOrderId=order_id,
                numbers='["9195550180", "9195550181"]',
                siteId="14",
                subscriberName="Hand Imported",
                applicationName="by-hand",
                messageUrl=MESSAGE_URL,
                applicationId=app_id,
            )
            lifecycle(cli, emu, 5, "adopted-app")
        assert len(emu.control.state()["import_orders"]) == 1  # adopted, never re-ordered


def test_wrong_password_is_one_actionable_line_without_a_traceback(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_dir = REPO
    project_venv_ready(project_dir)
    with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
        configure(cli, emu, **flagship_config(emu))
        cli.set_config({"bandwidth:password": "not-the-password"}, secret=True)
        failed = cli.stack_cmd("up")
        assert failed.returncode != 0
        assert_no_traceback_of_ours(failed.output)
        assert "bandwidth:password" in failed.output
        assert "401" in failed.output
        assert "not-the-password" not in failed.output
        cli.stack_cmd("destroy").check()  # the preview failed: nothing to destroy
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
    assert_emulator_empty(emu)


def test_a_url_nothing_listens_on_fails_at_once_naming_the_url_tried(
    language_host_bin_dir: Path, tmp_path: Path, emu: Emulator
) -> None:
    project_dir = REPO
    project_venv_ready(project_dir)
    with socket.socket() as probe:  # a free port, never listened on: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with plain_stack(language_host_bin_dir, tmp_path, project_dir) as cli:
        configure(cli, emu, **flagship_config(emu))
        cli.set_config({"bandwidth:dashboardUrl": f"http://127.0.0.1:{port}/api"})
        failed = cli.stack_cmd("up")
        assert failed.returncode != 0
        assert_no_traceback_of_ours(failed.output)
        refused = failed.lines_with(
            f"connection refused by http://127.0.0.1:{port} after 3 attempts"
        )
        assert refused and all("Bandwidth Dashboard" in line for line in refused), failed.output
        assert "Check bandwidth:dashboardUrl (env BANDWIDTH_DASHBOARD_URL)" in failed.output
        assert_no_credentials(failed.output)
        cli.set_config({"bandwidth:dashboardUrl": emu.stack_config()["bandwidth:dashboardUrl"]})
        cli.stack_cmd("destroy").check()  # whatever the Catapult side created
        cli.ok("stack", "rm", "--yes", "--stack", cli.stack)
    assert_emulator_empty(emu)


def test_the_projects_virtualenv_has_a_pip_the_language_host_lists_packages_with_quickly() -> None:
    """Pulumi's Python host runs ``pip --version`` and ``pip list`` on every command; the pip
    Python 3.11's venv bundles takes twice as long, so scripts/setup upgrades it (>= 25)."""
    out = subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "-c", "import pip; print(pip.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert int(out.split(".")[0]) >= 25, f"pip {out} in .venv: run scripts/setup"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-x", "-q"]))
