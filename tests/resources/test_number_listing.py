"""PhoneNumber reads share one paged Catapult list per application (RUNTIME.catapult_numbers).

Real HTTP against the emulator; request counts come from its stats. Out-of-band changes go
through the real Catapult API, as a person in the portal would make them.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_mock import MockerFixture

from bw_pulumi import PhoneNumberProvider
from bw_pulumi._runtime import reset
from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.emulator import Emulator
from bw_pulumi.resources import _number_listing
from bw_pulumi.resources._number_listing import NUMBER_LISTING_SECONDS
from tests.fake_clock import FakeClock

from .conftest import configured
from .lossy_proxy import Action, Script, Step, lossy_proxy

LIST, GET = "catapult.numbers.list", "catapult.numbers.get"
BIG = 1001  # Catapult pages hold 1000 numbers: two pages


@dataclass
class Seeded:
    """An emulator with applications and numbers bound to them (number id -> read props)."""

    emu: Emulator
    apps: list[str]
    props: dict[str, dict[str, Any]]

    def of(self, app_id: str) -> list[str]:
        return [i for i, p in self.props.items() if p["application_id"] == app_id]


def _client(emu: Emulator) -> CatapultClient:
    # Unpaced: seeding imports a thousand numbers in a few seconds.
    return CatapultClient(
        emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret, pacing=False
    )


def _seed(emu: Emulator, sizes: list[int], start: int = 2_000_000) -> Seeded:
    """``sizes[i]`` numbers bound to a new application i, in listing order."""
    client = _client(emu)
    apps = [
        client.create_application({"name": f"app{i}", "incomingMessageUrl": "https://a.example"})
        for i in range(len(sizes))
    ]
    tns = [f"919{n:07d}" for n in range(start, start + sum(sizes))]
    emu.control.numbers(in_service=tns)
    props: dict[str, dict[str, Any]] = {}
    owners = [app for app, size in zip(apps, sizes, strict=True) for _ in range(size)]
    for tn, app in zip(tns, owners, strict=True):
        e164 = f"+1{tn}"
        number_id = client.import_number(
            e164, app, account_id=emu.account_id, username=emu.username, password=emu.password
        )
        props[number_id] = {"number": e164, "application_id": app, "number_id": number_id}
    return Seeded(emu, apps, props)


def _counts(emu: Emulator) -> dict[str, int]:
    requests = emu.control.stats()["requests"]
    return {r: sum(n for key, n in requests.items() if key.endswith(r)) for r in (LIST, GET)}


def _delta(emu: Emulator, before: dict[str, int]) -> dict[str, int]:
    after = _counts(emu)
    return {r: after[r] - before[r] for r in (LIST, GET)}


@pytest.fixture(scope="module")
def big() -> Iterator[Seeded]:
    """1001 numbers on one application, 3 on another; tests using it change nothing."""
    with Emulator(processing_seconds=0) as emulator:
        yield _seed(emulator, [BIG, 3])


@pytest.fixture
def small(emu: Emulator) -> Seeded:
    return _seed(emu, [4, 0])


def test_concurrent_reads_of_one_application_share_its_pages_and_get_no_number(
    big: Seeded,
) -> None:
    provider = configured(PhoneNumberProvider, big.emu)
    app_a, app_b = big.apps
    before = _counts(big.emu)
    with ThreadPoolExecutor(max_workers=4) as pool:  # the engine's four worker threads
        reads = list(pool.map(lambda i: provider.read(i, big.props[i]), big.of(app_a)))
    assert {r.outs["application_id"] for r in reads} == {app_a}
    assert [r.id for r in reads] == big.of(app_a)
    assert _delta(big.emu, before) == {LIST: 2, GET: 0}  # ceil(1001/1000) pages

    with ThreadPoolExecutor(max_workers=4) as pool:
        others = list(pool.map(lambda i: provider.read(i, big.props[i]), big.of(app_b)))
    assert {r.outs["application_id"] for r in others} == {app_b}
    assert _delta(big.emu, before) == {LIST: 3, GET: 0}  # app B: its own one-page list


def test_one_read_on_a_large_application_costs_at_most_one_page_and_one_get(big: Seeded) -> None:
    # The worst case: its number is on the last page. The read earns one page, then asks the
    # number itself instead of paging through the whole application.
    app_a = big.apps[0]
    last, first = big.of(app_a)[-1], big.of(app_a)[0]
    before = _counts(big.emu)
    read = configured(PhoneNumberProvider, big.emu).read(last, big.props[last])
    assert read.outs["application_id"] == app_a
    assert _delta(big.emu, before) == {LIST: 1, GET: 1}

    reset()  # a new process: first page only, and the number is on it
    before = _counts(big.emu)
    assert configured(PhoneNumberProvider, big.emu).read(first, big.props[first]).id == first
    assert _delta(big.emu, before) == {LIST: 1, GET: 0}


def test_moved_unbound_and_deleted_numbers_read_as_before(small: Seeded) -> None:
    emu, (app_a, app_b) = small.emu, small.apps
    moved, unbound, deleted, kept = small.of(app_a)
    client = _client(emu)
    client.update_number(moved, application_id=app_b)
    client.update_number(unbound, application_id="")
    client.delete_number(deleted)
    provider = configured(PhoneNumberProvider, emu)
    before = _counts(emu)
    reads = {i: provider.read(i, small.props[i]) for i in (kept, moved, unbound, deleted)}
    assert reads[kept].outs["application_id"] == app_a
    assert reads[moved].id is None  # another application's now: no longer this stack's
    assert reads[unbound].inputs["application_id"] == ""  # on no application: up binds it
    assert reads[deleted].id is None and reads[deleted].outs == {}
    # One list of app A, one GET per number it lacks, and the "gone" probe's one-number list.
    assert _delta(emu, before) == {LIST: 2, GET: 3}


def test_a_number_bound_after_its_application_was_listed_is_read_by_its_own_get(
    small: Seeded,
) -> None:
    emu, app_a = small.emu, small.apps[0]
    provider = configured(PhoneNumberProvider, emu)
    first = small.of(app_a)[0]
    assert provider.read(first, small.props[first]).id == first
    late = _seed(emu, [1], start=3_000_000)
    number_id = late.of(late.apps[0])[0]
    _client(emu).update_number(number_id, application_id=app_a)
    before = _counts(emu)
    read = provider.read(number_id, {**late.props[number_id], "application_id": app_a})
    assert (read.id, read.outs["application_id"]) == (number_id, app_a)
    assert _delta(emu, before) == {LIST: 0, GET: 1}


def test_a_number_shifted_past_the_pages_between_two_page_requests_is_still_read() -> None:
    # Deleting a number from page 0 after it was fetched shifts the first number of page 1
    # onto page 0: the list never shows it, and only its own GET finds it.
    with Emulator(processing_seconds=0) as emu:
        seeded = _seed(emu, [BIG])
        ids = seeded.of(seeded.apps[0])
        client = _client(emu)

        def decide(method: str, path: str) -> Action:
            if method == "GET" and "page=1" in path:
                client.delete_number(ids[0])
            return "forward"

        with lossy_proxy(emu.catapult_url, decide) as url:
            provider = configured(PhoneNumberProvider, emu, **{"bandwidth:catapultUrl": url})
            before = _counts(emu)
            for i in (ids[1], ids[2]):  # two reads earn the listing its second page
                assert provider.read(i, seeded.props[i]).id == i
            shifted = provider.read(ids[-1], seeded.props[ids[-1]])
        assert (shifted.id, shifted.outs["application_id"]) == (ids[-1], seeded.apps[0])
        assert _delta(emu, before) == {LIST: 2, GET: 1}


def test_listings_are_per_process_and_expire(small: Seeded, mocker: MockerFixture) -> None:
    clock = FakeClock()
    mocker.patch.object(_number_listing, "time", clock)
    emu, ids = small.emu, small.of(small.apps[0])
    provider = configured(PhoneNumberProvider, emu)
    before = _counts(emu)
    provider.read(ids[0], small.props[ids[0]])
    clock.now += NUMBER_LISTING_SECONDS - 1
    provider.read(ids[1], small.props[ids[1]])
    assert _delta(emu, before) == {LIST: 1, GET: 0}
    clock.now += 2  # the listing is older than its TTL: listed again
    provider.read(ids[2], small.props[ids[2]])
    assert _delta(emu, before) == {LIST: 2, GET: 0}

    reset()  # a new provider process starts with nothing listed
    provider = configured(PhoneNumberProvider, emu)
    provider.read(ids[2], small.props[ids[2]])
    assert _delta(emu, before) == {LIST: 3, GET: 0}


def test_a_number_this_process_changed_is_read_by_its_own_get(small: Seeded) -> None:
    emu, (app_a, app_b) = small.emu, small.apps
    provider = configured(PhoneNumberProvider, emu)
    number_id = small.of(app_a)[0]
    props = small.props[number_id]
    assert provider.read(number_id, props).outs["application_id"] == app_a
    updated = provider.update(number_id, props, {**props, "application_id": app_b}).outs
    # Stale state still names A, whose cached list holds the number from before the update:
    # its own GET finds it on B, so to that state it has moved away (a stale list would say A).
    assert provider.read(number_id, props).id is None
    assert provider.read(number_id, updated).outs["application_id"] == app_b
    provider.delete(number_id, updated)
    assert provider.read(number_id, updated).id is None


@pytest.mark.parametrize("refusal", ["403", "404"])
def test_a_refused_list_falls_back_to_one_get_per_number(small: Seeded, refusal: Action) -> None:
    emu, ids = small.emu, small.of(small.apps[0])
    script = Script(Step("GET", "/phoneNumbers", refusal))
    with lossy_proxy(emu.catapult_url, script) as url:
        provider = configured(PhoneNumberProvider, emu, **{"bandwidth:catapultUrl": url})
        before = _counts(emu)
        reads = [provider.read(i, small.props[i]) for i in ids]
    assert script.pending == [] and [r.id for r in reads] == ids
    assert {r.outs["application_id"] for r in reads} == {small.apps[0]}
    assert _delta(emu, before) == {LIST: 0, GET: 4}  # the list was never retried


def test_get_without_an_application_in_state_reads_by_get(small: Seeded) -> None:
    emu, app_a = small.emu, small.apps[0]
    number_id = small.of(app_a)[0]
    before = _counts(emu)
    read = configured(PhoneNumberProvider, emu).read(number_id, {})
    assert (read.id, read.outs["application_id"]) == (number_id, app_a)
    assert read.outs["number"] == small.props[number_id]["number"]
    assert _delta(emu, before) == {LIST: 0, GET: 1}


def test_four_threads_wanting_the_same_page_cause_one_request(small: Seeded) -> None:
    emu, ids = small.emu, small.of(small.apps[0])
    provider = configured(PhoneNumberProvider, emu)
    before = _counts(emu)
    emu.control.faults(latency_ms=200)  # the first page is still in flight when all four ask
    with ThreadPoolExecutor(max_workers=4) as pool:
        reads = list(pool.map(lambda i: provider.read(i, small.props[i]), ids))
    emu.control.faults()
    assert [r.id for r in reads] == ids
    assert _delta(emu, before) == {LIST: 1, GET: 0}
