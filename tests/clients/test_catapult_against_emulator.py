"""Every CatapultClient method against the in-process emulator over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bw_pulumi._http import Transport
from bw_pulumi.clients import CatapultClient, DashboardClient
from bw_pulumi.clients.catapult_dialect import CATAPULT
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import (
    BandwidthError,
    Conflict,
    NotFound,
    RateLimited,
    Unauthorized,
    ValidationError,
)

NUMBER = "+19195550171"
TEN_DIGITS = "9195550171"
APP_FIELDS = {
    "name": "bwp-app",
    "incomingMessageUrl": "http://127.0.0.1:9/messages",
    "callbackHttpMethod": "GET",
    "autoAnswer": True,
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> CatapultClient:
    emu.control.reset()
    emu.control.faults()
    emu.control.limits()
    # Pacing off: the emulator's budgets are off by default; one test turns both on.
    return CatapultClient(
        emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret, pacing=False
    )


def import_in_service(
    emu: Emulator, client: CatapultClient, app_id: str, number: str = NUMBER
) -> str:
    emu.control.numbers(in_service=[number[2:]])
    return client.import_number(
        number,
        app_id,
        name="hosted",
        account_id=emu.account_id,
        username=emu.username,
        password=emu.password,
    )


# -- applications -------------------------------------------------------------------------------


def test_application_lifecycle(client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    app = client.get_application(app_id)
    assert (app.application_id, app.name, app.callback_http_method) == (app_id, "bwp-app", "GET")
    assert app.incoming_message_url == "http://127.0.0.1:9/messages" and app.auto_answer is True
    assert [a.application_id for a in client.list_applications()] == [app_id]

    client.update_application(app_id, {"incomingMessageUrl": "http://127.0.0.1:9/new"})
    updated = client.get_application(app_id)
    assert updated.incoming_message_url == "http://127.0.0.1:9/new"
    assert updated.name == "bwp-app"  # a partial update keeps what it was not sent

    client.delete_application(app_id)
    with pytest.raises(NotFound) as info:
        client.get_application(app_id)
    assert info.value.codes == ["application-not-found"]


def test_list_applications_pages_through_link_headers(client: CatapultClient) -> None:
    ids = {client.create_application({**APP_FIELDS, "name": f"app-{i}"}) for i in range(3)}
    assert {a.application_id for a in client.list_applications(page_size=1)} == ids


def test_application_without_callback_url_is_a_validation_error(client: CatapultClient) -> None:
    with pytest.raises(ValidationError):
        client.create_application({"name": "no-callbacks"})


def test_wrong_api_secret_is_unauthorized(emu: Emulator) -> None:
    bad = CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, "wrong-secret", pacing=False)
    with pytest.raises(Unauthorized) as info:
        bad.get_application("a-1")
    assert "wrong-secret" not in str(info.value)


# -- phone numbers ------------------------------------------------------------------------------


def test_number_import_lifecycle(emu: Emulator, client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    number_id = import_in_service(emu, client, app_id)
    by_number = client.get_number(NUMBER)
    by_id = client.get_number(number_id)
    assert by_number == by_id
    assert (by_id.number_id, by_id.number, by_id.application_id, by_id.name) == (
        number_id,
        NUMBER,
        app_id,
        "hosted",
    )
    assert by_id.national_number == "(919) 555-0171"
    assert [n.number_id for n in client.list_numbers(application_id=app_id)] == [number_id]

    other_app = client.create_application({**APP_FIELDS, "name": "other"})
    client.update_number(NUMBER, application_id=other_app, name="renamed")
    moved = client.get_number(number_id)
    assert (moved.application_id, moved.name) == (other_app, "renamed")
    assert list(client.list_numbers(application_id=app_id)) == []

    client.delete_number(number_id)
    with pytest.raises(NotFound) as info:
        client.get_number(number_id)
    assert info.value.codes == ["number-not-found"]
    with pytest.raises(NotFound):
        client.delete_number(number_id)


def test_duplicate_number_import_is_a_conflict(emu: Emulator, client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    import_in_service(emu, client, app_id)
    with pytest.raises(Conflict) as info:
        import_in_service(emu, client, app_id)
    assert info.value.codes == ["duplicate-number"]
    assert emu.password not in str(info.value)


def test_importing_a_number_not_in_service_fails_without_echoing_the_password(
    emu: Emulator, client: CatapultClient
) -> None:
    app_id = client.create_application(APP_FIELDS)
    # The real status is unverified (API doc 15); the emulator answers 400.
    with pytest.raises(BandwidthError) as info:
        client.import_number(
            "+19195550179",
            app_id,
            account_id=emu.account_id,
            username=emu.username,
            password=emu.password,
        )
    assert emu.password not in str(info.value)


def test_number_imported_through_dashboard_flow_is_in_service(
    emu: Emulator, client: CatapultClient
) -> None:
    dashboard = DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)
    emu.control.numbers(in_service=[TEN_DIGITS])
    assert dashboard.is_in_service(TEN_DIGITS)
    app_id = client.create_application(APP_FIELDS)
    assert import_in_service(emu, client, app_id).startswith("n-")


# -- messages -----------------------------------------------------------------------------------


def test_send_message_from_an_imported_number(emu: Emulator, client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    import_in_service(emu, client, app_id)
    message_id = client.send_message(NUMBER, "+19195550000", "hello")
    assert message_id
    assert any(m.get("id") == message_id for m in emu.control.state()["messages"])


# -- rate limits and faults ---------------------------------------------------------------------


def test_paced_client_stays_inside_the_emulated_application_budget(emu: Emulator) -> None:
    emu.control.reset()
    emu.control.limits(catapult_applications_per_second=1)
    paced = CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)
    try:
        for i in range(3):
            paced.create_application({**APP_FIELDS, "name": f"paced-{i}"})
        assert len(list(paced.list_applications())) == 3
        assert emu.control.stats()["status"].get("429", 0) == 0
    finally:
        emu.control.limits()


def test_emulated_429s_are_retried_until_success(emu: Emulator, client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    emu.control.faults(seed=7, p429=0.3)
    try:
        for _ in range(3):
            assert client.get_application(app_id).application_id == app_id
    finally:
        emu.control.faults()


def test_persistent_429s_end_in_rate_limited(emu: Emulator) -> None:
    transport = Transport(
        emu.catapult_url, (emu.api_token, emu.api_secret), CATAPULT, max_rate_limit_wait=2.0
    )
    capped = CatapultClient(
        emu.catapult_url,
        emu.user_id,
        emu.api_token,
        emu.api_secret,
        transport=transport,
        pacing=False,
    )
    emu.control.faults(p429=1.0)
    try:
        with pytest.raises(RateLimited) as info:
            capped.get_number(NUMBER)
        assert info.value.status == 429
    finally:
        emu.control.faults()


def test_dropped_connections_on_gets_are_retried(emu: Emulator, client: CatapultClient) -> None:
    app_id = client.create_application(APP_FIELDS)
    emu.control.faults(seed=3, pdrop=0.4)
    try:
        for _ in range(5):
            assert client.get_application(app_id).application_id == app_id
    finally:
        emu.control.faults()
