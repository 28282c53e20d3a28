"""Driver behind `scripts/demo`: the flagship program against a local Bandwidth emulator.

The stack is the root project of this repository (its name and description come from
``Pulumi.yaml``), run through the Automation API with ``examples/hosted_messaging``'s
``program()`` as an inline program: the SDK then serves the language host in-process, so no
``pulumi-language-python`` binary is needed. Everything lives under ``$BW_PULUMI_HOME``
(default ``.bw-pulumi/``): the emulator's state file, the file backend (``state/``), the stack
workspace (``workspace/``) and a private ``PULUMI_HOME``; later runs find the same objects.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from demo_emulator import BackgroundEmulator
from pulumi import automation as auto

from bw_pulumi._offline import find_cli_bin_dir
from bw_pulumi._offline import offline_env as _offline_env

REPO = Path(__file__).resolve().parents[1]
PROGRAM_FILE = REPO / "examples" / "hosted_messaging" / "program.py"
STACK = "demo"
#: Protects only the emulator's well-known credentials in the demo stack's config and state.
PASSPHRASE = "bw-pulumi-demo"
DEMO_NUMBERS = ("+19195550100", "+19195550101", "+19195550102")
DEMO_SITE_ID = "14"
#: Nothing listens there: the emulator records each order callback attempt as refused.
DEMO_CALLBACK_URL = "http://127.0.0.1:9/bandwidth/callbacks"
COMMANDS = ("up", "preview", "refresh", "destroy")


def home() -> Path:
    return Path(os.environ.get("BW_PULUMI_HOME") or REPO / ".bw-pulumi").resolve()


def load_program(path: Path) -> Callable[[], None]:
    """``program`` from an example's ``program.py``, loaded by path (examples are no package)."""
    spec = importlib.util.spec_from_file_location(f"bw_example_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


def cli_bin_dir() -> Path:
    bin_dir, said = find_cli_bin_dir(REPO / "scripts" / "install-pulumi")
    if bin_dir is None:
        raise SystemExit(f"scripts/demo: no Pulumi CLI; run scripts/setup.\n{said}")
    return bin_dir


def offline_env(root: Path, bin_dir: Path) -> dict[str, str]:
    """Local file backend, passphrase secrets, no update check, no plugin downloads."""
    env = _offline_env(bin_dir, root / "state", root / "pulumi-home", PASSPHRASE)
    # A passphrase file from the caller's shell would compete with the demo's passphrase.
    os.environ.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
    return env


def project_settings() -> auto.ProjectSettings:
    root = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    # No virtualenv option: the workspace lives elsewhere, and PULUMI_RUNTIME_VIRTUALENV (set by
    # offline_env) already names this interpreter's environment for the plugin.
    return auto.ProjectSettings(
        name=root["name"], runtime="python", description=root.get("description")
    )


def open_stack(root: Path, bin_dir: Path, program: Callable[[], None]) -> auto.Stack:
    env = offline_env(root, bin_dir)
    work_dir = root / "workspace"
    work_dir.mkdir(parents=True, exist_ok=True)
    settings = project_settings()
    options = auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        pulumi_home=env["PULUMI_HOME"],
        env_vars=env,
        pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
        project_settings=settings,
    )
    return auto.create_or_select_stack(
        stack_name=STACK, project_name=settings.name, program=program, opts=options
    )


def configure(stack: auto.Stack, emu: BackgroundEmulator, numbers: Sequence[str] | None) -> None:
    """Point the stack at the emulator; the program's numbers only when new or asked for."""
    project = stack.workspace.project_settings().name
    url = emu.base_url
    cfg = {
        "bandwidth:dashboardUrl": auto.ConfigValue(f"{url}/api"),
        "bandwidth:catapultUrl": auto.ConfigValue(url),
        "bandwidth:accountId": auto.ConfigValue("9900000"),
        "bandwidth:username": auto.ConfigValue("emulator-user"),
        "bandwidth:password": auto.ConfigValue("emulator-password", secret=True),
        "bandwidth:userId": auto.ConfigValue("u-emulatoruser0000000000000"),
        "bandwidth:apiToken": auto.ConfigValue("t-emulatortoken00000000000"),
        "bandwidth:apiSecret": auto.ConfigValue("emulator-secret", secret=True),
        f"{project}:siteId": auto.ConfigValue(DEMO_SITE_ID),
        f"{project}:callbackUrl": auto.ConfigValue(DEMO_CALLBACK_URL),
    }
    current = stack.get_all_config()
    if numbers is not None or f"{project}:numbers" not in current:
        cfg[f"{project}:numbers"] = auto.ConfigValue(json.dumps(list(numbers or DEMO_NUMBERS)))
    stack.set_all_config(cfg)


def print_outputs(stack: auto.Stack) -> None:
    outputs = stack.outputs()
    if not outputs:
        print("(the stack has no outputs)")
        return
    for key in sorted(outputs):
        value = outputs[key]
        shown = "[secret]" if value.secret else json.dumps(value.value)
        print(f"  {key}: {shown}")


def print_emulator_summary(emu: BackgroundEmulator) -> dict[str, Any]:
    state = emu.state()
    bound = {n["number"]: n.get("application_id") for n in state["phone_numbers"]}
    print(f"Emulator at {emu.base_url} (state file {emu.state_file}):")
    print(f"  numbers in service: {', '.join(state['in_service']) or 'none'}")
    print(
        "  numbers bound to applications: "
        + (", ".join(f"{n} -> {a}" for n, a in sorted(bound.items())) or "none")
    )
    apps, subs = len(state["applications"]), len(state["subscriptions"])
    print(f"  applications: {apps}, subscriptions: {subs}")
    return state


def next_steps(root: Path, bin_dir: Path, command: str) -> None:
    demo = "scripts/demo"
    print("\nNext:")
    if command == "destroy":
        print(f"  {demo}              # create everything again")
    else:
        print(f"  {demo} refresh      # read every object back from the emulator; shows drift")
        print(f"  {demo}              # up again (no changes unless something drifted)")
        print(f"  {demo} destroy      # remove the bindings, application, subscription, numbers")
    print(
        f"  The stack by hand: PULUMI_BACKEND_URL={(root / 'state').as_uri()} "
        f"PULUMI_CONFIG_PASSPHRASE={PASSPHRASE} {bin_dir / 'pulumi'} -C {root / 'workspace'} "
        f"stack output --stack {STACK}"
    )
    print(f"  Start over: {demo} destroy, then rm -rf {root}")


def run(command: str, stack: auto.Stack) -> None:
    started = time.monotonic()
    summary: Mapping[Any, int] | None
    if command == "up":
        result = stack.up(on_output=print)
        summary = result.summary.resource_changes
    elif command == "preview":
        summary = stack.preview(on_output=print).change_summary
    elif command == "refresh":
        # run_program: providers get the config set just now (this run's emulator URL), not
        # the copy saved in state by the last `up`.
        summary = stack.refresh(on_output=print, run_program=True).summary.resource_changes
    else:
        summary = stack.destroy(on_output=print, run_program=True).summary.resource_changes
    counts = {str(getattr(op, "value", op)): n for op, n in (summary or {}).items()}
    print(f"\nscripts/demo {command}: {counts} in {time.monotonic() - started:.1f}s")


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
        type=int,
        help="emulator port (0 = any free one; default: last run's, else 8080, else a free one)",
    )
    p.add_argument(
        "--numbers",
        help="comma-separated numbers for the stack (default: the demo's three, or last run's)",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    root = home()
    numbers = [n.strip() for n in args.numbers.split(",")] if args.numbers else None
    bin_dir = cli_bin_dir()
    emu = BackgroundEmulator(root).ensure_running(args.port)
    how = "reusing the running" if emu.reused else "started the"
    print(f"scripts/demo: {how} emulator at {emu.base_url} (log {emu.log_file})")
    try:
        stack = open_stack(root, bin_dir, load_program(PROGRAM_FILE))
        configure(stack, emu, numbers)
        print(f"scripts/demo: {args.command} of stack {STACK!r} (backend {root / 'state'})\n")
        try:
            run(args.command, stack)
        except auto.CommandError as exc:
            print(
                f"\nscripts/demo: {args.command} failed; the engine said:\n{exc}", file=sys.stderr
            )
            return 1
        if args.command in ("up", "refresh"):
            print("\nStack outputs:")
            print_outputs(stack)
        print()
        print_emulator_summary(emu)
        next_steps(root, bin_dir, args.command)
    finally:
        if args.keep_emulator:
            print(f"\nThe emulator keeps running (pid {emu.pid}, {emu.base_url}).")
        else:
            emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
