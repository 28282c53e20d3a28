"""CatapultClient against a local replay server: JSON bodies vs the request fixtures, response
fixtures parsed through the client, Link paging, pacing and error mapping."""

from __future__ import annotations

import json

import pytest
from pytest_mock import MockerFixture

from bw_pulumi import _pacing
from bw_pulumi._http import Transport
from bw_pulumi._pacing import SMALL_BURST_HEADROOM, Budget
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients import CatapultClient
from bw_pulumi.clients.catapult_dialect import APPLICATIONS, CATAPULT, NUMBER_IMPORTS
from bw_pulumi.config import Settings
from bw_pulumi.errors import Conflict, NotFound
from tests._replay_server import Recorded, ReplayServer, Reply, fixture, json_reply
from tests.fake_clock import FakeClock

USER = "u-abc123"
BASE = f"/v1/users/{USER}"


@pytest.fixture
def client(server: ReplayServer) -> CatapultClient:
    return CatapultClient(server.url, USER, "token", "secret", pacing=False)


def body(rec: Recorded) -> object:
    return json.loads(rec.body)


# -- applications -----------------------------------------------------------------------------


def test_create_application_posts_fields_as_given_and_returns_id(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(Reply(201, headers={"Location": f"{BASE}/applications/a-zuwwfzzrbea"}))
    fields = json.loads(fixture("catapult_application_create_request.json"))
    assert client.create_application(fields) == "a-zuwwfzzrbea"
    rec = server.last
    assert (rec.method, rec.path) == ("POST", f"{BASE}/applications")
    assert rec.headers["Content-Type"] == "application/json"
    assert body(rec) == fields


def test_get_application_reads_every_field_and_upper_cases_method(
    server: ReplayServer, client: CatapultClient
) -> None:
    item = json.loads(fixture("catapult_applications_list.json"))[0]
    item["callbackHttpMethod"] = "get"  # Catapult lowercases it on GET
    server.script(Reply(200, json.dumps(item).encode()))
    app = client.get_application("a-111")
    assert server.last.path == f"{BASE}/applications/a-111"
    assert (app.application_id, app.name, app.callback_http_method) == (
        "a-111",
        "MyFirstApp",
        "GET",
    )
    assert app.incoming_message_url == "http://example.com/messages.php"
    assert app.incoming_message_url_callback_timeout == 1000
    assert app.incoming_message_fallback_url == "http://fallback.com/"
    assert app.incoming_call_url == "http://example.com/calls.php"
    assert app.incoming_call_fallback_url == "http://fallback.com/"
    assert app.auto_answer is True


def test_get_application_falls_back_to_legacy_sms_names(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(
        Reply(
            200, json.dumps({"id": "a-1", "name": "n", "incomingSmsUrl": "http://x/sms"}).encode()
        )
    )
    app = client.get_application("a-1")
    assert app.incoming_message_url == "http://x/sms"
    assert app.auto_answer is None and app.callback_http_method is None


def test_get_missing_application_is_not_found(server: ReplayServer, client: CatapultClient) -> None:
    err = {"category": "not-found", "code": "application-not-found", "message": "gone"}
    server.script(Reply(404, json.dumps(err).encode()))
    with pytest.raises(NotFound) as info:
        client.get_application("a-gone")
    assert info.value.codes == ["application-not-found"]


def test_list_applications_follows_link_next_onto_the_configured_base(
    server: ReplayServer, client: CatapultClient
) -> None:
    page = fixture("catapult_applications_list.json")
    next_url = f"https://api.catapult.inetwork.com{BASE}/applications?page=1&size=1"
    server.script(
        Reply(
            200,
            page,
            {
                "Link": f"<https://api.catapult.inetwork.com{BASE}/applications?page=0&size=1>;"
                f' rel="first",<{next_url}>; rel="next"'
            },
        ),
        Reply(200, json.dumps([{"id": "a-222", "name": "Second"}]).encode()),
    )
    apps = list(client.list_applications(page_size=1))
    assert [a.application_id for a in apps] == ["a-111", "a-222"]
    first, second = server.requests
    assert first.query == {"page": ["0"], "size": ["1"]}
    assert (second.path, second.query) == (f"{BASE}/applications", {"page": ["1"], "size": ["1"]})


def test_list_stops_on_an_empty_page(server: ReplayServer, client: CatapultClient) -> None:
    server.script(Reply(200, b"[]", {"Link": f'<{BASE}/applications?page=1>; rel="next"'}))
    assert list(client.list_applications()) == []
    assert len(server.requests) == 1


def test_update_application_posts_partial_fields_and_is_retried_on_503(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(Reply(503), Reply(200))
    client.update_application("a-1", {"incomingMessageUrl": "http://new/cb"})
    assert len(server.requests) == 2
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/applications/a-1")
    assert body(server.last) == {"incomingMessageUrl": "http://new/cb"}


def test_delete_application_sends_delete(server: ReplayServer, client: CatapultClient) -> None:
    server.script(Reply(200))
    client.delete_application("a-1")
    assert (server.last.method, server.last.path) == ("DELETE", f"{BASE}/applications/a-1")


def test_application_calls_are_paced_at_the_documented_rate(
    server: ReplayServer, mocker: MockerFixture
) -> None:
    clock = FakeClock(frozen=True)
    mocker.patch.object(_pacing, "time", clock)
    paced = CatapultClient(server.url, USER, "t", "s")
    server.script(Reply(200))
    paced.delete_application("a-1")
    paced.delete_application("a-2")
    # The second call waits for the 1/s budget (burst 1, too small to keep a token in hand),
    # with the small-burst margin in the rate.
    assert Budget("catapult-applications", 1.0, 1) == APPLICATIONS
    assert clock.sleeps == [pytest.approx(1.0 / SMALL_BURST_HEADROOM)]


# -- phone numbers ------------------------------------------------------------------------------


def test_import_number_sends_dashboard_provider_body_and_returns_id(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(
        Reply(
            201, headers={"Location": f"https://api.catapult.inetwork.com{BASE}/phoneNumbers/n-x"}
        )
    )
    number_id = client.import_number(
        "+14352154439",
        "{{applicationId}}",
        name="text messaging TN",
        account_id="9999999",
        username="wileCoyote",
        password="catchThatBird",
    )
    assert number_id == "n-x"
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/phoneNumbers")
    assert body(server.last) == json.loads(fixture("catapult_phoneNumber_import_request.json"))


def test_import_number_conflict_names_code_but_never_the_password(
    server: ReplayServer, client: CatapultClient
) -> None:
    err = {"category": "conflict", "code": "duplicate-number", "message": "Cannot create another"}
    server.script(Reply(409, json.dumps(err).encode()))
    with pytest.raises(Conflict) as info:
        client.import_number(
            "+14352154439", "a-1", account_id="9", username="u", password="dash-pw-123"
        )
    assert info.value.codes == ["duplicate-number"]
    assert "dash-pw-123" not in str(info.value)
    assert len(server.requests) == 1  # a creating POST is not retried


def test_import_number_is_paced_by_the_number_imports_bucket(server: ReplayServer) -> None:
    transport = Transport(server.url, ("t", "s"), CATAPULT)
    seen: list[Budget] = []
    original = transport.pace

    def spy(budget: Budget) -> float:
        seen.append(budget)
        return original(budget)

    transport.pace = spy  # type: ignore[method-assign]
    paced = CatapultClient(server.url, USER, "t", "s", transport=transport)
    server.script(Reply(201, headers={"Location": "/n-1"}))
    paced.import_number("+14352154439", "a-1", account_id="9", username="u", password="p")
    assert seen == [NUMBER_IMPORTS] == [Budget("catapult-number-imports", 100 / 60, 800)]


def test_get_number_by_e164_url_encodes_the_plus(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(json_reply("catapult_phoneNumber_get.json"))
    info = client.get_number("+19195551212")
    assert server.requests[-1].path == f"{BASE}/phoneNumbers/%2B19195551212"
    assert (info.number_id, info.application_id, info.number_state) == (
        "n-bdllkjjddr5vuvglfluxdwi",
        "a-id1",
        "enabled",
    )
    assert (info.national_number, info.created_time, info.price) == (
        "(111) 111-8026",
        "2013-03-07T21:35:18Z",
        "0.00",
    )


def test_get_number_by_id(server: ReplayServer, client: CatapultClient) -> None:
    server.script(json_reply("catapult_phoneNumber_get.json"))
    client.get_number("n-bdllkjjddr5vuvglfluxdwi")
    assert server.last.path == f"{BASE}/phoneNumbers/n-bdllkjjddr5vuvglfluxdwi"


def test_list_numbers_filters_by_application_and_reads_unbound_numbers(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(json_reply("catapult_phoneNumbers_list.json"))
    numbers = list(client.list_numbers(application_id="a-id1"))
    assert server.last.query == {"page": ["0"], "size": ["1000"], "applicationId": ["a-id1"]}
    assert [n.application_id for n in numbers] == ["a-id1", None]
    assert numbers[1].name == "DIDify Number"


def test_list_numbers_follows_the_fixture_link_header(
    server: ReplayServer, client: CatapultClient
) -> None:
    link = fixture("catapult_list_link_header.txt").decode().split(":", 1)[1].strip()
    server.script(json_reply("catapult_phoneNumbers_list.json", link=link), Reply(200, b"[]"))
    assert len(list(client.list_numbers())) == 2
    assert server.requests[1].path == "/v1/users/fakeUserId/phoneNumbers"


def test_update_number_sends_only_given_fields(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(Reply(200))
    client.update_number("+19195551212", application_id="")
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/phoneNumbers/%2B19195551212")
    assert body(server.last) == {"applicationId": ""}
    client.update_number("n-1", application_id="a-2", name="x")
    assert body(server.last) == {"applicationId": "a-2", "name": "x"}


def test_delete_number_sends_delete_and_404_is_not_found(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(Reply(200), Reply(404))
    client.delete_number("n-1")
    assert (server.last.method, server.last.path) == ("DELETE", f"{BASE}/phoneNumbers/n-1")
    with pytest.raises(NotFound):
        client.delete_number("n-1")


# -- messages -----------------------------------------------------------------------------------


def test_send_message_posts_from_to_text_and_returns_id(
    server: ReplayServer, client: CatapultClient
) -> None:
    server.script(Reply(201, headers={"Location": f"{BASE}/messages/m-1"}))
    assert client.send_message("+19195551212", "+19195550000", "hello") == "m-1"
    assert server.last.path == f"{BASE}/messages"
    assert body(server.last) == {"from": "+19195551212", "to": "+19195550000", "text": "hello"}


def test_the_runtime_shares_one_client_per_login_and_hides_secret(server: ReplayServer) -> None:
    settings = Settings.load(
        {
            "bandwidth:userId": USER,
            "bandwidth:apiToken": "t",
            "bandwidth:apiSecret": "api-secret-xyz",
            "bandwidth:catapultUrl": server.url,
        },
        env={},
    )
    one, two = RUNTIME.catapult(settings), RUNTIME.catapult(settings)
    assert one is two
    assert "api-secret-xyz" not in repr(one)


def test_rate_scale_multiplies_pacing_only_for_valid_positive_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bw_pulumi.clients.catapult import RATE_SCALE_ENV, rate_scale

    monkeypatch.delenv(RATE_SCALE_ENV, raising=False)
    assert rate_scale() == 1.0
    monkeypatch.setenv(RATE_SCALE_ENV, "10")
    assert rate_scale() == 10.0
    for bad in ("0", "-3", "fast"):
        monkeypatch.setenv(RATE_SCALE_ENV, bad)
        assert rate_scale() == 1.0


def test_number_page_hands_out_the_rebased_next_link_and_requests_it_as_given(
    server: ReplayServer, client: CatapultClient
) -> None:
    # Lazy paging (RUNTIME.catapult_numbers) fetches one page per call, in any thread.
    next_url = f"https://api.catapult.inetwork.com{BASE}/phoneNumbers?applicationId=a-1&page=1"
    server.script(
        json_reply("catapult_phoneNumbers_list.json", link=f'<{next_url}>; rel="next"'),
        Reply(200, json.dumps([{"id": "n-3", "number": "+19195550103"}]).encode()),
    )
    first = client.number_page("a-1", page_size=2)
    assert server.last.query == {"page": ["0"], "size": ["2"], "applicationId": ["a-1"]}
    assert len(first.numbers) == 2
    assert first.next_path == f"{BASE}/phoneNumbers?applicationId=a-1&page=1"
    last = client.number_page(after=first.next_path)
    assert (server.last.path, server.last.query) == (
        f"{BASE}/phoneNumbers",
        {"applicationId": ["a-1"], "page": ["1"]},
    )
    assert [n.number_id for n in last.numbers] == ["n-3"] and last.next_path is None
