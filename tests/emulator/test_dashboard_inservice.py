"""inserviceNumbers: pages with production-host Links and an opaque cursor, 204, totals, one."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from _emu_helpers import Api, fixture_xml, tag_paths

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
