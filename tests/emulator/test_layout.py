"""The emulator's shape: its own config key names, what it may import, one route per endpoint."""

from __future__ import annotations

import ast
from pathlib import Path

from bw_pulumi.config import SETTINGS_KEYS
from bw_pulumi.emulator import Emulator, urls
from bw_pulumi.emulator.server import SETTINGS

PACKAGE = Path(__file__).resolve().parents[2] / "bw_pulumi" / "emulator"
#: One sub-package per API (as moto keeps one folder per service), each with these modules.
APIS = ("dashboard", "catapult", "messaging")
API_MODULES = {"models", "backend", "responses", "faults", "wire", "urls"}
#: The handler modules: each reaches its backend, never another API's handlers.
WIRE = {"dashboard.responses", "catapult.responses", "messaging.responses", "control"}


def _modules() -> dict[str, Path]:
    """Every module of the emulator by its dotted name under ``bw_pulumi.emulator``."""
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
    }


def _local(name: str) -> str | None:
    """``bw_pulumi.emulator.x.y`` -> ``x.y`` (``from pkg import mod`` names count too)."""
    prefix = "bw_pulumi.emulator."
    return name[len(prefix) :] if name.startswith(prefix) else None


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_stack_config_keys_are_the_providers_keys(emu: Emulator) -> None:
    # Written twice on purpose (style habit 2b); this keeps the two sides from drifting apart.
    assert SETTINGS == SETTINGS_KEYS
    every = {"oauth": True, "universal": True}
    assert set(emu.stack_config(**every)) == {key for key, _ in SETTINGS_KEYS.values()}
    assert set(emu.env(**every)) == {var for _, var in SETTINGS_KEYS.values()}
    assert "bandwidth:clientId" not in emu.stack_config(), "Basic auth unless asked for OAuth2"
    assert emu.stack_config()["bandwidth:accountId"] == emu.account_id


def test_emulator_imports_only_xml_and_numbers_from_the_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        outside = {
            name
            for name in _imports(path)
            if name.startswith("bw_pulumi")
            and not name.startswith("bw_pulumi.emulator")
            and name not in ("bw_pulumi", "bw_pulumi._xml", "bw_pulumi._numbers")
        }
        assert outside == set(), path.name


def test_each_api_is_one_sub_package_with_the_same_modules() -> None:
    names = set(_modules())
    for api in APIS:
        assert {f"{api}.{m}" for m in API_MODULES} <= names, api
    # No flat per-API modules are left at the top.
    assert not {n for n in names if n.startswith(("dashboard_", "catapult_", "messaging_"))}


def test_wire_modules_never_import_each_other() -> None:
    modules = _modules()
    for name in WIRE:
        reached = {_local(n) for n in _imports(modules[name])}
        assert reached & (WIRE - {name}) == set(), name


def test_one_apis_modules_never_import_the_others() -> None:
    for name, path in _modules().items():
        mine = name.split(".")[0]
        if mine not in APIS:
            continue
        reached = {_local(n) for n in _imports(path)} - {None}
        others = {n for n in reached if n and n.split(".")[0] in APIS and n.split(".")[0] != mine}
        assert others == set(), name


def test_every_endpoint_has_one_route() -> None:
    for table in (urls.DASHBOARD, urls.CATAPULT, urls.MESSAGING, urls.OAUTH, urls.CONTROL):
        endpoints = [rule.endpoint for rule, _ in table]
        assert len(endpoints) == len(set(endpoints))


def test_emulator_modules_import_no_cycle() -> None:
    modules = _modules()
    graph = {
        name: {local for n in _imports(path) if (local := _local(n)) in modules}
        for name, path in modules.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done or name not in graph:
            return
        for nxt in graph[name] - {"__init__"}:
            visit(nxt, (*trail, name))
        done.add(name)

    for name in graph:
        if name not in ("__init__", "__main__"):
            visit(name, ())
