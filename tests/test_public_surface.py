"""The public surface: ``bw_pulumi.__all__``, the version, and the documented resource fields."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path

import pytest
from pulumi.dynamic import Resource

import bw_pulumi
from bw_pulumi.resources import (
    application,
    import_tn_order,
    location,
    location_messaging,
    messaging_application,
    phone_number,
    phone_number_bindings,
    subscription,
)

RESOURCE_MODULES = [
    subscription,
    import_tn_order,
    application,
    phone_number,
    phone_number_bindings,
    messaging_application,
    location,
    location_messaging,
]


def test_all_is_sorted_unique_public_and_importable() -> None:
    assert bw_pulumi.__all__ == sorted(set(bw_pulumi.__all__))
    assert not [name for name in bw_pulumi.__all__ if name.startswith("_")]
    namespace: dict[str, object] = {}
    exec("from bw_pulumi import *", namespace)
    assert {k for k in namespace if k != "__builtins__"} == set(bw_pulumi.__all__)


def test_all_names_every_public_object_the_package_defines() -> None:
    public = {
        name
        for name, value in vars(bw_pulumi).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(bw_pulumi.__all__)


def test_providers_pickle_under_the_public_module_path() -> None:
    # State pickles providers by reference: this path must never change.
    providers = [name for name in bw_pulumi.__all__ if name.endswith("Provider")]
    assert len(providers) == 8
    assert {getattr(bw_pulumi, name).__module__ for name in providers} == {"bw_pulumi"}


def test_version_comes_from_the_installed_metadata() -> None:
    assert bw_pulumi.__version__ == metadata.version("bw-pulumi")


def test_importing_the_package_loads_no_http_xml_or_number_library() -> None:
    # Every pulumi command starts a provider process that imports bw_pulumi; most (a no-op
    # `up`, a preview) send no request and parse no number, and these cost ~130 ms to load.
    code = (
        "import sys, bw_pulumi; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'requests', 'urllib3', 'lxml', 'phonenumbers', 'charset_normalizer', 'idna'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def _fields_without_docstring(cls: type) -> list[str]:
    """Annotated class attributes not followed by a string literal (an attribute docstring)."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    missing = []
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            documented = (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            )
            if not documented:
                missing.append(node.target.id)
    return missing


@pytest.mark.parametrize("module", RESOURCE_MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_args_and_output_field_has_a_docstring(module: types.ModuleType) -> None:
    classes = [
        cls
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and cls.__module__ in (module.__name__, "bw_pulumi")
        and (cls.__name__ in bw_pulumi.__all__ or issubclass(cls, Resource))
        and not cls.__name__.endswith("Provider")
    ]
    assert len(classes) >= 2  # the Args and the resource (and any input types)
    assert {cls.__name__: _fields_without_docstring(cls) for cls in classes} == {
        cls.__name__: [] for cls in classes
    }


def test_importing_the_package_patches_nothing_until_a_resource_is_constructed() -> None:
    probe = Path(__file__).with_name("_sdk_guard_probe.py")
    # The SDK's mocks call asyncio.get_event_loop() with no loop running, which Python >= 3.12
    # deprecates: that warning is Pulumi's, every other one still fails the probe.
    sdk_warning = "ignore:There is no current event loop:DeprecationWarning"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-W", sdk_warning, str(probe)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["after-import:unguarded", "after-construction:guarded"]
