"""One in-service strategy for every resource, against the emulator over real HTTP.

Remembered answers cost nothing; otherwise the account is listed when ``/totals`` says that is
cheaper than one GET per number, else one GET each. Requests are counted by emulator route; the
list changing between page requests is made to happen by a loopback proxy in front of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi._runtime import RUNTIME, reset
from bw_pulumi.clients.dashboard import DashboardClient
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import ConfigError
from bw_pulumi.resources._in_service import InServiceCache
from bw_pulumi.resources._service_checks import (
    PROPAGATION_SECONDS,
    check_in_service,
    confirm_in_service,
)
from tests.fake_clock import FakeClock

from .conftest import configured, dashboard, order_inputs
from .lossy_proxy import Action, Script, Step, lossy_proxy

STACK = [f"91955501{n:02d}" for n in range(30)]
#: Numbers of the account outside the stack: 1200 of them make three pages of 500, all sorted
#: (the emulator's cursor order) before the stack's numbers.
OTHERS = [f"70455{n:05d}" for n in range(1200)]


def _requests(emu: Emulator, route: str) -> int:
    return sum(n for key, n in emu.control.stats()["requests"].items() if route in key)


def _counts(emu: Emulator) -> dict[str, int]:
    return {r: _requests(emu, f"inservice.{r}") for r in ("totals", "list", "get")}


def _provider(emu: Emulator, **overrides: str) -> ImportTnOrderProvider:
    reset()  # every operation in a new provider process, as the engine runs them: no cache
    return configured(ImportTnOrderProvider, emu, **overrides)


def _client(url: str, emu: Emulator) -> DashboardClient:
    return DashboardClient(url, emu.account_id, emu.username, emu.password)


def _create(emu: Emulator, numbers: list[str], **overrides: str) -> Any:
    provider = _provider(emu, **overrides)
    # Inputs checked without the config proof (an unconfigured provider): its one /totals read
    # is not what these counts are about.
    return provider.create(dict(ImportTnOrderProvider().check({}, order_inputs(numbers)).inputs))


class BetweenPages:
    """A proxy decision that runs ``change`` once, just before the second list page is asked
    for (the first page asks for ``page=1``; later ones carry the opaque cursor)."""

    def __init__(self, change: Callable[[], None]) -> None:
        self.change: Callable[[], None] | None = change

    def __call__(self, method: str, path: str) -> Action:
        later_page = "/inserviceNumbers?" in path and "page=1&" not in path + "&"
        if method == "GET" and later_page and self.change is not None:
            change, self.change = self.change, None
            change()
        return "forward"


def test_import_order_of_many_numbers_lists_pages_on_create_read_and_delete(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=OTHERS)  # three pages in all: still cheaper than 30 GETs
    created = _create(emu, STACK)
    assert created.outs["imported_numbers"] == STACK
    assert _counts(emu) == {"totals": 1, "list": 3, "get": 0}

    before = _counts(emu)
    read = _provider(emu).read(created.id, created.outs)
    assert read.outs["imported_numbers"] == STACK
    after = _counts(emu)
    assert {k: after[k] - before[k] for k in after} == {"totals": 1, "list": 3, "get": 0}

    _provider(emu).delete(created.id, created.outs)
    done = _counts(emu)
    assert done["get"] == 0 and done["list"] - after["list"] == 3  # out of service: listed
    assert sorted(emu.control.state()["in_service"]) == OTHERS


def test_import_order_of_two_numbers_asks_for_each_and_never_for_totals(emu: Emulator) -> None:
    created = _create(emu, STACK[:2])
    _provider(emu).read(created.id, created.outs)
    _provider(emu).delete(created.id, created.outs)
    assert _counts(emu) == {"totals": 0, "list": 0, "get": 6}


def test_an_account_far_bigger_than_the_stack_gets_one_get_per_number(emu: Emulator) -> None:
    emu.control.numbers(in_service=OTHERS + [f"70456{n:05d}" for n in range(800)])  # 4 pages
    numbers = STACK[:4]  # 1 + 4 pages is not cheaper than 4 GETs
    created = _create(emu, numbers)
    _provider(emu).read(created.id, created.outs)
    _provider(emu).delete(created.id, created.outs)
    assert _counts(emu) == {"totals": 3, "list": 0, "get": 12}


def test_a_403_on_totals_falls_back_to_one_get_per_number(emu: Emulator) -> None:
    script = Script(Step("GET", "/inserviceNumbers/totals", "403"))
    with lossy_proxy(emu.dashboard_url, script) as url:
        created = _create(emu, STACK, **{"bandwidth:dashboardUrl": url})
    assert script.pending == []
    assert created.outs["imported_numbers"] == STACK
    assert _counts(emu) == {"totals": 0, "list": 0, "get": len(STACK)}


def test_a_number_put_in_service_between_pages_is_verified_by_its_own_get(emu: Emulator) -> None:
    emu.control.numbers(in_service=OTHERS + STACK[:20])
    late = "2125550100"  # sorts before every cursor: a listing already past it cannot see it
    never = STACK[20:]
    change = BetweenPages(lambda: emu.control.numbers(in_service=[late]))
    with lossy_proxy(emu.dashboard_url, change) as url:
        answers = check_in_service(_client(url, emu), [late, *STACK], "test", fresh=True)
    assert change.change is None  # the change happened mid-listing
    assert answers[late] is True
    assert [tn for tn in STACK if answers[tn]] == STACK[:20]  # listed: trusted without a GET
    # TotalCount moved (1220 -> 1221): every absentee is asked about on its own.
    assert _counts(emu) == {"totals": 1, "list": 3, "get": 1 + len(never)}


def test_a_number_taken_out_of_service_between_pages_is_dropped_on_refresh(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=OTHERS)
    created = _create(emu, STACK)
    gone = STACK[-1]  # on the last page, so the listing never sees it

    def remove() -> None:
        dashboard(emu).create_remove_order([gone], "portal")
        emu.control.settle()

    before = _counts(emu)
    change = BetweenPages(remove)
    with lossy_proxy(emu.dashboard_url, change) as url:
        read = _provider(emu, **{"bandwidth:dashboardUrl": url}).read(created.id, created.outs)
    assert change.change is None
    assert read.outs["imported_numbers"] == STACK[:-1]
    after = _counts(emu)
    assert after["list"] - before["list"] == 3
    assert after["get"] - before["get"] == 1  # only the absentee; TotalCount moved under us


def test_a_consistent_listing_answers_absent_numbers_without_a_get(emu: Emulator) -> None:
    emu.control.numbers(in_service=OTHERS + STACK[:10])
    answers = check_in_service(dashboard(emu), STACK, "test", fresh=True)
    assert [tn for tn in STACK if answers[tn]] == STACK[:10]
    assert _counts(emu) == {"totals": 1, "list": 3, "get": 0}


def test_confirm_relists_the_pending_numbers_until_they_appear(emu: Emulator) -> None:
    clock = FakeClock()
    rounds: list[float] = []

    def appear_after_two_waits(seconds: float) -> None:
        rounds.append(seconds)
        if len(rounds) == 2:
            emu.control.numbers(in_service=STACK)

    clock.on_sleep = appear_after_two_waits
    confirmed, missing = confirm_in_service(
        dashboard(emu), STACK, clock=clock.monotonic, sleep=clock.sleep
    )
    assert (confirmed, missing) == (STACK, [])
    assert _counts(emu) == {"totals": 1, "list": 3, "get": 0}  # one listing a round


def test_confirm_gives_up_on_numbers_that_never_appear_at_its_deadline(emu: Emulator) -> None:
    emu.control.numbers(in_service=STACK[:10])
    clock = FakeClock()
    start = clock.monotonic()
    confirmed, missing = confirm_in_service(
        dashboard(emu), STACK, clock=clock.monotonic, sleep=clock.sleep
    )
    assert (confirmed, missing) == (STACK[:10], STACK[10:])
    assert PROPAGATION_SECONDS <= clock.monotonic() - start < PROPAGATION_SECONDS + 5.0
    # Round 1 asks about all 30 numbers, later rounds about the 20 still pending: all listed.
    assert _counts(emu)["list"] == len(clock.sleeps) + 1
    assert _counts(emu)["get"] == 0


def test_the_gone_probes_total_also_prices_the_listing(emu: Emulator) -> None:
    emu.control.numbers(in_service=STACK)
    provider = _provider(emu)
    provider.confirm_gone("dashboard")  # probes /totals
    check_in_service(provider.dashboard(), STACK, "test", fresh=True)
    assert _counts(emu) == {"totals": 1, "list": 1, "get": 0}


def test_a_total_older_than_its_ttl_is_asked_again(emu: Emulator) -> None:
    emu.control.numbers(in_service=STACK)
    client = dashboard(emu)
    RUNTIME.in_service = InServiceCache(total_ttl=-1.0)  # every total is already too old
    assert RUNTIME.in_service.total(client) == len(STACK)
    assert RUNTIME.in_service.total(client) == len(STACK)
    assert _counts(emu)["totals"] == 2


def test_remembered_answers_cost_nothing(emu: Emulator) -> None:
    emu.control.numbers(in_service=STACK)
    client = dashboard(emu)
    first = check_in_service(client, STACK, "test")
    again = check_in_service(client, STACK, "test", max_age=60.0)
    assert first == again == dict.fromkeys(STACK, True)
    assert _counts(emu) == {"totals": 1, "list": 1, "get": 0}


def test_a_wrong_dashboard_url_on_refresh_is_an_error_not_every_number_gone(
    emu: Emulator,
) -> None:
    created = _create(emu, STACK)
    wrong = _provider(emu, **{"bandwidth:dashboardUrl": emu.dashboard_url + "/wrong-prefix"})
    with pytest.raises(ConfigError, match="bandwidth:dashboardUrl"):
        wrong.read(created.id, created.outs)


def test_callers_asking_at_once_share_one_listing_of_the_account(emu: Emulator) -> None:
    emu.control.numbers(in_service=[*OTHERS, *STACK])
    client = dashboard(emu)
    cache = InServiceCache()
    cache.total(client)  # priced already, as confirm_gone's probe leaves it
    before = _counts(emu)
    start = threading.Barrier(4)

    def ask(numbers: list[str]) -> dict[str, bool]:
        start.wait(timeout=10)
        return cache.lookup_many(client, numbers, fresh=True)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, [STACK, STACK[:10], STACK[10:], STACK]))
    assert all(all(a.values()) for a in answers)
    after = _counts(emu)
    # One listing of three pages however the four calls interleave: a caller that waited for
    # another's listing takes it instead of paging through the account again.
    assert after["list"] - before["list"] == 3
    assert after["get"] == before["get"]
