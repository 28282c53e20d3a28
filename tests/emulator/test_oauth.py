"""OAuth2 client credentials: the token endpoint and bearer tokens on the Dashboard and
Messaging APIs (bandwidth-api.md 1.2, bandwidth-api-v2.md 4 "Auth")."""

from __future__ import annotations

import requests
from _emu_helpers import Api, wait_for

from bw_pulumi.emulator import Emulator


def _token(emu: Emulator, **kw: object) -> requests.Response:
    kw.setdefault("auth", (emu.client_id, emu.client_secret))
    kw.setdefault("data", {"grant_type": "client_credentials"})
    return requests.post(emu.token_url, timeout=10, **kw)  # type: ignore[arg-type]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_endpoint_answers_the_documented_json(emu: Emulator) -> None:
    response = _token(emu)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert isinstance(body["access_token"], str) and len(body["access_token"]) > 20
    assert emu.token_url.endswith("/api/v1/oauth2/token")


def test_wrong_client_or_grant_type_is_refused(emu: Emulator) -> None:
    wrong = _token(emu, auth=(emu.client_id, "not-the-secret"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = _token(emu, data={"grant_type": "password"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"


def test_client_credentials_in_the_form_body_are_accepted(emu: Emulator) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": emu.client_id,
        "client_secret": emu.client_secret,
    }
    assert _token(emu, auth=None, data=form).status_code == 200


def test_dashboard_accepts_a_bearer_token_as_well_as_basic(api: Api) -> None:
    token = _token(api.emu).json()["access_token"]
    assert api.d("GET", "/applications", auth=None, headers=_bearer(token)).status_code == 200
    assert api.d("GET", "/applications").status_code == 200  # Basic still works
    unknown = api.d("GET", "/applications", auth=None, headers=_bearer("made-up"))
    assert unknown.status_code == 401


def test_an_expired_token_gets_401(api: Api) -> None:
    token = _token(api.emu).json()["access_token"]
    assert api.emu.control.oauth(expire=True)["expired"] == 1
    expired = api.d("GET", "/sites", auth=None, headers=_bearer(token))
    assert expired.status_code == 401


def test_token_lifetime_is_a_knob_and_short_tokens_run_out(api: Api) -> None:
    assert api.emu.control.oauth(token_seconds=0.3)["token_seconds"] == 0.3
    body = _token(api.emu).json()
    assert body["expires_in"] == 0  # whole seconds, rounded down: renew at once
    headers = _bearer(body["access_token"])
    wait_for(lambda: api.d("GET", "/sites", auth=None, headers=headers).status_code == 401)
    api.emu.control.reset()
    assert _token(api.emu).json()["expires_in"] == 3600


def test_emulator_takes_its_client_and_token_lifetime_from_arguments() -> None:
    with Emulator(client_id="cid", client_secret="csecret", token_seconds=90) as emu:
        body = _token(emu, auth=("cid", "csecret")).json()
        assert body["expires_in"] == 90
        assert emu.describe()["client_id"] == "cid"


def test_catapult_never_accepts_a_bearer_token(api: Api) -> None:
    token = _token(api.emu).json()["access_token"]
    response = api.c("GET", "/applications", auth=None, headers=_bearer(token))
    assert response.status_code == 401
