"""inserviceNumbers: pages with production-host Links and an opaque cursor, 204, totals, one,
the per-site list and the query filters."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import requests
from _emu_helpers import Api, fixture_xml, import_body, post_order, remove_body, tag_paths

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator


def test_empty_in_service_list_is_204(api: Api) -> None:
    response = api.d("GET", "/inserviceNumbers")
    assert response.status_code == 204
    assert response.content == b""


def test_paging_follows_next_links_after_rebasing_them(emu: Emulator, api: Api) -> None:
    numbers = [f"91955501{i:02d}" for i in range(5)]
    emu.control.numbers(in_service=numbers)
    seen: list[str] = []
    response = api.d("GET", "/inserviceNumbers", params={"size": 2})
    first = _xml.parse(response.content)
    assert tag_paths(first) == tag_paths(
        fixture_xml("dashboard_inserviceNumbers_list_link.xml")
    ) | {"TNs/Links/next"}
    while True:
        root = _xml.parse(response.content)
        assert _xml.find_text(root, "TotalCount") == "5"
        page = _xml.texts(root, "TelephoneNumber")
        assert _xml.find_text(root, "Count") == str(len(page))
        seen += page
        link = _xml.find_text(root, "next")
        if link is None:
            break
        # The real API points links at production (API doc 1.7); clients must rebase them.
        match = re.fullmatch(r'Link=<(.+)>;rel="next";', link)
        assert match is not None
        url = urlsplit(match.group(1))
        assert url.netloc == "dashboard.bandwidth.com:443" and url.path.startswith("/v1.0/")
        rebased = f"{api.emu.base_url}{url.path}?{url.query}"
        response = requests.get(rebased, auth=api.dash_auth, timeout=5)
    assert seen == sorted(numbers)


def test_single_number_check_and_totals(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9195550100", "9195550101"])
    one = api.d("GET", "/inserviceNumbers/9195550100")
    assert one.status_code == 200 and one.content == b""
    assert api.d("GET", "/inserviceNumbers/9195550199").status_code == 404
    totals = _xml.parse(api.d("GET", "/inserviceNumbers/totals").content)
    assert tag_paths(totals) == tag_paths(fixture_xml("dashboard_inserviceNumbers_totals_spec.xml"))
    assert _xml.find_text(totals, "Count") == "2"


def _import_to_site(api: Api, site_id: str, *tns: str) -> None:
    body = import_body(*tns).replace("<SiteId>743</SiteId>", f"<SiteId>{site_id}</SiteId>")
    post_order(api, "importTnOrders", body)


def test_site_list_holds_only_the_numbers_imported_to_that_site(emu: Emulator, api: Api) -> None:
    _import_to_site(api, "743", "9195550100", "9195550101")
    _import_to_site(api, "744", "9195550102")
    response = api.d("GET", "/sites/743/inserviceNumbers", params={"size": 1})
    assert response.status_code == 200
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_inserviceNumbers_list_link.xml")) | {
        "TNs/Links/next"
    }
    assert _xml.find_text(root, "TotalCount") == "2"
    assert _xml.texts(root, "TelephoneNumber") == ["9195550100"]
    # Links stay on the site collection, at the production host (API doc 1.7).
    assert "/v1.0/accounts/" + emu.account_id + "/sites/743/inserviceNumbers?" in (
        _xml.find_text(root, "next") or ""
    )
    other = _xml.parse(api.d("GET", "/sites/744/inserviceNumbers").content)
    assert _xml.texts(other, "TelephoneNumber") == ["9195550102"]
    assert api.d("GET", "/sites/745/inserviceNumbers").status_code == 204
    # A removal takes the number out of its site's list too.
    post_order(api, "removeImportedTnOrders", remove_body("9195550102"))
    assert api.d("GET", "/sites/744/inserviceNumbers").status_code == 204


def test_site_list_shows_numbers_scripted_without_a_site(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9195550100"])
    root = _xml.parse(api.d("GET", "/Sites/743/InServiceNumbers").content)
    assert _xml.texts(root, "TelephoneNumber") == ["9195550100"]


def test_ratecenter_without_state_is_404_without_body(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9195550100"])
    for path in ("/inserviceNumbers", "/sites/743/inserviceNumbers"):
        response = api.d("GET", path, params={"ratecenter": "RALEIGH"})
        assert response.status_code == 404 and response.content == b""
    with_state = api.d("GET", "/inserviceNumbers", params={"ratecenter": "RALEIGH", "state": "NC"})
    assert with_state.status_code == 200


def test_filters_without_data_per_number_are_accepted_and_not_applied(
    emu: Emulator, api: Api
) -> None:
    emu.control.numbers(in_service=["9195550100", "3035550100"])
    for params in ({"lata": "426"}, {"state": "NC"}, {"state": "NC", "ratecenter": "RALEIGH"}):
        root = _xml.parse(api.d("GET", "/inserviceNumbers", params=params).content)
        assert _xml.find_text(root, "TotalCount") == "2", params
    only = _xml.parse(api.d("GET", "/inserviceNumbers", params={"areacode": "303"}).content)
    assert _xml.texts(only, "TelephoneNumber") == ["3035550100"]


def test_date_filters_select_by_the_day_numbers_went_in_service(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9195550100"])
    today = datetime.now(timezone.utc).date()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    inside = {"startdate": str(yesterday), "enddate": str(today)}
    assert api.d("GET", "/inserviceNumbers", params=inside).status_code == 200
    assert api.d("GET", "/inserviceNumbers", params={"startdate": str(tomorrow)}).status_code == 204
    assert api.d("GET", "/inserviceNumbers", params={"enddate": str(yesterday)}).status_code == 204
    malformed = api.d("GET", "/inserviceNumbers", params={"startdate": "06/01/2024"})
    assert malformed.status_code == 404 and malformed.content == b""


def test_total_count_on_a_later_page_counts_every_match_as_of_that_page(
    emu: Emulator, api: Api
) -> None:
    # The cursor is opaque to clients (API doc 1.7): here the last TN of the previous page, so
    # a number put in service behind the cursor is never listed, while TotalCount (all matches,
    # API doc 6) grows: the inconsistency a client checks for.
    emu.control.numbers(in_service=[f"91955501{i:02d}" for i in range(4)])
    first = _xml.parse(api.d("GET", "/inserviceNumbers", params={"size": 2}).content)
    emu.control.numbers(in_service=["2125550100"])
    link = _xml.find_text(first, "next")
    assert link is not None
    cursor = re.search(r"page=(\d+)", link)
    assert cursor is not None
    params = {"size": 2, "page": cursor.group(1)}
    second = _xml.parse(api.d("GET", "/inserviceNumbers", params=params).content)
    assert (_xml.find_text(first, "TotalCount"), _xml.find_text(second, "TotalCount")) == ("4", "5")
    assert _xml.texts(second, "TelephoneNumber") == ["9195550102", "9195550103"]
