"""Without the ``emulator`` extra (werkzeug), the emulator says so in one line naming the extra.

Each case runs a fresh interpreter in which werkzeug cannot be imported, as in an install of
plain ``bw-pulumi``.
"""

from __future__ import annotations

import subprocess
import sys

from bw_pulumi.emulator import MISSING_EXTRA

_NO_WERKZEUG = "import sys; sys.modules['werkzeug'] = None\n"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _NO_WERKZEUG + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_m_emulator_without_the_extra_prints_one_line_naming_it() -> None:
    done = _run(
        "import runpy; sys.argv = ['emulator', '--port', '0']\n"
        "runpy.run_module('bw_pulumi.emulator', run_name='__main__')"
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"python -m bw_pulumi.emulator: {MISSING_EXTRA}"]
    assert "pip install 'bw-pulumi[emulator]'" in MISSING_EXTRA


def test_the_emulator_class_without_the_extra_raises_naming_it_and_the_rest_imports() -> None:
    done = _run(
        "import bw_pulumi, bw_pulumi.resources\n"
        "from bw_pulumi.emulator import ControlClient\n"
        "try:\n"
        "    from bw_pulumi.emulator import Emulator\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc.name, exc)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"werkzeug {MISSING_EXTRA}"


def test_with_the_extra_the_emulator_class_is_the_server() -> None:
    from bw_pulumi.emulator import Emulator
    from bw_pulumi.emulator.server import Emulator as Server

    assert Emulator is Server
