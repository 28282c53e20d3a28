"""The layouts of the benchmark's stack, as Pulumi programs the CLI's language host runs.

``bulk`` is the flagship as shipped (examples/hosted_messaging/program.py: one
PhoneNumberBindings); ``per-number`` is the same stack with one PhoneNumber per number instead,
what the bulk resource replaces; ``null`` is the baseline, the same resource graph on a provider
that does no work (:mod:`bench.null_provider`); ``v2`` is the current platform's flagship
(examples/hosted_messaging_v2/program.py: a Location, a Messaging-V2 application, the
LocationMessaging, the import into the Location; no per-number binding). The project's
``__main__.py`` (written by :mod:`bench.plain`) calls :func:`run`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi

from bw_pulumi import PhoneNumber, PhoneNumberArgs

__all__ = ["LAYOUTS", "PROGRAM_FILE", "V2_PROGRAM_FILE", "program", "run"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROGRAM_FILE = EXAMPLES / "hosted_messaging" / "program.py"
V2_PROGRAM_FILE = EXAMPLES / "hosted_messaging_v2" / "program.py"
LAYOUTS = ("bulk", "per-number", "null", "v2")


def _flagship(path: Path = PROGRAM_FILE) -> Any:
    spec = importlib.util.spec_from_file_location(f"bw_bench_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def program(layout: str) -> Callable[[], None]:
    """The flagship program, or its per-number variant (the same resources but the bindings)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if layout == "null":
        from .null_provider import program as baseline

        return baseline
    if layout == "v2":
        current: Callable[[], None] = _flagship(V2_PROGRAM_FILE).program
        return current
    flagship = _flagship()
    if layout == "bulk":
        bulk: Callable[[], None] = flagship.program
        return bulk

    def per_number() -> None:
        cfg = pulumi.Config()
        _, order, app = flagship.hosted_messaging(cfg)
        for tn in cfg.require_object("numbers"):
            PhoneNumber(
                f"number-{tn}",
                PhoneNumberArgs(number=tn, application_id=app.application_id),
                opts=pulumi.ResourceOptions(depends_on=[order]),
            )

    return per_number


def run(layout: str) -> None:
    program(layout)()
