"""Driver behind `scripts/demo`: the flagship stack against a local Bandwidth emulator.

It runs the real `pulumi` CLI on the repository's root project (``Pulumi.yaml``: the program in
``examples/hosted_messaging/``, its virtualenv ``.venv``), from the repository root, on the
stack ``demo``: `pulumi preview`, `pulumi up --yes`, `pulumi refresh --yes` or `pulumi destroy
--yes` (plus ``--run-program`` when the emulator's URL differs from the one the last `up` saved),
with Pulumi's own display streamed to the terminal. The stack config (``Pulumi.demo.yaml`` at the
repository root) is set with `pulumi config set-all` (``--secret`` for the secrets), after
the arguments are checked. ``--platform v2`` does the same for the current platform's flagship
(``examples/hosted_messaging_v2``, from that directory, on the stack ``demo-v2``, OAuth2):
:mod:`demo_platforms` holds what differs.

Everything else lives under ``$BW_PULUMI_HOME`` (default ``.bw-pulumi/``): the emulator's state
file, the file backend (``state/``) and a private ``PULUMI_HOME`` (``pulumi-home/``); later
runs, and `pulumi` typed by hand with the environment printed at the end, see the same stack.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from demo_emulator import BackgroundEmulator, EmulatorError
from demo_messages import RoundTripError, choose_port
from demo_platforms import PLATFORMS, Platform
from pulumi_offline import find_cli_bin_dir

from bw_pulumi._numbers import InvalidNumber, to_e164
from bw_pulumi.errors import BandwidthError

REPO = Path(__file__).resolve().parents[1]
#: Protects only the emulator's well-known credentials in the demo stacks' config and state.
PASSPHRASE = "bw-pulumi-demo"
COMMANDS = ("up", "preview", "refresh", "destroy")
LANGUAGE_HOST = "pulumi-language-python"
#: Seconds for a `pulumi stack`/`pulumi config` command (no program, no provider).
CONFIG_TIMEOUT_SECONDS = 120


class DemoError(Exception):
    """A failure the driver reports in one line (`scripts/demo: ...`) before exiting 1."""


def say(message: str = "") -> None:
    # Flushed, so it lands in order with the output of the `pulumi` commands it introduces.
    print(message, flush=True)


def home() -> Path:
    return Path(os.environ.get("BW_PULUMI_HOME") or REPO / ".bw-pulumi").resolve()


def project_name(platform: Platform) -> str:
    name: str = yaml.safe_load((platform.project_dir / "Pulumi.yaml").read_text())["name"]
    return name


# -- arguments ---------------------------------------------------------------------------------


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Run the hosted-messaging stack against a local Bandwidth emulator.",
    )
    p.add_argument("command", nargs="?", default="up", choices=COMMANDS)
    p.add_argument(
        "--platform",
        choices=tuple(PLATFORMS),
        default="catapult",
        help="catapult: a legacy account's flagship (stack demo); v2: the current platform's "
        "(Location, Messaging-V2 application, OAuth2; stack demo-v2)",
    )
    p.add_argument(
        "--keep-emulator", action="store_true", help="leave the emulator running afterwards"
    )
    p.add_argument(
        "--port",
        type=port_number,
        help="emulator port (0 = any free one; default: last run's, else 8080, else a free one)",
    )
    p.add_argument(
        "--numbers",
        help="comma-separated numbers for the stack (default: the demo's three, or last run's)",
    )
    return p.parse_args(argv)


def parse_numbers(text: str | None) -> list[str] | None:
    """``--numbers`` as E.164, normalized as the providers do; :class:`DemoError` when bad."""
    if text is None:
        return None
    given = [n.strip() for n in text.split(",") if n.strip()]
    if not given:
        raise DemoError("--numbers: no number given")
    numbers = []
    for number in given:
        try:
            numbers.append(to_e164(number))
        except InvalidNumber as exc:
            raise DemoError(f"--numbers: {exc}") from None
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise DemoError(f"--numbers: {', '.join(duplicates)} given twice")
    return numbers


# -- the CLI -----------------------------------------------------------------------------------


def cli_bin_dir() -> Path:
    bin_dir, said = find_cli_bin_dir(REPO / "scripts" / "install-pulumi")
    if bin_dir is None:
        why = said.strip().splitlines()[-1:] or ["no answer"]
        raise DemoError(f"no Pulumi CLI (run scripts/setup); install-pulumi said: {why[0]}")
    beside = bin_dir / LANGUAGE_HOST
    if not os.access(beside, os.X_OK) and shutil.which(LANGUAGE_HOST) is None:
        raise DemoError(
            f"no {LANGUAGE_HOST} beside {bin_dir / 'pulumi'} or on PATH: `pulumi` cannot run "
            "the Python program (run scripts/install-pulumi)"
        )
    return bin_dir


def stack_env(root: Path) -> dict[str, str]:
    """What `pulumi` needs, besides the CLI on PATH, to find the demo stack and its secrets."""
    return {
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
    }


class Pulumi:
    """`pulumi <args>` from the project directory ``cwd``, in the demo's environment."""

    def __init__(self, root: Path, bin_dir: Path, cwd: Path = REPO) -> None:
        self.cwd = cwd
        (root / "state").mkdir(parents=True, exist_ok=True)
        # The caller's PULUMI_* settings (another backend, a passphrase file, a runtime
        # virtualenv) must not leak into the demo stack; the project's Pulumi.yaml decides.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        env.update(stack_env(root))
        env["PATH"] = os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")])
        env["PULUMI_SKIP_UPDATE_CHECK"] = "true"
        env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"
        self.env = env
        self.exe = str(bin_dir / "pulumi")

    def quiet(self, *args: str) -> str:
        """A bookkeeping command: its output only when it fails (then in the DemoError)."""
        proc = subprocess.run(
            [self.exe, *args],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=CONFIG_TIMEOUT_SECONDS,
            check=False,
        )
        if proc.returncode != 0:
            said = (proc.stderr.strip() or proc.stdout.strip()).replace("\n", " ")
            raise DemoError(f"`pulumi {args[0]} {args[1]}` failed: {said}")
        return proc.stdout

    def live(self, *args: str) -> int:
        """A stack operation, its display going straight to the terminal; the exit code."""
        proc = subprocess.Popen([self.exe, *args], cwd=self.cwd, env=self.env)
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:
                # The terminal's Ctrl-C reached `pulumi` too: let it cancel cleanly (a second
                # Ctrl-C makes it stop at once) rather than killing it mid-operation.
                continue


def configure(
    cli: Pulumi,
    platform: Platform,
    emu: BackgroundEmulator,
    numbers: list[str] | None,
    message_url: str,
) -> dict[str, str]:
    """Select (or create) the stack and point it at the emulator; `numbers` when given or new;
    inbound messages to `message_url`.

    Returns the plaintext values set.
    """
    stack = platform.stack
    cli.quiet("stack", "select", "--create", stack)
    project = project_name(platform)
    current: dict[str, Any] = json.loads(cli.quiet("config", "--json", "--stack", stack))
    if numbers is None and f"{project}:numbers" not in current:
        numbers = list(platform.default_numbers)
    plain, secret = platform.settings(emu.base_url, project, message_url)
    if numbers is not None:
        plain[f"{project}:numbers"] = json.dumps(numbers)
    args = ["config", "set-all", "--stack", stack]
    for key, value in plain.items():
        args += ["--plaintext", f"{key}={value}"]
    for key, value in secret.items():
        args += ["--secret", f"{key}={value}"]
    cli.quiet(*args)
    return plain


def urls_changed(cli: Pulumi, platform: Platform, config: dict[str, str]) -> bool:
    """Whether the provider config the last `up` saved in the state names other URLs.

    `refresh` and `destroy` use that saved copy unless they run the program, so a demo whose
    emulator moved to another port must pass `--run-program` (which, as a side effect, makes
    refresh show `[diff: ...]` for inputs the providers normalize: only when needed, then).
    """
    exported: dict[str, Any] = json.loads(cli.quiet("stack", "export", "--stack", platform.stack))
    resources = (exported.get("deployment") or {}).get("resources") or []
    for resource in resources:
        if resource.get("type") != "pulumi:providers:pulumi-python":
            continue
        saved = resource.get("inputs") or {}
        for key in platform.url_keys:
            if saved.get(key) not in (None, config[key]):
                return True
    return False


def operation(command: str, stack: str, *, run_program: bool) -> list[str]:
    """The `pulumi` arguments of a demo command."""
    args = [command, "--stack", stack]
    if command != "preview":
        args.append("--yes")
    if run_program and command in ("refresh", "destroy"):
        args.append("--run-program")
    return args


# -- what the user reads at the end ------------------------------------------------------------


def print_emulator_summary(platform: Platform, emu: BackgroundEmulator) -> None:
    say(f"Emulator at {emu.base_url} (state file {emu.state_file}):")
    for line in platform.summary(emu.state()):
        say(line)


def message_round_trip(cli: Pulumi, platform: Platform, emu: BackgroundEmulator, port: int) -> None:
    """The platform's message out and message in, as Bandwidth's Hosted Messaging guide ends."""
    outputs = json.loads(cli.quiet("stack", "output", "--json", "--stack", platform.stack))
    lines = platform.messages(emu, port, outputs)
    if lines:
        say()
    for line in lines:
        say(line)


def shown(path: Path) -> str:
    """A path as short as it stays unambiguous from the repository root."""
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def next_steps(root: Path, bin_dir: Path, platform: Platform, command: str) -> None:
    demo = platform.command
    say("\nNext:")
    start_over = (
        f"rm -rf {shlex.quote(shown(root))} {shlex.quote(shown(platform.stack_config_file))}"
    )
    if command == "destroy":
        say(f"  {demo}              # create everything again")
        say(f"  Start over: {start_over}")
    else:
        say(f"  {demo} refresh      # read every object back from the emulator; shows drift")
        say(f"  {demo}              # up again (no changes unless something drifted)")
        say(f"  {demo} destroy      # remove {platform.removes}")
        say(f"  Start over: {demo} destroy, then {start_over}")
    where = "the repository root" if platform.project_dir == REPO else "its project directory"
    say(f"\nRun pulumi by hand on the same stack, from {where}:")
    bin_quoted = re.sub(r'([\\"$`])', r"\\\1", str(bin_dir))  # inside "...", $PATH expands
    say(f'  export PATH="{bin_quoted}{os.pathsep}$PATH"')
    for key, value in stack_env(root).items():
        say(f"  export {key}={shlex.quote(value)}")
    say(f"  cd {shlex.quote(str(platform.project_dir))}")
    say(f"  pulumi stack output --stack {platform.stack}")
    say(f"  # up, refresh, destroy need the emulator running: {demo} --keep-emulator leaves it")
    say("  # (after the emulator changed ports, refresh and destroy need --run-program)")


# -- main --------------------------------------------------------------------------------------


def stack_operation(
    cli: Pulumi, platform: Platform, command: str, config: dict[str, str], root: Path
) -> int:
    """`pulumi <command>` on the demo stack, its display streamed; the exit code."""
    run_program = command in ("refresh", "destroy") and urls_changed(cli, platform, config)
    if run_program:
        say(
            "scripts/demo: the emulator's URL changed since the last `up`: "
            "--run-program gives the providers the new one"
        )
    pulumi_args = operation(command, platform.stack, run_program=run_program)
    say(f"scripts/demo: pulumi {' '.join(pulumi_args)}  (backend {root / 'state'})\n")
    return cli.live(*pulumi_args)


def run(args: argparse.Namespace, numbers: list[str] | None) -> int:
    platform = PLATFORMS[args.platform]
    root = home()
    bin_dir = cli_bin_dir()
    emu = BackgroundEmulator(root).ensure_running(args.port)
    how = "reusing the running" if emu.reused else "started the"
    say(f"scripts/demo: {how} emulator at {emu.base_url} (log {emu.log_file})")
    try:
        cli = Pulumi(root, bin_dir, platform.project_dir)
        sms_port = choose_port(root)
        message_url = f"http://127.0.0.1:{sms_port}/bandwidth/sms"
        config = configure(cli, platform, emu, numbers, message_url)
        code = stack_operation(cli, platform, args.command, config, root)
        if code != 0:
            print(
                f"scripts/demo: `pulumi {args.command}` failed (exit {code}); "
                "Pulumi's output above says why",
                file=sys.stderr,
                flush=True,
            )
            return 1
        say()
        print_emulator_summary(platform, emu)
        if args.command == "up":
            message_round_trip(cli, platform, emu, sms_port)
        next_steps(root, bin_dir, platform, args.command)
    finally:
        if args.keep_emulator:
            say(f"\nThe emulator keeps running (pid {emu.pid}, {emu.base_url}).")
        else:
            emu.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        # Checked before anything is started or written: a bad value never reaches the stack.
        numbers = parse_numbers(args.numbers)
        return run(args, numbers)
    except (DemoError, EmulatorError, RoundTripError, BandwidthError) as exc:
        print(f"scripts/demo: {exc}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
