"""Catapult v1 applications, phoneNumbers and messages over raw HTTP."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import requests
from _emu_helpers import Api, fixture_text

from bw_pulumi.emulator import Emulator

_ID = r"[a-z0-9]{23}"


def create_app(api: Api, **fields: object) -> str:
    body = {"name": "app", "incomingMessageUrl": "http://127.0.0.1:9/sms", **fields}
    response = api.c("POST", "/applications", json=body)
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def import_number(api: Api, e164: str, app_id: str, **override: object) -> object:
    emu = api.emu
    body = {
        "number": e164,
        "applicationId": app_id,
        "name": "hosted",
        "provider": {
            "providerName": "bandwidth-dashboard",
            "properties": {
                "accountId": emu.account_id,
                "userName": emu.username,
                "password": emu.password,
            },
        },
        **override,
    }
    return api.c("POST", "/phoneNumbers", json=body)


def test_application_create_get_echoes_quirks(api: Api) -> None:
    response = api.c(
        "POST",
        "/applications",
        json=json.loads(fixture_text("catapult_application_create_request.json")),
    )
    assert response.status_code == 201 and response.content == b""
    assert re.search(
        rf"/v1/users/{api.emu.user_id}/applications/a-{_ID}$", response.headers["Location"]
    )
    app = api.c("GET", "/applications/" + response.headers["Location"].rsplit("/", 1)[1]).json()
    assert app["callbackHttpMethod"] == "get"
    assert app["incomingSmsUrl"] == app["incomingMessageUrl"] == "http://example.com/messages.php"
    assert app["autoAnswer"] is True
    assert "incomingCallFallbackUrl" not in app  # unset fields are omitted, not null


def test_application_update_ignores_nulls_and_delete_gives_404_after(api: Api) -> None:
    app_id = create_app(api, incomingCallUrl="http://x/calls")
    update = {"name": None, "incomingCallUrl": None, "incomingMessageUrl": "http://x/new"}
    assert api.c("POST", f"/applications/{app_id}", json=update).status_code == 200
    app = api.c("GET", f"/applications/{app_id}").json()
    assert app["name"] == "app" and app["incomingCallUrl"] == "http://x/calls"
    assert app["incomingMessageUrl"] == "http://x/new"
    assert api.c("DELETE", f"/applications/{app_id}").status_code == 200
    missing = api.c("GET", f"/applications/{app_id}")
    assert missing.status_code == 404 and missing.json()["code"] == "application-not-found"


def test_application_validation_and_paging(api: Api) -> None:
    bad = api.c("POST", "/applications", json={"name": "no urls"})
    assert bad.status_code == 400 and bad.json()["code"] == "validation-error"
    for i in range(3):
        create_app(api, name=f"app{i}")
    first = api.c("GET", "/applications", params={"size": 2})
    assert [a["name"] for a in first.json()] == ["app0", "app1"]
    assert 'rel="next"' in first.headers["Link"]
    next_url = re.search(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)  # type: ignore[union-attr]
    last = requests.get(next_url, auth=api.cat_auth, timeout=5)
    assert [a["name"] for a in last.json()] == ["app2"]
    assert 'rel="next"' not in last.headers["Link"]


def test_import_requires_in_service_number_and_matching_credentials(
    emu: Emulator, api: Api
) -> None:
    app_id = create_app(api)
    not_in_service = import_number(api, "+19195550100", app_id)
    assert not_in_service.status_code == 400
    assert not_in_service.json()["code"] == "number-not-in-service"
    emu.control.numbers(in_service=["9195550100"])
    wrong = import_number(
        api,
        "+19195550100",
        app_id,
        provider={
            "providerName": "bandwidth-dashboard",
            "properties": {
                "accountId": emu.account_id,
                "userName": emu.username,
                "password": "s3cr3t",
            },
        },
    )
    assert wrong.status_code == 400 and "s3cr3t" not in wrong.text
    created = import_number(api, "+19195550100", app_id)
    assert created.status_code == 201, created.text
    assert re.search(rf"/phoneNumbers/n-{_ID}$", created.headers["Location"])
    duplicate = import_number(api, "+19195550100", app_id)
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate-number"


def test_number_object_shape_lookup_by_e164_update_and_delete(emu: Emulator, api: Api) -> None:
    app_id = create_app(api)
    emu.control.numbers(in_service=["9195550100"])
    number_id = import_number(api, "+19195550100", app_id).headers["Location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    by_e164 = api.c("GET", "/phoneNumbers/" + quote("+19195550100", safe=""))
    assert by_e164.status_code == 200
    number = by_e164.json()
    assert number["id"] == number_id and number["price"] == "0.00"
    assert number["nationalNumber"] == "(919) 555-0100"
    assert number["application"].endswith(f"/v1/users/{emu.user_id}/applications/{app_id}")
    assert "applicationId" not in number
    listed = api.c("GET", "/phoneNumbers", params={"applicationId": app_id}).json()
    assert [n["id"] for n in listed] == [number_id]
    assert (
        api.c("POST", f"/phoneNumbers/{number_id}", json={"applicationId": ""}).status_code == 200
    )
    assert "application" not in api.c("GET", f"/phoneNumbers/{number_id}").json()
    assert api.c("GET", "/phoneNumbers", params={"applicationId": app_id}).json() == []
    assert api.c("DELETE", f"/phoneNumbers/{number_id}").status_code == 200
    gone = api.c("GET", f"/phoneNumbers/{number_id}")
    assert gone.status_code == 404 and gone.json()["code"] == "number-not-found"


def test_messages_only_from_imported_numbers(emu: Emulator, api: Api) -> None:
    app_id = create_app(api)
    emu.control.numbers(in_service=["9195550100"])
    import_number(api, "+19195550100", app_id)
    sent = api.c(
        "POST", "/messages", json={"from": "+19195550100", "to": "+19195550199", "text": "hi"}
    )
    assert sent.status_code == 201
    assert re.search(rf"/messages/m-{_ID}$", sent.headers["Location"])
    refused = api.c(
        "POST", "/messages", json={"from": "+19195550142", "to": "+19195550199", "text": "x"}
    )
    assert refused.status_code == 400 and refused.json()["category"] == "bad-request"
    assert [m["text"] for m in emu.control.state()["messages"]] == ["hi"]


def test_import_without_application_id_is_a_400_validation_error(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9195550100"])
    for missing in ({"applicationId": None}, {"applicationId": ""}):
        response = import_number(api, "+19195550100", "unused", **missing)
        assert isinstance(response, requests.Response) and response.status_code == 400
        body = response.json()
        assert (body["category"], body["code"]) == ("bad-request", "validation-error")
        assert "applicationId" in body["message"]
    without_key = {
        "number": "+19195550100",
        "provider": {"providerName": "bandwidth-dashboard", "properties": {}},
    }
    response = api.c("POST", "/phoneNumbers", json=without_key)
    assert response.status_code == 400 and "applicationId" in response.json()["message"]
    assert emu.control.state()["phone_numbers"] == []


def test_allocate_variant_is_refused_for_its_provider_not_its_application_id(api: Api) -> None:
    # The emulator serves only the import variant: an allocation (where applicationId is
    # optional, API doc 11) is refused for lacking the provider, never for the application.
    response = api.c("POST", "/phoneNumbers", json={"number": "+19195550100"})
    assert response.status_code == 400
    assert "providerName" in response.json()["message"]


def test_number_list_filters_by_number_state_and_accepts_state_and_city(
    emu: Emulator, api: Api
) -> None:
    app_id = create_app(api)
    emu.control.numbers(in_service=["9195550100"])
    assert import_number(api, "+19195550100", app_id).status_code == 201  # type: ignore[attr-defined]
    listed = api.c("GET", "/phoneNumbers", params={"numberState": "enabled"}).json()
    assert [n["number"] for n in listed] == ["+19195550100"]
    assert api.c("GET", "/phoneNumbers", params={"numberState": "released"}).json() == []
    unapplied = api.c("GET", "/phoneNumbers", params={"state": "NC", "city": "Raleigh"}).json()
    assert [n["number"] for n in unapplied] == ["+19195550100"]


def test_number_list_pages_one_application_with_a_link_header(emu: Emulator, api: Api) -> None:
    # Catapult paging (API doc 9, 11): page 0-based, size <= 1000, Link rel="next" keeps the
    # applicationId filter, and no "next" on the last page.
    app_a, app_b = create_app(api), create_app(api)
    tns = [f"91955501{i:02d}" for i in range(5)]
    emu.control.numbers(in_service=tns)
    for i, tn in enumerate(tns):
        assert import_number(api, f"+1{tn}", app_a if i != 2 else app_b).status_code == 201  # type: ignore[attr-defined]
    first = api.c("GET", "/phoneNumbers", params={"applicationId": app_a, "size": 3})
    assert [n["number"][-2:] for n in first.json()] == ["00", "01", "03"]
    assert first.links["first"]["url"].endswith(f"applicationId={app_a}&page=0&size=3")
    last = requests.get(first.links["next"]["url"], auth=api.cat_auth, timeout=5)
    assert [n["number"][-2:] for n in last.json()] == ["04"]
    assert "next" not in last.links and "applicationId" in last.links["first"]["url"]
    too_big = api.c("GET", "/phoneNumbers", params={"size": 1001})
    assert too_big.status_code == 400 and too_big.json()["code"] == "validation-error"
    assert len(api.c("GET", "/phoneNumbers", params={"size": 1000}).json()) == 5
    assert len(api.c("GET", "/phoneNumbers").json()) == 5  # default size 25
