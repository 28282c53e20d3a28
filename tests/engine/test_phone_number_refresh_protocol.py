"""`pulumi refresh` of many PhoneNumbers through the real plugin: one Catapult list, no GETs.

The engine refreshes resources from four worker threads of one plugin process; their reads share
the application's paged list (RUNTIME.catapult_numbers) instead of one GET per number.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bw_helpers import application_inputs
from harness import Engine, Resource

from bw_pulumi import ApplicationProvider, PhoneNumberProvider
from bw_pulumi.emulator import Emulator

NUMBERS = [f"91955503{i:02d}" for i in range(8)]


def _numbers_requests(emu: Emulator) -> dict[str, int]:
    requests = emu.control.stats()["requests"]
    return {
        route: sum(n for key, n in requests.items() if key.endswith(f"catapult.numbers.{route}"))
        for route in ("list", "get")
    }


def test_refresh_of_eight_phone_numbers_lists_their_application_once(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    bw_emu.control.numbers(in_service=NUMBERS)
    app_id = bw_engine.create(ApplicationProvider(), application_inputs(name="a"), name="a").id
    created = [
        bw_engine.create(
            PhoneNumberProvider(), {"number": tn, "application_id": app_id}, name=f"n-{tn}"
        )
        for tn in NUMBERS
    ]
    before = _numbers_requests(bw_emu)
    refresh = bw_plugin()  # a refresh is a new plugin process
    with ThreadPoolExecutor(max_workers=4) as pool:  # the engine's parallel steps
        refreshed: list[Resource | None] = list(pool.map(refresh.refresh, created))
    assert [r.id if r else None for r in refreshed] == [c.id for c in created]
    assert all(r and r.inputs["application_id"] == app_id for r in refreshed)
    after = _numbers_requests(bw_emu)
    assert {k: after[k] - before[k] for k in after} == {"list": 1, "get": 0}
