"""The Universal Platform dialect: the Dashboard under /api/v2, E.164 numbers, imports at
importTnOrders/messaging (bandwidth-api-v2.md 1, bandwidth-api.md 1.1)."""

from __future__ import annotations

from typing import Any

import requests
from _emu_helpers import Api, app_body, import_body, remove_body, wait_for

from bw_pulumi import _xml

E164 = "+19195550100"


def _up(api: Api, method: str, path: str, **kw: Any) -> requests.Response:
    kw.setdefault("auth", api.dash_auth)
    url = f"{api.emu.base_url}/api/v2/accounts/{api.emu.account_id}{path}"
    return requests.request(method, url, timeout=10, **kw)


def _e164_import(tn: str = E164) -> str:
    return import_body("9195550100").replace("9195550100", tn)


def test_imports_move_to_the_messaging_path_and_speak_e164(api: Api) -> None:
    created = _up(api, "POST", "/importTnOrders/messaging", data=_e164_import())
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert "/api/v2/accounts/" in location and "/importTnOrders/messaging/" in location
    assert _xml.texts(_xml.parse(created.content), "TelephoneNumber") == [E164]
    wait_for(lambda: api.emu.control.state()["in_service"] == ["9195550100"])
    got = requests.get(location, auth=api.dash_auth, timeout=10)
    assert got.status_code == 200
    assert _xml.texts(_xml.parse(got.content), "TelephoneNumber") == [E164]
    listed = _up(api, "GET", "/importTnOrders/messaging", params={"tn": E164})
    assert _xml.find_text(_xml.parse(listed.content), "TotalCount") == "1"


def test_the_v1_collection_names_are_not_served_there(api: Api) -> None:
    assert _up(api, "POST", "/importTnOrders", data=_e164_import()).status_code == 404
    assert _up(api, "GET", "/externalTns").status_code == 404
    assert api.emu.control.state()["import_orders"] == []


def test_removal_and_in_service_numbers_in_e164(api: Api) -> None:
    _up(api, "POST", "/importTnOrders/messaging", data=_e164_import())
    wait_for(lambda: api.emu.control.state()["in_service"])
    listed = _xml.parse(_up(api, "GET", "/inserviceNumbers").content)
    assert _xml.texts(listed, "TelephoneNumber") == [E164]
    assert _up(api, "GET", f"/inserviceNumbers/{E164}").status_code == 200
    removal = remove_body("9195550100").replace("9195550100", E164)
    removed = _up(api, "POST", "/removeImportedTnOrders/messaging", data=removal)
    assert removed.status_code == 201
    assert "/removeImportedTnOrders/messaging/" in removed.headers["Location"]
    wait_for(lambda: not api.emu.control.state()["in_service"])


def test_applications_and_bearer_tokens_work_on_the_universal_platform(api: Api) -> None:
    token = requests.post(
        api.emu.token_url,
        auth=(api.emu.client_id, api.emu.client_secret),
        data={"grant_type": "client_credentials"},
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = _up(api, "POST", "/applications", data=app_body(), auth=None, headers=headers)
    assert created.status_code == 201
    assert "/api/v2/accounts/" in created.headers["Location"]
    # The same account's applications, whichever base asked.
    assert len(_xml.texts(_xml.parse(api.d("GET", "/applications").content), "AppName")) == 1
