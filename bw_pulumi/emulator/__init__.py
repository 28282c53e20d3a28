"""A faithful, stateful fake of Bandwidth's Dashboard (XML) and Catapult v1 (JSON) APIs.

``python -m bw_pulumi.emulator`` serves both from one process; :class:`Emulator` runs the same
in-process for tests, and :class:`ControlClient` scripts it through ``/_emulator/``.
"""

from __future__ import annotations

from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.control_client import ControlClient
from bw_pulumi.emulator.models import Accounts
from bw_pulumi.emulator.server import Emulator

__all__ = ["Accounts", "ControlClient", "Emulator", "Progression"]
