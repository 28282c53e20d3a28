"""The transport against a real local HTTP server: retries, rate limits, errors, pacing.

Waits are never taken: the transport's clock is a :class:`FakeClock` (patched over
``bw_pulumi._http.time``) and the tests assert the waits it asked for.
"""

from __future__ import annotations

import base64
import json
import math
import os
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from pytest_mock import MockerFixture

import bw_pulumi
from bw_pulumi import _http, _pacing, _retry_policy
from bw_pulumi._http import RESET_MARGIN_SECONDS, Transport, id_from_location, user_agent
from bw_pulumi._one_host import query_string
from bw_pulumi._pacing import (
    JITTER_SECONDS,
    PACING_HEADROOM,
    SMALL_BURST_HEADROOM,
    Budget,
    Pacer,
)
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients.catapult_dialect import CATAPULT
from bw_pulumi.clients.dashboard_dialect import DASHBOARD
from bw_pulumi.config import Settings
from bw_pulumi.errors import (
    BandwidthError,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationError,
)
from tests._replay_server import DROP, ReplayServer, Reply, fixture, serve, xml_reply
from tests.fake_clock import FakeClock


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


@pytest.fixture
def clock(mocker: MockerFixture) -> FakeClock:
    """The transport's waits, recorded instead of taken."""
    fake = FakeClock()
    mocker.patch.object(_http, "time", fake)
    return fake


@pytest.fixture
def no_jitter(mocker: MockerFixture) -> None:
    """Each jittered wait at its least, so a test can name the wait exactly."""
    mocker.patch.object(_retry_policy, "random", _Least())


class _Least:
    @staticmethod
    def uniform(low: float, _high: float) -> float:
        return low


def dashboard(server: ReplayServer, **kw: object) -> Transport:
    return Transport(server.url + "/api", ("login-4e7b", "s3cret-pass"), DASHBOARD, **kw)  # type: ignore[arg-type]


def catapult(server: ReplayServer, **kw: object) -> Transport:
    return Transport(server.url, ("token", "s3cret-api"), CATAPULT, **kw)  # type: ignore[arg-type]


# -- basics -----------------------------------------------------------------------------------


def test_every_request_carries_user_agent_and_basic_auth(server: ReplayServer) -> None:
    server.script(Reply(200, b"ok"))
    dashboard(server).request("GET", "/accounts/1/subscriptions")
    assert server.last.headers["User-Agent"] == user_agent()
    assert user_agent() == f"bw-pulumi/{bw_pulumi.__version__}"
    assert server.last.headers["Authorization"].startswith("Basic ")
    assert server.last.path == "/api/accounts/1/subscriptions"


def test_basic_auth_sends_non_ascii_credentials_as_utf8(server: ReplayServer) -> None:
    server.script(Reply(200, b"ok"))
    Transport(server.url, ("tökén", "pässwörd-€"), CATAPULT).request("GET", "/v1/users/u-1")
    sent = server.last.headers["Authorization"].removeprefix("Basic ")
    assert base64.b64decode(sent).decode() == "tökén:pässwörd-€"


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.none()
        | st.integers()
        | st.text(max_size=12)
        | st.lists(st.text(max_size=6) | st.integers(), max_size=3),
        max_size=4,
    )
)
def test_query_parameters_are_encoded_as_requests_encodes_them(params: dict[str, Any]) -> None:
    prepared = requests.PreparedRequest()
    prepared.prepare_url("http://h/p", params)
    expected = urlsplit(prepared.url or "").query
    assert query_string(params) == (f"?{expected}" if expected else "")


def test_the_ca_bundle_and_the_pool_are_looked_up_once_not_per_request(
    server: ReplayServer, mocker: MockerFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests stats the bundle path on every request: a system call that hands the GIL over
    in the middle of each one, which 16 threads of bulk work then queue for."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    isdir = mocker.spy(os.path, "isdir")
    server.script(Reply(200, b"ok"))
    transport = catapult(server)
    for _ in range(5):
        transport.request("GET", "/v1/users/u-1/applications", params={"page": 0})
    stats = [c for c in isdir.call_args_list if "ca-certificates" in str(c.args[0])]
    assert len(stats) <= 1
    assert [r.path for r in server.requests] == ["/v1/users/u-1/applications"] * 5
    assert all(r.query == {"page": ["0"]} for r in server.requests)


def test_a_url_outside_the_transports_origin_is_refused(server: ReplayServer) -> None:
    transport = catapult(server)
    with pytest.raises(ValueError, match="is not under"):
        transport._exchange.send(
            "GET",
            "http://elsewhere.invalid/v1",
            params=None,
            data=None,
            json=None,
            headers={},
            timeout=(1, 1),
        )
    assert server.requests == []


def test_read_timeout_becomes_transport_error_naming_the_origin_but_no_query() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the TCP handshake, never answers: a read time-out
    try:
        port = listener.getsockname()[1]
        transport = Transport(
            f"http://127.0.0.1:{port}", ("u", "p"), DASHBOARD, timeout=(1.0, 0.2), max_attempts=1
        )
        with pytest.raises(TransportError) as info:
            transport.request("GET", "/accounts/1/inserviceNumbers?secretQuery=1")
        head = str(info.value).splitlines()[0]
        assert head.endswith(f"no answer from http://127.0.0.1:{port} within 0.2s after 1 attempt")
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


def _settings(dashboard_url: str) -> Settings:
    config = {
        "bandwidth:accountId": "9",
        "bandwidth:username": "u",
        "bandwidth:password": "hunter2-pw",
        "bandwidth:dashboardUrl": dashboard_url,
        "bandwidth:userId": "u-1",
        "bandwidth:apiToken": "t",
        "bandwidth:apiSecret": "hunter2-pw",
        "bandwidth:catapultUrl": "http://127.0.0.1:9",
    }
    return Settings.load(config, env={})


def test_the_runtime_keeps_one_client_and_session_per_api_url_and_login() -> None:
    one = RUNTIME.dashboard(_settings("http://127.0.0.1:9/api"))
    assert RUNTIME.dashboard(_settings("http://127.0.0.1:9/api/")) is one
    catapult = RUNTIME.catapult(_settings("http://127.0.0.1:9/api"))
    assert catapult.transport is not one.transport
    assert catapult.transport.pacer is RUNTIME.pacer  # Catapult budgets are per user
    assert "hunter2-pw" not in repr(one) + repr(one.transport) + repr(catapult)


# -- retries ----------------------------------------------------------------------------------


def test_dashboard_429_waits_until_reset_given_in_epoch_seconds(
    server: ReplayServer, clock: FakeClock, no_jitter: None
) -> None:
    reset = clock.now + 2
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(reset))}), Reply(200, b""))
    dashboard(server).request("GET", "/accounts/1/subscriptions")
    assert len(server.requests) == 2
    assert clock.sleeps == [pytest.approx(2 + RESET_MARGIN_SECONDS)]


def test_catapult_429_waits_until_reset_given_in_epoch_milliseconds(
    server: ReplayServer, clock: FakeClock, no_jitter: None
) -> None:
    reset_ms = int((clock.now + 1.5) * 1000)
    body = fixture("catapult_error_429.http.txt").split(b"\n\n", 1)[1]
    server.script(
        Reply(429, body, {"X-RateLimit-Reset": str(reset_ms), "Content-Type": "application/json"}),
        Reply(200, b"[]"),
    )
    catapult(server).request("GET", "/v1/users/u-1/phoneNumbers")
    assert len(server.requests) == 2
    assert clock.sleeps == [pytest.approx(1.5 + RESET_MARGIN_SECONDS)]


def test_a_dashboard_reset_in_milliseconds_is_still_read_as_milliseconds(
    server: ReplayServer, clock: FakeClock, no_jitter: None
) -> None:
    reset_ms = int((clock.now + 3) * 1000)
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(reset_ms)}), Reply(200))
    dashboard(server).request("GET", "/x")
    assert clock.sleeps == [pytest.approx(3 + RESET_MARGIN_SECONDS)]


def test_retry_after_header_is_honoured(server: ReplayServer, clock: FakeClock) -> None:
    server.script(Reply(503, headers={"Retry-After": "1"}), Reply(200))
    dashboard(server).request("GET", "/x")
    assert clock.sleeps == [1.0]


def test_get_5xx_then_200_succeeds_backing_off_with_jitter_under_the_cap(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(503), Reply(502), Reply(500), Reply(504), Reply(200, b"done"))
    response = dashboard(server).request("GET", "/x")
    assert response.content == b"done"
    assert len(server.requests) == 5
    ceilings = [min(_http.BACKOFF_MAX_SECONDS, _http.BACKOFF_BASE_SECONDS * 2**n) for n in range(4)]
    assert len(clock.sleeps) == 4
    assert all(c / 2 <= s <= c for s, c in zip(clock.sleeps, ceilings, strict=True))


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


def test_post_is_retried_on_429_because_it_was_not_processed(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(clock.now))}), Reply(201))
    response = dashboard(server).request("POST", "/accounts/1/importTnOrders", data=b"<a/>")
    assert response.status_code == 201
    assert len(server.requests) == 2


def test_idempotent_post_is_retried_on_503(server: ReplayServer, clock: FakeClock) -> None:
    server.script(Reply(503), Reply(200))
    dashboard(server).request("POST", "/accounts/1/importTnChecker", idempotent=True)
    assert len(server.requests) == 2


def test_connection_error_is_retried_on_get(server: ReplayServer, clock: FakeClock) -> None:
    server.script(DROP, Reply(200, b"after drop"))
    assert dashboard(server).request("GET", "/x").content == b"after drop"
    assert len(server.requests) == 2


def test_connection_error_on_post_is_not_retried(server: ReplayServer) -> None:
    server.script(DROP, Reply(201))
    with pytest.raises(TransportError):
        dashboard(server).request("POST", "/x", data=b"<a/>")
    assert len(server.requests) == 1


def test_retry_cap_ends_with_rate_limited_carrying_status(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(429))
    with pytest.raises(RateLimited) as info:
        dashboard(server, max_rate_limit_wait=1.0).request("GET", "/accounts/1/inserviceNumbers")
    assert info.value.status == 429
    assert info.value.method == "GET"
    assert sum(clock.sleeps) <= 1.0
    assert len(server.requests) == len(clock.sleeps) + 1 >= 2


def test_reset_beyond_the_wait_cap_gives_up_at_once_without_stalling_other_calls(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(clock.now) + 3600)}), Reply(200))
    transport = dashboard(server)
    with pytest.raises(RateLimited):
        transport.request("GET", "/x")
    # The next call (another worker thread's poll, say) is sent, not parked for an hour.
    assert transport.request("GET", "/y").status_code == 200
    assert clock.sleeps == []
    assert len(server.requests) == 2


def test_a_rate_limit_is_waited_out_past_the_attempt_cap(
    server: ReplayServer, clock: FakeClock
) -> None:
    # A 429 is "later", not "no": a storm longer than the attempt cap still ends in success.
    limited = Reply(429, headers={"X-RateLimit-Reset": str(int(clock.now) + 1)})
    server.script(*[limited] * 12, Reply(201))
    response = dashboard(server, max_attempts=3).request("POST", "/x", data=b"<a/>")
    assert response.status_code == 201
    assert len(server.requests) == 13


def test_rate_limit_waits_are_the_reset_plus_a_jitter_that_widens_with_each_refusal(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(*[Reply(429, headers={"X-RateLimit-Reset": "1"})] * 6, Reply(200))
    dashboard(server).request("GET", "/x")
    # The reset is long past (epoch 1): each wait is the margin plus its own jitter.
    spreads = [min(8.0, 2.0**n) for n in range(6)]
    assert len(clock.sleeps) == 6
    for wait, spread in zip(clock.sleeps, spreads, strict=True):
        assert RESET_MARGIN_SECONDS <= wait <= RESET_MARGIN_SECONDS + spread
    assert len(set(clock.sleeps)) == 6  # jittered, not one fixed wait


def test_a_rate_limit_longer_than_its_wait_budget_ends_in_rate_limited(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(clock.now) + 10)}))
    with pytest.raises(RateLimited) as info:
        dashboard(server, max_rate_limit_wait=35.0).request("GET", "/x")
    # The first wait is the reset; the rest follow it with widening jitter until 35s are spent.
    assert clock.sleeps[0] >= 10.0
    assert len(server.requests) == len(clock.sleeps) + 1 > 2
    assert sum(clock.sleeps) <= 35.0
    assert "attempt" in str(info.value)


def test_a_resend_after_a_rate_limit_takes_another_token_of_its_budget(
    server: ReplayServer, clock: FakeClock, pacing_clock: FakeClock, no_jitter: None
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": "1"}), Reply(201))
    transport = catapult(server)
    budget = Budget("one-a-second", 1.0, 1)
    transport.pace(budget)
    transport.request("POST", "/v1/users/u-1/applications", json={})
    transport.request("GET", "/v1/users/u-1/applications")  # not paced: takes no token
    # The first token was in the bucket; the resend waited its turn for the second.
    assert pacing_clock.sleeps == [pytest.approx(1 / SMALL_BURST_HEADROOM)]


def test_only_a_resend_after_a_rate_limit_takes_a_token_not_one_after_a_fault(
    server: ReplayServer, clock: FakeClock, pacing_clock: FakeClock, no_jitter: None
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": "1"}), Reply(503), Reply(200))
    transport = catapult(server)
    transport.pace(Budget("one-a-second", 1.0, 1))
    transport.request("GET", "/v1/users/u-1/applications")
    assert len(server.requests) == 3
    # The first send and the resend after the 429 took tokens; the resend after the 503 did not.
    assert pacing_clock.sleeps == [pytest.approx(1 / SMALL_BURST_HEADROOM)]


def test_attempt_cap_ends_with_server_error(server: ReplayServer, clock: FakeClock) -> None:
    server.script(Reply(504))
    with pytest.raises(ServerError) as info:
        dashboard(server, max_attempts=2).request("GET", "/x")
    assert info.value.status == 504
    assert len(server.requests) == 2


def test_catapult_403_message_rate_limit_is_retried_like_a_429(
    server: ReplayServer, clock: FakeClock
) -> None:
    body = json.dumps(
        {"category": "limit", "code": "message-rate-limit", "message": "Too many messages"}
    ).encode()
    server.script(Reply(403, body, {"Content-Type": "application/json"}), Reply(201))
    catapult(server).request("POST", "/v1/users/u-1/messages", json={"text": "hi"})
    assert len(server.requests) == 2


def test_catapult_403_rate_limit_exhausted_is_rate_limited_with_status_403(
    server: ReplayServer, clock: FakeClock
) -> None:
    body = json.dumps({"category": "limit", "code": "call-rate-limit", "message": "slow"}).encode()
    server.script(Reply(403, body))
    with pytest.raises(RateLimited) as info:
        catapult(server, max_rate_limit_wait=0.1).request("GET", "/v1/users/u-1/calls")
    assert info.value.status == 403
    assert info.value.codes == ["call-rate-limit"]


def test_plain_catapult_403_is_forbidden_and_not_retried(server: ReplayServer) -> None:
    body = json.dumps({"category": "authorization", "code": "forbidden", "message": "no"}).encode()
    server.script(Reply(403, body))
    with pytest.raises(Forbidden):
        catapult(server).request("GET", "/v1/users/u-1/applications")
    assert len(server.requests) == 1


def test_a_dashboard_403_with_a_rate_limit_code_is_not_a_rate_limit(server: ReplayServer) -> None:
    body = b"<E><Error><Code>message-rate-limit</Code><Description>x</Description></Error></E>"
    server.script(Reply(403, body))
    with pytest.raises(Forbidden):
        dashboard(server).request("GET", "/x")
    assert len(server.requests) == 1


def test_a_429_holds_back_other_callers_sharing_the_transport(
    server: ReplayServer, clock: FakeClock, no_jitter: None
) -> None:
    server.script(Reply(429, headers={"X-RateLimit-Reset": str(int(clock.now) + 2)}), Reply(200))
    transport = dashboard(server)
    others: list[int] = []

    def another_caller(_seconds: float) -> None:
        # Runs while the first request waits out its reset, as another worker thread would.
        clock.on_sleep = None
        others.append(transport.request("GET", "/b").status_code)

    clock.on_sleep = another_caller
    transport.request("GET", "/a")
    assert others == [200]
    # The other caller's only wait was the same reset, learnt from the first caller's 429;
    # then it went first (its time had come), and the first caller's retry followed.
    assert clock.sleeps == [pytest.approx(2 + RESET_MARGIN_SECONDS)] * 2
    assert [r.path for r in server.requests] == ["/api/a", "/api/b", "/api/a"]


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


@pytest.fixture
def pacing_clock(mocker: MockerFixture) -> FakeClock:
    """A still clock for the buckets: every wait is the reservation's distance from now."""
    fake = FakeClock(frozen=True)
    mocker.patch.object(_pacing, "time", fake)
    return fake


def test_pace_spends_the_burst_then_waits_for_the_rate(pacing_clock: FakeClock) -> None:
    transport = Transport("http://127.0.0.1:9", ("u", "p"), CATAPULT)
    for _ in range(6):
        transport.pace(Budget("test", 20.0, 2))
    # A quarter second of tokens (5) would be more than the burst: the margin is in the rate.
    rate = 20.0 * SMALL_BURST_HEADROOM
    assert pacing_clock.sleeps == [pytest.approx(n / rate) for n in range(1, 5)]


def test_pace_keeps_a_quarter_second_of_a_burst_in_hand(pacing_clock: FakeClock) -> None:
    pacer = Pacer()
    budget = Budget("large", 20.0, 800)
    kept = math.ceil(20.0 * JITTER_SECONDS)
    assert kept == 5
    for _ in range(800 - kept):
        pacer.take(budget)
    assert pacing_clock.sleeps == []
    pacer.take(budget)
    assert pacing_clock.sleeps == [pytest.approx(1 / (20.0 * PACING_HEADROOM))]


def test_pace_buckets_are_shared_across_transports_and_threads(pacing_clock: FakeClock) -> None:
    pacer = Pacer()
    transports = [Transport("http://127.0.0.1:9", ("u", "p"), CATAPULT, pacer=pacer)] * 4
    budget = Budget("shared", 40.0, 1)
    threads = [
        threading.Thread(target=lambda t=t: [t.pace(budget) for _ in range(3)]) for t in transports
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    # 12 tokens, 1 in the bucket: 11 more at 40/s, whoever asked, each reserved in turn.
    rate = 40.0 * SMALL_BURST_HEADROOM
    assert sorted(pacing_clock.sleeps) == [pytest.approx(n / rate) for n in range(1, 12)]


def test_a_budget_at_another_rate_is_not_held_to_the_first_rate(pacing_clock: FakeClock) -> None:
    pacer = Pacer()
    slow, fast = Budget("same-name", 1.0, 1), Budget("same-name", 1.0, 1).scaled(100)
    pacer.take(slow)
    pacer.take(fast)
    pacer.take(fast)
    assert pacing_clock.sleeps == [pytest.approx(1 / (100 * SMALL_BURST_HEADROOM))]


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
        dashboard(server, max_attempts=1, max_rate_limit_wait=0.0).request(
            "GET", "/accounts/1/subscriptions/x"
        )
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


def test_dashboard_empty_429_body_still_maps_to_rate_limited(server: ReplayServer) -> None:
    raw = fixture("dashboard_ratelimit_429.http.txt")
    assert b"Content-Length: 0" in raw
    server.script(Reply(429))
    with pytest.raises(RateLimited) as info:
        dashboard(server, max_rate_limit_wait=0.0).request("GET", "/x")
    assert info.value.details == ()


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


# -- the environment's proxy settings ---------------------------------------------------------


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_requests_go_through_the_proxy_the_environment_names(
    server: ReplayServer, no_proxy_env: pytest.MonkeyPatch
) -> None:
    no_proxy_env.setenv("HTTP_PROXY", server.url)
    server.script(Reply(200, b""))
    transport = Transport("http://bandwidth.invalid", ("u", "p"), CATAPULT)
    transport.request("GET", "/v1/users/u-1/applications")
    assert server.last.headers["Host"] == "bandwidth.invalid"
    assert server.last.path == "/v1/users/u-1/applications"


def test_a_host_in_no_proxy_is_reached_directly(
    server: ReplayServer, no_proxy_env: pytest.MonkeyPatch
) -> None:
    no_proxy_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # the discard port: fails if used
    no_proxy_env.setenv("NO_PROXY", "127.0.0.1")
    server.script(Reply(200, b""))
    transport = Transport(server.url, ("u", "p"), CATAPULT)
    transport.request("GET", "/v1/users/u-1/applications")
    assert server.last.path == "/v1/users/u-1/applications"
