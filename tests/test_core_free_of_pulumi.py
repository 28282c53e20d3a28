"""The lifecycle cores (bw_pulumi/core) import nothing of Pulumi, directly or through any module
of ours they import: both adapters (dynamic providers, native plugin) run the same plain code.

Module-level imports only: a function may import the engine's log service when it runs inside
the dynamic server (bw_pulumi._progress), which loading a core never does."""

from __future__ import annotations

import ast
from pathlib import Path

import bw_pulumi
from bw_pulumi.core import lifecycle
from bw_pulumi.core.values import is_unknown

PACKAGE = Path(bw_pulumi.__file__).parent


def _module_path(name: str) -> Path | None:
    parts = name.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"), PACKAGE.joinpath(*parts)):
        if candidate.is_file():
            return candidate
        if candidate.is_dir():
            return None  # a package's __init__ (the public API) is not what a core runs
    return None


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports at module level (relative ones resolved)."""
    module = ".".join(("bw_pulumi", *path.relative_to(PACKAGE).with_suffix("").parts))
    names: set[str] = set()
    for node in _module_level(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: -node.level]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    """Statements run on import: the module's body, into ``if`` and ``try`` but not functions."""
    found: list[ast.stmt] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, (ast.If, ast.Try)):
            todo.extend([*node.body, *node.orelse, *getattr(node, "finalbody", [])])
            todo.extend(s for h in getattr(node, "handlers", []) for s in h.body)
    return found


def _pulumi_imports_reached_from(start: list[Path]) -> dict[str, str]:
    """Each Pulumi module imported by a module reachable from ``start``: {pulumi name: by whom}."""
    seen: set[Path] = set()
    found: dict[str, str] = {}
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            if name == "pulumi" or name.startswith("pulumi."):
                found[name] = str(path.relative_to(PACKAGE))
            elif name.startswith("bw_pulumi."):
                target = _module_path(name)
                if target is not None:
                    todo.append(target)
    return found


def test_no_core_module_reaches_a_pulumi_import() -> None:
    cores = sorted((PACKAGE / "core").glob("*.py"))
    assert len(cores) > 3
    assert _pulumi_imports_reached_from(cores) == {}


def test_the_scan_finds_a_pulumi_import_through_our_own_modules() -> None:
    # Location's provider reaches the SDK's secret wrapper only through the dynamic adapter.
    found = _pulumi_imports_reached_from([PACKAGE / "resources" / "location.py"])
    assert found["pulumi.runtime.rpc"] == "resources/_provider.py"


def test_the_sdks_unknown_is_the_cores_unknown() -> None:
    from pulumi.output import Unknown

    assert is_unknown(Unknown())  # type: ignore[no-untyped-call]
    assert is_unknown({"a": [lifecycle.UNKNOWN]})
    assert not is_unknown({"a": ["x"]})
