"""Driver behind `scripts/demo`: the flagship stack against a local Bandwidth emulator.

It runs the real `pulumi` CLI on the repository's root project (``Pulumi.yaml``: the program in
``examples/hosted_messaging/``, its virtualenv ``.venv``), from the repository root, on the
stack ``demo``: `pulumi preview`, `pulumi up --yes`, `pulumi refresh --yes` or `pulumi destroy
--yes` (plus ``--run-program`` when the emulator's URL differs from the one the last `up` saved),
with Pulumi's own display streamed to the terminal. The stack config (``Pulumi.demo.yaml`` at the
repository root) is set with `pulumi config set-all` (``--secret`` for the two secrets), after
the arguments are checked.

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
from demo_messages import RoundTripError, choose_port, receiver, round_trip
from pulumi_offline import find_cli_bin_dir

from bw_pulumi._numbers import InvalidNumber, to_e164
from bw_pulumi.clients.catapult import CatapultClient

REPO = Path(__file__).resolve().parents[1]
STACK = "demo"
#: Protects only the emulator's well-known credentials in the demo stack's config and state.
PASSPHRASE = "bw-pulumi-demo"
DEMO_NUMBERS = ("+19195550100", "+19195550101", "+19195550102")
DEMO_SITE_ID = "14"
#: Nothing listens there: the emulator records each order callback attempt as refused.
DEMO_CALLBACK_URL = "http://127.0.0.1:9/bandwidth/callbacks"
COMMANDS = ("up", "preview", "refresh", "destroy")
LANGUAGE_HOST = "pulumi-language-python"
URL_KEYS = ("bandwidth:dashboardUrl", "bandwidth:catapultUrl")
#: Seconds for a `pulumi stack`/`pulumi config` command (no program, no provider).
CONFIG_TIMEOUT_SECONDS = 120


class DemoError(Exception):
    """A failure the driver reports in one line (`scripts/demo: ...`) before exiting 1."""


def say(message: str = "") -> None:
    # Flushed, so it lands in order with the output of the `pulumi` commands it introduces.
    print(message, flush=True)


def home() -> Path:
    return Path(os.environ.get("BW_PULUMI_HOME") or REPO / ".bw-pulumi").resolve()


def project_name() -> str:
    name: str = yaml.safe_load((REPO / "Pulumi.yaml").read_text())["name"]
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
    """`pulumi <args>` from the repository root, in the demo's environment."""

    def __init__(self, root: Path, bin_dir: Path) -> None:
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
            cwd=REPO,
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
        proc = subprocess.Popen([self.exe, *args], cwd=REPO, env=self.env)
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:
                # The terminal's Ctrl-C reached `pulumi` too: let it cancel cleanly (a second
                # Ctrl-C makes it stop at once) rather than killing it mid-operation.
                continue


def configure(
    cli: Pulumi, emu: BackgroundEmulator, numbers: list[str] | None, message_url: str
) -> dict[str, str]:
    """Select (or create) the stack and point it at the emulator; `numbers` when given or new;
    inbound SMS to `message_url`.

    Returns the plaintext values set.
    """
    cli.quiet("stack", "select", "--create", STACK)
    project = project_name()
    current: dict[str, Any] = json.loads(cli.quiet("config", "--json", "--stack", STACK))
    if numbers is None and f"{project}:numbers" not in current:
        numbers = list(DEMO_NUMBERS)
    plain = {
        "bandwidth:dashboardUrl": f"{emu.base_url}/api",
        "bandwidth:catapultUrl": emu.base_url,
        "bandwidth:accountId": "9900000",
        "bandwidth:username": "emulator-user",
        "bandwidth:userId": "u-emulatoruser0000000000000",
        "bandwidth:apiToken": "t-emulatortoken00000000000",
        f"{project}:siteId": DEMO_SITE_ID,
        f"{project}:callbackUrl": DEMO_CALLBACK_URL,
        f"{project}:messageUrl": message_url,
    }
    if numbers is not None:
        plain[f"{project}:numbers"] = json.dumps(numbers)
    secret = {
        "bandwidth:password": "emulator-password",
        "bandwidth:apiSecret": "emulator-secret",
    }
    args = ["config", "set-all", "--stack", STACK]
    for key, value in plain.items():
        args += ["--plaintext", f"{key}={value}"]
    for key, value in secret.items():
        args += ["--secret", f"{key}={value}"]
    cli.quiet(*args)
    return plain


def urls_changed(cli: Pulumi, config: dict[str, str]) -> bool:
    """Whether the provider config the last `up` saved in the state names other URLs.

    `refresh` and `destroy` use that saved copy unless they run the program, so a demo whose
    emulator moved to another port must pass `--run-program` (which, as a side effect, makes
    refresh show `[diff: ...]` for inputs the providers normalize: only when needed, then).
    """
    exported: dict[str, Any] = json.loads(cli.quiet("stack", "export", "--stack", STACK))
    resources = (exported.get("deployment") or {}).get("resources") or []
    for resource in resources:
        if resource.get("type") != "pulumi:providers:pulumi-python":
            continue
        saved = resource.get("inputs") or {}
        for key in URL_KEYS:
            if saved.get(key) not in (None, config[key]):
                return True
    return False


def operation(command: str, *, run_program: bool) -> list[str]:
    """The `pulumi` arguments of a demo command."""
    args = [command, "--stack", STACK]
    if command != "preview":
        args.append("--yes")
    if run_program and command in ("refresh", "destroy"):
        args.append("--run-program")
    return args


# -- what the user reads at the end ------------------------------------------------------------


def print_emulator_summary(emu: BackgroundEmulator) -> None:
    state = emu.state()
    bound = {n["number"]: n.get("application_id") for n in state["phone_numbers"]}
    say(f"Emulator at {emu.base_url} (state file {emu.state_file}):")
    say(f"  numbers in service: {', '.join(state['in_service']) or 'none'}")
    say(
        "  numbers bound to applications: "
        + (", ".join(f"{n} -> {a}" for n, a in sorted(bound.items())) or "none")
    )
    apps, subs = len(state["applications"]), len(state["subscriptions"])
    say(f"  applications: {apps}, subscriptions: {subs}")


def message_round_trip(emu: BackgroundEmulator, port: int) -> None:
    """One SMS out from the first imported number, one in to it, as Bandwidth's Hosted
    Messaging guide ends."""
    numbers = sorted(n["number"] for n in emu.state()["phone_numbers"])
    if not numbers:
        return
    client = CatapultClient(
        emu.base_url, "u-emulatoruser0000000000000", "t-emulatortoken00000000000", "emulator-secret"
    )
    with receiver(port) as inbox:
        lines = round_trip(client, emu.base_url, inbox, numbers[0])
    say("\nMessages (Catapult /messages out, the application's incomingMessageUrl in):")
    for line in lines:
        say(line)


def shown(path: Path) -> str:
    """A path as short as it stays unambiguous from the repository root."""
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def next_steps(root: Path, bin_dir: Path, command: str) -> None:
    demo = "scripts/demo"
    say("\nNext:")
    start_over = f"rm -rf {shlex.quote(shown(root))} Pulumi.{STACK}.yaml"
    if command == "destroy":
        say(f"  {demo}              # create everything again")
        say(f"  Start over: {start_over}")
    else:
        say(f"  {demo} refresh      # read every object back from the emulator; shows drift")
        say(f"  {demo}              # up again (no changes unless something drifted)")
        say(f"  {demo} destroy      # remove the bindings, application, subscription, numbers")
        say(f"  Start over: {demo} destroy, then {start_over}")
    say("\nRun pulumi by hand on the same stack, from the repository root:")
    bin_quoted = re.sub(r'([\\"$`])', r"\\\1", str(bin_dir))  # inside "...", $PATH expands
    say(f'  export PATH="{bin_quoted}{os.pathsep}$PATH"')
    for key, value in stack_env(root).items():
        say(f"  export {key}={shlex.quote(value)}")
    say(f"  cd {shlex.quote(str(REPO))}")
    say(f"  pulumi stack output --stack {STACK}")
    say(f"  # up, refresh, destroy need the emulator running: {demo} --keep-emulator leaves it")
    say("  # (after the emulator changed ports, refresh and destroy need --run-program)")


# -- main --------------------------------------------------------------------------------------


def run(args: argparse.Namespace, numbers: list[str] | None) -> int:
    root = home()
    bin_dir = cli_bin_dir()
    emu = BackgroundEmulator(root).ensure_running(args.port)
    how = "reusing the running" if emu.reused else "started the"
    say(f"scripts/demo: {how} emulator at {emu.base_url} (log {emu.log_file})")
    try:
        cli = Pulumi(root, bin_dir)
        sms_port = choose_port(root)
        config = configure(cli, emu, numbers, f"http://127.0.0.1:{sms_port}/bandwidth/sms")
        run_program = args.command in ("refresh", "destroy") and urls_changed(cli, config)
        if run_program:
            say(
                "scripts/demo: the emulator's URL changed since the last `up`: "
                "--run-program gives the providers the new one"
            )
        pulumi_args = operation(args.command, run_program=run_program)
        say(f"scripts/demo: pulumi {' '.join(pulumi_args)}  (backend {root / 'state'})\n")
        code = cli.live(*pulumi_args)
        if code != 0:
            print(
                f"scripts/demo: `pulumi {args.command}` failed (exit {code}); "
                "Pulumi's output above says why",
                file=sys.stderr,
                flush=True,
            )
            return 1
        say()
        print_emulator_summary(emu)
        if args.command == "up":
            message_round_trip(emu, sms_port)
        next_steps(root, bin_dir, args.command)
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
    except (DemoError, EmulatorError, RoundTripError) as exc:
        print(f"scripts/demo: {exc}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
