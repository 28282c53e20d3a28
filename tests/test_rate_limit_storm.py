"""Many callers on one account's budget, against the emulator over real HTTP.

Bandwidth counts ``/applications`` per account (1 request a second, bandwidth-api.md 9), so
callers that each pace only themselves storm it with 429s. The transport must wait those out
rather than fail, and processes of one user sharing their pacing (``BW_PULUMI_PACING_DIR``)
must not storm it at all. The emulator's budget is scaled up (and the client's pacing with it)
so these run in seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bw_pulumi._http import Transport
from bw_pulumi.clients import CatapultClient
from bw_pulumi.clients.catapult_dialect import CATAPULT
from bw_pulumi.emulator import Emulator

SCALE = 20  # /applications at 20 a second instead of 1
APP = {"incomingMessageUrl": "http://127.0.0.1:9/messages"}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


def _budget(emu: Emulator, monkeypatch: pytest.MonkeyPatch, scale: int) -> Emulator:
    emu.control.reset()
    emu.control.faults()
    emu.control.limits(catapult_applications_per_second=1, scale=scale)
    monkeypatch.setenv("BW_PULUMI_RATE_SCALE", str(scale))
    return emu


@pytest.fixture
def budgeted(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    yield _budget(emu, monkeypatch, SCALE)
    emu.control.limits()


@pytest.fixture
def gently_budgeted(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    # At 2 a second the pacing margin (10% of the interval: 55 ms) outlasts the scheduling
    # jitter of a loaded machine, as 10% of Bandwidth's real second does.
    yield _budget(emu, monkeypatch, 2)
    emu.control.limits()


def _applications(emu: Emulator) -> set[str]:
    client = CatapultClient(
        emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret, pacing=False
    )
    emu.control.limits()  # the check itself spends no budget
    return {a.name for a in client.list_applications()}


def test_callers_pacing_only_themselves_wait_out_the_429_storm_and_all_succeed(
    budgeted: Emulator,
) -> None:
    emu = budgeted
    failures: list[BaseException] = []

    def caller(n: int) -> None:
        # Its own pacer, as a separate process has; one attempt for faults, so only waiting
        # out the rate limits (not an attempt count) can carry it through the storm.
        transport = Transport(
            emu.catapult_url, (emu.api_token, emu.api_secret), CATAPULT, max_attempts=1
        )
        client = CatapultClient(
            emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret, transport=transport
        )
        try:
            for i in range(3):
                client.create_application({**APP, "name": f"storm-{n}-{i}"})
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    limited = emu.control.stats()["status"].get("429", 0)
    assert failures == []
    assert limited >= 7  # eight first requests at once on a burst of one: a storm it was
    assert _applications(emu) == {f"storm-{n}-{i}" for n in range(8) for i in range(3)}


_CHILD = """
import sys
from bw_pulumi.clients import CatapultClient
url, user, token, secret, n = sys.argv[1:]
client = CatapultClient(url, user, token, secret)
for i in range(2):
    client.create_application(
        {"name": f"shared-{n}-{i}", "incomingMessageUrl": "http://127.0.0.1:9/messages"}
    )
"""


def test_processes_sharing_their_pacing_take_turns_without_a_single_429(
    gently_budgeted: Emulator, tmp_path: Path
) -> None:
    emu = gently_budgeted
    env = {**os.environ, "BW_PULUMI_PACING_DIR": str(tmp_path / "pacing")}
    args = [emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret]
    children = [
        subprocess.Popen([sys.executable, "-c", _CHILD, *args, str(n)], env=env) for n in range(3)
    ]
    assert [c.wait(60) for c in children] == [0] * 3
    assert emu.control.stats()["status"].get("429", 0) == 0
    assert _applications(emu) == {f"shared-{n}-{i}" for n in range(3) for i in range(2)}
    # One bucket file for the budget, named without the login.
    files = list((tmp_path / "pacing").iterdir())
    assert len(files) == 1
    assert emu.api_token not in files[0].name
