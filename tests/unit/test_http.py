"""The transport against a real local HTTP server: retries, rate limits, errors, pacing."""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from _replay_server import DROP, Recorded, ReplayServer, Reply, fixture, serve, xml_reply

from bw_pulumi import _http
from bw_pulumi._http import (
    USER_AGENT,
    Transport,
    catapult_error_details,
    dashboard_error_details,
    id_from_location,
    shared_transport,
)
from bw_pulumi.errors import (
    BandwidthError,
    Conflict,
    ErrorDetail,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationError,
)

TOLERANCE = 0.05


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def dashboard(server: ReplayServer, **kw: object) -> Transport:
    return Transport(server.url + "/api", ("login-4e7b", "s3cret-pass"), "dashboard", **kw)  # type: ignore[arg-type]


def catapult(server: ReplayServer, **kw: object) -> Transport:
    return Transport(server.url, ("token", "s3cret-api"), "catapult", **kw)  # type: ignore[arg-type]


# -- basics -----------------------------------------------------------------------------------


def test_every_request_carries_user_agent_and_basic_auth(server: ReplayServer) -> None:
    server.script(Reply(200, b"ok"))
    dashboard(server).request("GET", "/accounts/1/subscriptions")
    assert server.last.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("bw-pulumi/")
    assert server.last.headers["Authorization"].startswith("Basic ")
    assert server.last.path == "/api/accounts/1/subscriptions"


def test_read_timeout_becomes_transport_error_without_leaking_host() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the TCP handshake, never answers: a read time-out
    try:
        port = listener.getsockname()[1]
        transport = Transport(
            f"http://127.0.0.1:{port}", ("u", "p"), "dashboard", timeout=(1.0, 0.2), max_attempts=1
        )
        with pytest.raises(TransportError) as info:
            transport.request("GET", "/accounts/1/inserviceNumbers?secretQuery=1")
        assert "127.0.0.1" not in str(info.value)
        assert "secretQuery" not in str(info.value)
        assert info.value.path == "/accounts/1/inserviceNumbers"
    finally:
        listener.close()


def test_id_from_location_takes_last_segment_of_relative_and_absolute_urls(
    server: ReplayServer,
) -> None:
    server.script(
        Reply(
            201,
            headers={
                "Location": "https://dashboard.bandwidth.com/api/accounts/9/subscriptions/abc-1"
            },
        ),
        Reply(201, headers={"Location": "/v1/users/u-1/phoneNumbers/n-xyz/"}),
    )
    transport = dashboard(server)
    assert id_from_location(transport.request("POST", "/x")) == "abc-1"
    assert id_from_location(transport.request("POST", "/x")) == "n-xyz"


def test_missing_location_is_a_bandwidth_error(server: ReplayServer) -> None:
    server.script(Reply(201))
    with pytest.raises(BandwidthError, match="Location"):
        id_from_location(dashboard(server).request("POST", "/x"))


def test_shared_transport_is_one_per_api_url_and_login() -> None:
    login = ("u", "hunter2-pw")
    one = shared_transport("http://127.0.0.1:9/api", login, "dashboard")
    assert shared_transport("http://127.0.0.1:9/api/", login, "dashboard") is one
    assert shared_transport("http://127.0.0.1:9/api", login, "catapult") is not one
    assert "hunter2-pw" not in repr(one)


# -- retries ----------------------------------------------------------------------------------


def test_dashboard_429_waits_until_reset_given_in_epoch_seconds(server: ReplayServer) -> None:
    reset = math.ceil(time.time() + 1)
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(reset)}), Reply(200, b""))
    dashboard(server).request("GET", "/accounts/1/subscriptions")
    assert len(server.requests) == 2
    assert server.requests[1].at >= reset - TOLERANCE


def test_catapult_429_waits_until_reset_given_in_epoch_milliseconds(server: ReplayServer) -> None:
    reset_ms = int((time.time() + 1.0) * 1000)
    body = fixture("catapult_error_429.http.txt").split(b"\n\n", 1)[1]
    server.script(
        Reply(429, body, {"X-RateLimit-Reset": str(reset_ms), "Content-Type": "application/json"}),
        Reply(200, b"[]"),
    )
    catapult(server).request("GET", "/v1/users/u-1/phoneNumbers")
    assert len(server.requests) == 2
    assert server.requests[1].at >= reset_ms / 1000 - TOLERANCE


def test_retry_after_header_is_honoured(server: ReplayServer) -> None:
    server.script(Reply(503, headers={"Retry-After": "1"}), Reply(200))
    dashboard(server).request("GET", "/x")
    assert server.requests[1].at - server.requests[0].at >= 1 - TOLERANCE


def test_get_5xx_then_200_succeeds(server: ReplayServer) -> None:
    server.script(Reply(503), Reply(502), Reply(500), Reply(504), Reply(200, b"done"))
    response = dashboard(server).request("GET", "/x")
    assert response.content == b"done"
    assert len(server.requests) == 5


def test_post_is_not_retried_on_500(server: ReplayServer) -> None:
    server.script(Reply(500), Reply(201))
    with pytest.raises(ServerError) as info:
        dashboard(server).request("POST", "/accounts/1/importTnOrders", data=b"<a/>")
    assert info.value.status == 500
    assert len(server.requests) == 1


def test_post_is_not_retried_on_503(server: ReplayServer) -> None:
    server.script(Reply(503), Reply(201))
    with pytest.raises(ServerError) as info:
        dashboard(server).request("POST", "/accounts/1/importTnOrders", data=b"<a/>")
    assert info.value.status == 503
    assert len(server.requests) == 1


def test_post_is_retried_on_429_because_it_was_not_processed(server: ReplayServer) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(time.time()))}), Reply(201))
    response = dashboard(server).request("POST", "/accounts/1/importTnOrders", data=b"<a/>")
    assert response.status_code == 201
    assert len(server.requests) == 2


def test_idempotent_post_is_retried_on_503(server: ReplayServer) -> None:
    server.script(Reply(503), Reply(200))
    dashboard(server).request("POST", "/accounts/1/importTnChecker", idempotent=True)
    assert len(server.requests) == 2


def test_connection_error_is_retried_on_get(server: ReplayServer) -> None:
    server.script(DROP, Reply(200, b"after drop"))
    assert dashboard(server).request("GET", "/x").content == b"after drop"
    assert len(server.requests) == 2


def test_connection_error_on_post_is_not_retried(server: ReplayServer) -> None:
    server.script(DROP, Reply(201))
    with pytest.raises(TransportError):
        dashboard(server).request("POST", "/x", data=b"<a/>")
    assert len(server.requests) == 1


def test_retry_cap_ends_with_rate_limited_carrying_status(server: ReplayServer) -> None:
    server.script(Reply(429))
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        dashboard(server, max_total_wait=1.0).request("GET", "/accounts/1/inserviceNumbers")
    assert info.value.status == 429
    assert info.value.method == "GET"
    assert time.monotonic() - started < 3
    assert len(server.requests) >= 2


def test_reset_beyond_the_wait_cap_gives_up_at_once_without_stalling_other_calls(
    server: ReplayServer,
) -> None:
    server.script(
        Reply(429, headers={"X-RateLimit-Reset": str(int(time.time()) + 3600)}), Reply(200)
    )
    transport = dashboard(server)
    started = time.monotonic()
    with pytest.raises(RateLimited):
        transport.request("GET", "/x")
    # The next call (another worker thread's poll, say) is sent, not parked for an hour.
    assert transport._blocked_until <= time.time()
    assert transport.request("GET", "/y").status_code == 200
    assert time.monotonic() - started < 1
    assert len(server.requests) == 2


def test_attempt_cap_ends_with_server_error(server: ReplayServer) -> None:
    server.script(Reply(504))
    with pytest.raises(ServerError) as info:
        dashboard(server, max_attempts=2).request("GET", "/x")
    assert info.value.status == 504
    assert len(server.requests) == 2


def test_catapult_403_message_rate_limit_is_retried_like_a_429(server: ReplayServer) -> None:
    body = json.dumps(
        {"category": "limit", "code": "message-rate-limit", "message": "Too many messages"}
    ).encode()
    server.script(Reply(403, body, {"Content-Type": "application/json"}), Reply(201))
    catapult(server).request("POST", "/v1/users/u-1/messages", json={"text": "hi"})
    assert len(server.requests) == 2


def test_catapult_403_rate_limit_exhausted_is_rate_limited_with_status_403(
    server: ReplayServer,
) -> None:
    body = json.dumps({"category": "limit", "code": "call-rate-limit", "message": "slow"}).encode()
    server.script(Reply(403, body))
    with pytest.raises(RateLimited) as info:
        catapult(server, max_attempts=2).request("GET", "/v1/users/u-1/calls")
    assert info.value.status == 403
    assert info.value.codes == ["call-rate-limit"]


def test_plain_catapult_403_is_forbidden_and_not_retried(server: ReplayServer) -> None:
    body = json.dumps({"category": "authorization", "code": "forbidden", "message": "no"}).encode()
    server.script(Reply(403, body))
    with pytest.raises(Forbidden):
        catapult(server).request("GET", "/v1/users/u-1/applications")
    assert len(server.requests) == 1


def test_a_429_holds_back_other_threads_sharing_the_transport(server: ReplayServer) -> None:
    reset = math.ceil(time.time() + 1)
    first = threading.Event()

    def responder(rec: Recorded) -> Reply:
        if not first.is_set():
            first.set()
            return Reply(429, headers={"X-RateLimit-Reset": str(reset)})
        return Reply(200)

    server.respond_with(responder)
    transport = dashboard(server)
    worker = threading.Thread(target=transport.request, args=("GET", "/a"))
    worker.start()
    assert first.wait(5)
    deadline = time.monotonic() + 5
    while transport._blocked_until == 0.0 and time.monotonic() < deadline:
        time.sleep(0.01)  # wait (bounded) until the 429 has been read
    transport.request("GET", "/b")
    worker.join(5)
    later = [r for r in server.requests if r.path == "/api/b"]
    assert later and later[0].at >= reset - TOLERANCE


def test_concurrent_requests_from_eight_threads_all_succeed(server: ReplayServer) -> None:
    server.script(Reply(200, b"ok"))
    transport = dashboard(server)
    results: list[bytes] = []
    lock = threading.Lock()

    def call() -> None:
        for _ in range(5):
            content = transport.request("GET", "/x").content
            with lock:
                results.append(content)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [b"ok"] * 40


# -- pacing -----------------------------------------------------------------------------------


def test_pace_spends_the_burst_then_waits_for_the_rate() -> None:
    transport = Transport("http://127.0.0.1:9", ("u", "p"), "catapult")
    name = f"test-bucket-{time.monotonic_ns()}"
    started = time.monotonic()
    for _ in range(6):
        transport.pace(name, 20.0, 2)
    assert time.monotonic() - started >= (6 - 2) / 20 - TOLERANCE


def test_pace_buckets_are_shared_across_transports_and_threads() -> None:
    name = f"shared-bucket-{time.monotonic_ns()}"
    transports = [Transport("http://127.0.0.1:9", ("u", "p"), "catapult") for _ in range(4)]
    started = time.monotonic()
    threads = [
        threading.Thread(target=lambda t=t: [t.pace(name, 40.0, 1) for _ in range(3)])
        for t in transports
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    # 12 tokens, 1 in the bucket: 11 more at 40/s, whoever asked.
    assert time.monotonic() - started >= 11 / 40 - TOLERANCE


# -- error mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (409, Conflict),
        (500, ServerError),
        (418, BandwidthError),
    ],
)
def test_status_maps_to_error_class(server: ReplayServer, status: int, cls: type) -> None:
    server.script(Reply(status))
    with pytest.raises(cls) as info:
        dashboard(server, max_attempts=1).request("GET", "/accounts/1/subscriptions/x")
    assert info.value.status == status
    assert info.value.path == "/api/accounts/1/subscriptions/x"


def test_error_text_has_method_and_path_but_no_query_host_or_credentials(
    server: ReplayServer,
) -> None:
    server.script(xml_reply("dashboard_error_403_access_denied_spec.xml", 403))
    with pytest.raises(Forbidden) as info:
        dashboard(server).request(
            "POST",
            "/accounts/1/importTnOrders?customerOrderId=topsecretvalue",
            data=b"<Password>s3cret-pass</Password>",
        )
    text = str(info.value)
    assert "POST /api/accounts/1/importTnOrders" in text
    assert "[1001] Access Denied" in text
    for leak in ("topsecretvalue", "s3cret-pass", "127.0.0.1", "login-4e7b"):
        assert leak not in text


def test_catapult_import_body_password_never_appears_in_error(server: ReplayServer) -> None:
    body = json.dumps(
        {"category": "conflict", "code": "duplicate-number", "message": "Cannot create another"}
    ).encode()
    server.script(Reply(409, body))
    with pytest.raises(Conflict) as info:
        catapult(server).request(
            "POST", "/v1/users/u-1/phoneNumbers", json={"provider": {"password": "dash-pw"}}
        )
    assert "dash-pw" not in str(info.value) and "dash-pw" not in repr(info.value.args)
    assert info.value.codes == ["duplicate-number"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dashboard_error_403_access_denied_spec.xml", [("1001", "Access Denied")]),
        ("dashboard_externalTns_get_404_spec.xml", [(None, "The resource does not exist")]),
        (
            "dashboard_importTnChecker_error_400.xml",
            [
                ("7201", "61746052083 is not a valid NANPA telephone number."),
                ("7201", "61746052082 is not a valid NANPA telephone number."),
            ],
        ),
        (
            "dashboard_importTnOrder_create_error_400.xml",
            [
                ("7309", "The site id was not supplied or is invalid."),
                ("7312", "The sippeer id is invalid."),
            ],
        ),
        (
            "dashboard_removeImportedTnOrder_error_400_uuid_spec.xml",
            [("1008", "'some_invalid_uuid' is not a valid UUID")],
        ),
    ],
)
def test_dashboard_error_shapes_from_fixtures_yield_every_code(
    name: str, expected: list[tuple[str | None, str]]
) -> None:
    details = dashboard_error_details(fixture(name))
    assert [(d.code, d.description) for d in details] == expected


def test_dashboard_error_list_and_bare_error_shapes_yield_codes() -> None:
    error_list = (
        b"<OrderResponse><ErrorList><Error><Code>5005</Code><Description>a</Description></Error>"
        b"<Error><Code>5006</Code><Description>b</Description></Error></ErrorList></OrderResponse>"
    )
    search = (
        b"<SearchResult><Error><Code>4000</Code><Description>bad</Description></Error>"
        b"</SearchResult>"
    )
    assert [d.code for d in dashboard_error_details(error_list)] == ["5005", "5006"]
    assert dashboard_error_details(search) == [ErrorDetail("4000", "bad")]


def test_dashboard_empty_or_unparseable_bodies_yield_no_details() -> None:
    assert dashboard_error_details(b"") == []
    assert dashboard_error_details(b"   ") == []
    assert dashboard_error_details(b"<html><body>oops") == []
    assert dashboard_error_details(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>') == []


def test_dashboard_empty_429_body_still_maps_to_rate_limited(server: ReplayServer) -> None:
    raw = fixture("dashboard_ratelimit_429.http.txt")
    assert b"Content-Length: 0" in raw
    server.script(Reply(429))
    with pytest.raises(RateLimited) as info:
        dashboard(server, max_attempts=1).request("GET", "/x")
    assert info.value.details == ()


def test_catapult_error_json_and_429_without_message() -> None:
    body = json.dumps(
        {"category": "not-found", "code": "number-not-found", "message": "Number not found"}
    ).encode()
    assert catapult_error_details(body) == [ErrorDetail("number-not-found", "Number not found")]
    rate = fixture("catapult_error_429.http.txt").split(b"\n\n", 1)[1]
    assert catapult_error_details(rate) == [ErrorDetail("rate-limit-reached", "too-many-requests")]
    assert catapult_error_details(b"") == []
    assert catapult_error_details(b"not json") == []


def test_redirects_are_not_followed_so_a_body_with_credentials_is_never_resent(
    server: ReplayServer,
) -> None:
    server.script(Reply(307, headers={"Location": server.url + "/elsewhere"}), Reply(201))
    with pytest.raises(BandwidthError) as info:
        catapult(server).request("POST", "/v1/users/u-1/phoneNumbers", json={"password": "pw"})
    assert info.value.status == 307
    assert len(server.requests) == 1


def test_a_body_over_the_size_cap_is_refused_without_keeping_it(server: ReplayServer) -> None:
    huge = b"<a>" + b"x" * _http.MAX_RESPONSE_BYTES + b"</a>"
    server.script(Reply(200, huge))
    with pytest.raises(TransportError, match="exceeds"):
        dashboard(server).request("GET", "/accounts/1/inserviceNumbers")


def test_a_huge_redirect_is_refused_before_its_body_is_read(server: ReplayServer) -> None:
    huge = b"x" * (_http.MAX_RESPONSE_BYTES + 1)
    server.script(Reply(307, huge, headers={"Location": server.url + "/elsewhere"}))
    with pytest.raises(BandwidthError) as info:
        dashboard(server).request("GET", "/x")
    assert info.value.status == 307
    assert not isinstance(info.value, TransportError)  # not read up to the cap first


def test_a_body_under_the_cap_is_read_whole(server: ReplayServer) -> None:
    body = b"<a>" + b"x" * (3 * 64 * 1024 + 17) + b"</a>"
    server.script(Reply(200, body))
    assert dashboard(server).request("GET", "/x").content == body


def test_module_constants_are_named() -> None:
    assert _http.MAX_TOTAL_RETRY_WAIT == 120.0
    assert _http.POOL_MAXSIZE >= 8
