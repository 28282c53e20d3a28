"""Dashboard routing and auth: the three prefixes, case-insensitive segments, 401, 403."""

from __future__ import annotations

import pytest
import requests
from _emu_helpers import Api

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator


@pytest.mark.parametrize("prefix", ["/api", "/api/v1", "/v1.0"])
def test_every_documented_prefix_serves_the_same_account(emu: Emulator, prefix: str) -> None:
    emu.control.numbers(in_service=["9195550100"])
    url = f"{emu.base_url}{prefix}/accounts/{emu.account_id}/inserviceNumbers/9195550100"
    assert requests.get(url, auth=(emu.username, emu.password), timeout=5).status_code == 200


@pytest.mark.parametrize("segment", ["importTnOrders", "importtnorders", "IMPORTTNORDERS"])
def test_collection_segments_match_case_insensitively(api: Api, segment: str) -> None:
    response = api.d("GET", f"/{segment}")
    assert response.status_code == 200
    assert _xml.parse(response.content).tag == "ImportTnOrders"


def test_missing_or_wrong_credentials_get_401(api: Api) -> None:
    assert api.d("GET", "/subscriptions", auth=None).status_code == 401
    wrong = api.d("GET", "/subscriptions", auth=(api.emu.username, "nope"))
    assert wrong.status_code == 401
    assert "WWW-Authenticate" in wrong.headers


def test_another_account_gets_403_access_denied_1001(emu: Emulator) -> None:
    url = f"{emu.dashboard_url}/accounts/1234567/subscriptions"
    response = requests.get(url, auth=(emu.username, emu.password), timeout=5)
    assert response.status_code == 403
    root = _xml.parse(response.content)
    assert _xml.find_text(root, "ErrorCode") == "1001"
    assert _xml.find_text(root, "Description") == "Access Denied"


def test_catapult_wrong_credentials_401_and_other_user_403(emu: Emulator, api: Api) -> None:
    assert api.c("GET", "/applications", auth=("x", "y")).status_code == 401
    other = requests.get(
        f"{emu.catapult_url}/v1/users/u-someoneelse/applications", auth=api.cat_auth, timeout=5
    )
    assert other.status_code == 403
    assert other.json()["category"] == "authorization"
