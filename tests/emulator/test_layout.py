"""The emulator's shape: its own config key names, what it may import, one route per endpoint."""

from __future__ import annotations

import ast
from pathlib import Path

from bw_pulumi.config import SETTINGS_KEYS
from bw_pulumi.emulator import Emulator, urls
from bw_pulumi.emulator.server import SETTINGS

PACKAGE = Path(__file__).resolve().parents[2] / "bw_pulumi" / "emulator"
#: The wire modules: each reaches its backend, never another API's handlers.
WIRE = {"dashboard_responses", "catapult_responses", "control"}


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
    assert set(emu.stack_config()) == {key for key, _ in SETTINGS_KEYS.values()}
    assert set(emu.env()) == {var for _, var in SETTINGS_KEYS.values()}
    assert emu.stack_config()["bandwidth:accountId"] == emu.account_id


def test_emulator_imports_only_xml_and_numbers_from_the_package() -> None:
    for path in PACKAGE.glob("*.py"):
        outside = {
            name
            for name in _imports(path)
            if name.startswith("bw_pulumi")
            and not name.startswith("bw_pulumi.emulator")
            and name not in ("bw_pulumi", "bw_pulumi._xml", "bw_pulumi._numbers")
        }
        assert outside == set(), path.name


def test_wire_modules_never_import_each_other() -> None:
    for name in WIRE:
        reached = {n.rsplit(".", 1)[-1] for n in _imports(PACKAGE / f"{name}.py")}
        assert reached & (WIRE - {name}) == set(), name


def test_one_apis_modules_never_import_the_others() -> None:
    for path in PACKAGE.glob("*.py"):
        reached = {n.rsplit(".", 1)[-1] for n in _imports(path)}
        for mine, other in (("dashboard_", "catapult_"), ("catapult_", "dashboard_")):
            if path.stem.startswith(mine):
                assert not {n for n in reached if n.startswith(other)}, path.name


def test_every_endpoint_has_one_route() -> None:
    for table in (urls.DASHBOARD, urls.CATAPULT, urls.CONTROL):
        endpoints = [rule.endpoint for rule, _ in table]
        assert len(endpoints) == len(set(endpoints))


def test_emulator_modules_import_no_cycle() -> None:
    graph = {
        path.stem: {
            n.rsplit(".", 1)[-1]
            for n in _imports(path)
            if n.startswith("bw_pulumi.emulator.") or n == "bw_pulumi.emulator"
        }
        for path in PACKAGE.glob("*.py")
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
