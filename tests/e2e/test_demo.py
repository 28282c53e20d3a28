"""`scripts/demo`, the README's main command, run exactly as a newcomer runs it.

The demo drives the real `pulumi` CLI on the repository's root project, which runs the program
and the providers in the project's `.venv` (Pulumi.yaml): the environment here is a user's shell
without the test run's virtualenv, so nothing points the CLI at this interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from engine import REPO

from bw_pulumi.emulator import Emulator

DEMO = REPO / "scripts" / "demo"
DEMO_TIMEOUT_SECONDS = 600
CUSTOMER = "+19195550199"  # the demo conversation's other party
DEMO_NUMBERS = ["9195550100", "9195550101", "9195550102"]
#: The stack config file `pulumi config set` writes: the project's, beside the root Pulumi.yaml.
STACK_CONFIG = REPO / "Pulumi.demo.yaml"
#: `--platform v2`'s: its stack `demo-v2` of the project in examples/hosted_messaging_v2.
V2_STACK_CONFIG = REPO / "examples" / "hosted_messaging_v2" / "Pulumi.demo-v2.yaml"
V2_NUMBERS = ["9195550110", "9195550111", "9195550112"]
#: Lines scripts/setup (run first by scripts/demo) writes to stderr on every run.
SETUP_PREFIXES = ("setup: ", "install-pulumi: ")


def user_shell(**extra: str) -> dict[str, str]:
    """The caller's environment minus this test run's virtualenv and any PULUMI_* setting."""
    venvs = {Path(sys.prefix)} | (
        {Path(os.environ["VIRTUAL_ENV"])} if "VIRTUAL_ENV" in os.environ else set()
    )
    path = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and Path(p) not in {v / "bin" for v in venvs}
    ]
    dropped = ("VIRTUAL_ENV", "BW_PULUMI_VENV", "BW_PULUMI_HOME", "PYTHONPATH", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_") and k not in dropped}
    return {**env, "PATH": os.pathsep.join(path), **extra}


def _fresh(path: Path) -> Iterator[Path]:
    saved = path.read_bytes() if path.exists() else None
    path.unlink(missing_ok=True)
    try:
        yield path
    finally:
        if saved is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(saved)


@pytest.fixture
def stack_config_file() -> Iterator[Path]:
    """No `Pulumi.demo.yaml` at the start (a fresh clone); the developer's own is given back.

    It lives in the project directory, not in `$BW_PULUMI_HOME`, so the tests share it with a
    developer's `scripts/demo` runs (and with each other: they run one at a time).
    """
    yield from _fresh(STACK_CONFIG)


@pytest.fixture
def v2_stack_config_file() -> Iterator[Path]:
    """The same for `--platform v2`'s `examples/hosted_messaging_v2/Pulumi.demo-v2.yaml`."""
    yield from _fresh(V2_STACK_CONFIG)


@pytest.fixture
def demo_env(
    pulumi_bin_dir: Path, tmp_path: Path, stack_config_file: Path
) -> Iterator[dict[str, str]]:
    """A user's shell, a private state directory, and the CLI under test."""
    home = tmp_path / "bw-pulumi"
    yield user_shell(BW_PULUMI_HOME=str(home), BW_PULUMI_BIN_DIR=str(pulumi_bin_dir))
    # A demo killed by the timeout may leave its emulator running.
    try:
        pid = int(json.loads((home / "emulator.run.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return
    if pid > 0:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def run_demo(
    env: dict[str, str], *args: str, expect_ok: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(DEMO), *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )
    print(f"$ scripts/demo {' '.join(args)}  (exit {proc.returncode})")
    print(proc.stdout, proc.stderr, sep="\n")  # shown when the test fails
    if expect_ok:
        assert proc.returncode == 0, f"scripts/demo {' '.join(args)} exited {proc.returncode}"
    else:
        assert proc.returncode != 0, f"scripts/demo {' '.join(args)} succeeded"
    return proc


def demo_said(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr without scripts/setup's progress lines: what the demo itself reported."""
    return [line for line in proc.stderr.splitlines() if not line.startswith(SETUP_PREFIXES)]


def resources_summary(text: str) -> str:
    """The last `Resources:` block of Pulumi's display (the operation's, after its preview)."""
    assert "Resources:" in text
    return text.rsplit("Resources:", 1)[1].split("Duration:", 1)[0]


def saved_world(home: Path, tmp_path: Path) -> dict[str, Any]:
    """The emulator's saved world, read back through a fresh emulator on a copy of the file."""
    copy = tmp_path / "world-copy.json"
    shutil.copyfile(home / "emulator.json", copy)
    with Emulator(state_file=copy) as emu:
        return emu.control.state()


def hand_run(stdout: str) -> subprocess.CompletedProcess[str]:
    """The commands the demo prints for running `pulumi` by hand, run in a user's shell."""
    hint = stdout.split("Run pulumi by hand", 1)[1].splitlines()[1:]
    script = "\n".join(
        line.strip() for line in hint if line.strip() and not line.strip().startswith("#")
    )
    assert "export PULUMI_BACKEND_URL=" in script and "pulumi stack output" in script
    proc = subprocess.run(
        ["bash", "-euc", script],
        cwd="/",
        env=user_shell(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )
    print(f"$ bash -euc <hand-run hint>  (exit {proc.returncode})\n{proc.stdout}{proc.stderr}")
    return proc


def test_demo_runs_the_pulumi_cli_up_refresh_destroy_and_rejects_bad_numbers_untouched(
    demo_env: dict[str, str], tmp_path: Path, stack_config_file: Path
) -> None:
    home = Path(demo_env["BW_PULUMI_HOME"])
    up = run_demo(demo_env, "--port", "0")
    # Pulumi's own display, streamed: the preview, then the update with its summary.
    assert up.stdout.count("Updating (demo)") == 1
    assert re.search(r"^\s*\+ 5 created$", resources_summary(up.stdout), re.M)
    assert re.search(r'order_status\s*: "COMPLETE"', up.stdout)
    assert "scripts/demo refresh" in up.stdout and "scripts/demo destroy" in up.stdout

    world = saved_world(home, tmp_path)
    assert world["in_service"] == DEMO_NUMBERS
    [app] = world["applications"]
    bound = {n["number"]: n["application_id"] for n in world["phone_numbers"]}
    assert bound == {f"+1{tn}": app["id"] for tn in DEMO_NUMBERS}
    assert len(world["subscriptions"]) == 1
    assert not json.loads((home / "emulator.run.json").read_text())["pid"]  # emulator stopped

    # The last step of Bandwidth's Hosted Messaging guide: one SMS out from an imported number
    # through Catapult, and one in, which the demo's receiver (the application's
    # incomingMessageUrl) printed once it got it.
    sent = {(m["direction"], m["from_number"], m["to_number"]) for m in world["messages"]}
    assert sent == {("out", "+19195550100", CUSTOMER), ("in", CUSTOMER, "+19195550100")}
    assert re.search(
        r"^  received \+19195550199 -> \+19195550100: 'Got it, thanks!' \(delivered to the "
        r"application's incomingMessageUrl http://127\.0\.0\.1:\d+/bandwidth/sms\)$",
        up.stdout,
        re.M,
    )

    by_hand = hand_run(up.stdout)
    assert by_hand.returncode == 0
    assert app["id"] in by_hand.stdout

    config = stack_config_file.read_text()
    bad = run_demo(demo_env, "--numbers", "12345", expect_ok=False)
    assert demo_said(bad) == [
        "scripts/demo: --numbers: '12345' has too few digits (a NANP number has 10 digits "
        "after the +1: area code, exchange, line)"
    ]
    assert bad.stdout == ""
    assert stack_config_file.read_text() == config

    refresh = run_demo(demo_env, "refresh")  # works: the bad value never reached the stack
    assert "Refreshing (demo)" in refresh.stdout
    # The same port as the `up`'s: the providers' saved config is right, no --run-program.
    assert re.search(r"^scripts/demo: pulumi refresh --stack demo --yes +\(", refresh.stdout, re.M)
    assert not re.findall(r"\[diff: [^\]]*\]", refresh.stdout)
    assert re.search(r"^\s*5 unchanged$", resources_summary(refresh.stdout), re.M)

    destroy = run_demo(demo_env, "destroy")
    assert re.search(r"^\s*- 5 deleted$", resources_summary(destroy.stdout), re.M)
    world = saved_world(home, tmp_path)
    assert world["in_service"] == []
    assert world["phone_numbers"] == []
    assert world["applications"] == []
    assert world["subscriptions"] == []


def test_demo_on_a_port_in_use_says_so_in_one_line(
    demo_env: dict[str, str], stack_config_file: Path
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_demo(demo_env, "--port", str(port), expect_ok=False)
    assert demo_said(proc) == [f"scripts/demo: port {port} is in use"]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not stack_config_file.exists()  # checked before the stack was touched


def test_a_failed_up_shows_pulumis_output_once_and_says_which_step_failed(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    home = Path(demo_env["BW_PULUMI_HOME"])
    home.mkdir(parents=True)
    # The demo's emulator reloads this world: importTnChecker refuses the number.
    with Emulator(state_file=home / "emulator.json", unimportable={"9195550199": 19002}):
        pass
    proc = run_demo(demo_env, "--port", "0", "--numbers", "919-555-0199", expect_ok=False)
    assert proc.returncode == 1
    [said] = demo_said(proc)
    assert said.startswith("scripts/demo: `pulumi up` failed (exit ")
    output = proc.stdout + proc.stderr
    assert output.count("Updating (demo)") == 1
    assert output.count("Diagnostics:") == 1
    # The provider's detail line appears once, under Diagnostics.
    assert output.count("[19002] Telephone number is not in the Bandwidth inventory") == 1
    assert "Traceback" not in output
    assert "Run pulumi by hand" not in output
    assert not json.loads((home / "emulator.run.json").read_text())["pid"]  # emulator stopped


def test_demo_platform_v2_runs_the_current_flagship_with_oauth_and_a_v2_message_each_way(
    demo_env: dict[str, str], tmp_path: Path, v2_stack_config_file: Path
) -> None:
    home = Path(demo_env["BW_PULUMI_HOME"])
    up = run_demo(demo_env, "--platform", "v2", "--port", "0")
    assert up.stdout.count("Updating (demo-v2)") == 1
    assert re.search(r"^\s*\+ 6 created$", resources_summary(up.stdout), re.M)
    assert "scripts/demo --platform v2 refresh" in up.stdout
    assert "scripts/demo --platform v2 destroy" in up.stdout

    # OAuth2, as a current account: the client secret encrypted, no Dashboard login, no
    # Catapult user; no secret in plain text in the config or the state.
    config = yaml.safe_load(v2_stack_config_file.read_text())["config"]
    assert config["bandwidth:clientId"] == "emulator-client-id"
    assert set(config["bandwidth:clientSecret"]) == {"secure"}
    assert not {"bandwidth:username", "bandwidth:password", "bandwidth:userId"} & set(config)
    for path in [v2_stack_config_file, *(home / "state").rglob("*.json")]:
        assert "emulator-client-secret" not in path.read_text(), path

    world = saved_world(home, tmp_path)
    assert world["in_service"] == V2_NUMBERS
    [app] = world["dashboard_applications"]
    [peer] = world["sip_peers"]
    assert (peer["site_id"], peer["application_id"]) == ("14", app["id"])
    assert peer["sms"] is not None
    assert world["in_service_peers"] == {tn: peer["id"] for tn in V2_NUMBERS}
    assert len(world["subscriptions"]) == 1
    assert world["applications"] == [] and world["phone_numbers"] == []  # nothing on Catapult
    assert not json.loads((home / "emulator.run.json").read_text())["pid"]  # emulator stopped

    # One message out through the Messages API v2 and one in, which the emulator delivered as
    # a message-received JSON webhook to the application's inboundCallbackUrl (the receiver).
    sent = {(m["direction"], m["from_number"], tuple(m["to"])) for m in world["messages_v2"]}
    assert sent == {("out", "+19195550110", (CUSTOMER,)), ("in", CUSTOMER, ("+19195550110",))}
    assert world["messages"] == []
    url = r"http://127\.0\.0\.1:\d+/bandwidth/sms"
    assert re.search(
        r"^  sent     \+19195550110 -> \+19195550199: 'Hello from bw-pulumi: hosted messaging "
        r"works' \(Messages API v2 message \w+, 202 Accepted\)$",
        up.stdout,
        re.M,
    )
    assert re.search(rf"^  status   message-delivered to \+19195550199 .*{url}\)$", up.stdout, re.M)
    assert re.search(
        r"^  received \+19195550199 -> \+19195550110: 'Got it, thanks!' \(message-received, "
        rf"JSON webhook to the application's inboundCallbackUrl {url}\)$",
        up.stdout,
        re.M,
    )

    by_hand = hand_run(up.stdout)
    assert by_hand.returncode == 0
    assert app["id"] in by_hand.stdout

    bad = run_demo(demo_env, "--platform", "v2", "--numbers", "12345", expect_ok=False)
    assert demo_said(bad) == [
        "scripts/demo: --numbers: '12345' has too few digits (a NANP number has 10 digits "
        "after the +1: area code, exchange, line)"
    ]
    assert bad.stdout == ""

    refresh = run_demo(demo_env, "--platform", "v2", "refresh")
    assert "Refreshing (demo-v2)" in refresh.stdout
    assert not re.findall(r"\[diff: [^\]]*\]", refresh.stdout)
    assert re.search(r"^\s*6 unchanged$", resources_summary(refresh.stdout), re.M)

    destroy = run_demo(demo_env, "--platform", "v2", "destroy")
    assert re.search(r"^\s*- 6 deleted$", resources_summary(destroy.stdout), re.M)
    world = saved_world(home, tmp_path)
    assert world["in_service"] == []
    assert world["sip_peers"] == []
    assert world["dashboard_applications"] == []
    assert world["subscriptions"] == []
