"""A faithful, stateful fake of Bandwidth's Dashboard (XML) and Catapult v1 (JSON) APIs.

``python -m bw_pulumi.emulator`` serves both from one process; :class:`Emulator` runs the same
in-process for tests, and :class:`ControlClient` scripts it through ``/_emulator/``.

The server needs werkzeug, which only the ``emulator`` extra installs (``pip install
'bw-pulumi[emulator]'``): the providers never need it. :class:`Emulator` is imported when first
used, so without the extra the rest of this package still imports and the emulator fails with
one line naming the extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.control_client import ControlClient
from bw_pulumi.emulator.models import Accounts

if TYPE_CHECKING:
    from bw_pulumi.emulator.server import Emulator

__all__ = ["MISSING_EXTRA", "Accounts", "ControlClient", "Emulator", "Progression", "missing_extra"]

#: What a user without the extra is told, in one line.
MISSING_EXTRA = (
    "the Bandwidth API emulator needs the 'emulator' extra: pip install 'bw-pulumi[emulator]'"
)


def missing_extra() -> str | None:
    """:data:`MISSING_EXTRA` if werkzeug cannot be imported, else ``None``."""
    try:
        import werkzeug  # noqa: F401
    except ImportError:
        return MISSING_EXTRA
    return None


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        missing = missing_extra()
        if missing:
            raise ModuleNotFoundError(missing, name="werkzeug")
        from bw_pulumi.emulator.server import Emulator

        return Emulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
