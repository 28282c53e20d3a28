"""DashboardClient.in_service_listing: the account's in-service numbers, and whether an absent
number may be read as "not in service" (every page's TotalCount the same and equal to the
distinct numbers collected), against real fixtures and a replay server."""

from __future__ import annotations

import pytest

from bw_pulumi.clients import DashboardClient
from tests._replay_server import ReplayServer, Reply, xml_reply

ACC = "9900778"


@pytest.fixture
def client(server: ReplayServer) -> DashboardClient:
    return DashboardClient(server.url + "/api", ACC, "api-user", "api-password")


def _page(total: int | None, numbers: list[str], next_cursor: str | None = None) -> Reply:
    link = ""
    if next_cursor is not None:
        link = (
            f"<next>Link=&lt;https://dashboard.bandwidth.com:443/v1.0/accounts/{ACC}"
            f"/inserviceNumbers?page={next_cursor}&amp;size=2&gt;;rel=&quot;next&quot;;</next>"
        )
    count = "" if total is None else f"<TotalCount>{total}</TotalCount>"
    body = (
        f"<TNs>{count}<Links><first>x</first>{link}</Links><TelephoneNumbers>"
        f"<Count>{len(numbers)}</Count>"
        + "".join(f"<TelephoneNumber>{n}</TelephoneNumber>" for n in numbers)
        + "</TelephoneNumbers></TNs>"
    )
    return Reply(200, body.encode())


def test_a_real_single_page_list_is_consistent(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_inserviceNumbers_list_link.xml"))  # TotalCount 4, 4 TNs
    listing = client.in_service_listing()
    assert listing.numbers == {"8183386247", "8183386249", "8183386251", "8183386252"}
    assert (listing.consistent, listing.pages) == (True, 1)
    assert server.last.query == {"page": ["1"], "size": ["500"]}


def test_a_list_holding_fewer_numbers_than_its_total_count_is_not_consistent(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_inserviceNumbers_list_spec.xml"))  # 59 counted, 15 shown
    listing = client.in_service_listing()
    assert len(listing.numbers) == 15
    assert listing.consistent is False


def test_pages_with_one_total_that_the_numbers_add_up_to_are_consistent(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(_page(3, ["9195550000", "9195550001"], "9195550001"), _page(3, ["9195550002"]))
    listing = client.in_service_listing(page_size=2)
    assert listing.numbers == {"9195550000", "9195550001", "9195550002"}
    assert (listing.consistent, listing.pages) == (True, 2)
    assert server.requests[1].query == {"page": ["9195550001"], "size": ["2"]}


@pytest.mark.parametrize(
    ("second_total", "second_numbers"),
    [
        (4, ["9195550002"]),  # a number came in before the cursor: never listed
        (2, ["9195550002"]),  # one already listed left: TotalCount changed under us
        (None, ["9195550002"]),  # no TotalCount at all: nothing to check against
    ],
)
def test_a_total_that_changes_between_pages_or_is_missing_is_not_consistent(
    server: ReplayServer,
    client: DashboardClient,
    second_total: int | None,
    second_numbers: list[str],
) -> None:
    server.script(
        _page(3, ["9195550000", "9195550001"], "9195550001"), _page(second_total, second_numbers)
    )
    listing = client.in_service_listing(page_size=2)
    assert listing.numbers == {"9195550000", "9195550001", "9195550002"}
    assert listing.consistent is False


def test_stopping_at_max_pages_is_not_consistent(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(_page(5, ["9195550000", "9195550001"], "9195550001"))
    listing = client.in_service_listing(page_size=2, max_pages=1)
    assert (listing.numbers, listing.consistent, listing.pages) == (
        {"9195550000", "9195550001"},
        False,
        1,
    )
    assert len(server.requests) == 1


def test_204_means_nothing_in_service_and_is_consistent(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(204))
    listing = client.in_service_listing()
    assert (listing.numbers, listing.consistent, listing.pages) == (frozenset(), True, 0)


def test_iter_in_service_still_yields_every_number_of_every_page(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(_page(3, ["9195550000", "9195550001"], "9195550001"), _page(3, ["9195550002"]))
    assert list(client.iter_in_service(page_size=2)) == ["9195550000", "9195550001", "9195550002"]
