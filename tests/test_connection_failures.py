"""Connection failures against real sockets on 127.0.0.1: how long the transport keeps trying,
and what it tells the user.

A refused connection to a host that has never answered in this process is a wrong base URL and
fails after :data:`~bw_pulumi._reach.FIRST_CONTACT_ATTEMPTS`; once the host has answered (through
any transport of the process) a refusal is transient and keeps the full budget. Waits are never
taken: the transport's clock is a :class:`FakeClock`, and attempts are counted from its sleeps.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests
import urllib3.exceptions
from pytest_mock import MockerFixture

from bw_pulumi import _http, _reach
from bw_pulumi._http import MAX_ATTEMPTS, Transport
from bw_pulumi._reach import FIRST_CONTACT_ATTEMPTS, classify
from bw_pulumi.clients.catapult_dialect import CATAPULT
from bw_pulumi.clients.dashboard_dialect import DASHBOARD
from bw_pulumi.errors import TransportError
from tests._replay_server import ReplayServer, Reply, serve
from tests.fake_clock import FakeClock

PASSWORD = "s3cret-pass-77"


@pytest.fixture
def clock(mocker: MockerFixture) -> FakeClock:
    fake = FakeClock()
    mocker.patch.object(_http, "time", fake)
    return fake


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    yield from serve()


def closed_port() -> int:
    """A port nothing listens on: bound to learn a free one, then closed, never listened."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def refused(transport: Transport, method: str = "GET") -> TransportError:
    with pytest.raises(TransportError) as info:
        transport.request(method, "/accounts/9900000/subscriptions?token=q-secret", data=b"<a/>")
    return info.value


def test_a_host_that_never_answered_is_given_up_after_a_few_quick_attempts(
    clock: FakeClock,
) -> None:
    port = closed_port()
    error = refused(Transport(f"http://127.0.0.1:{port}/api", ("login", PASSWORD), DASHBOARD))
    assert len(clock.sleeps) == FIRST_CONTACT_ATTEMPTS - 1 >= 1  # still one retry at least
    assert sum(clock.sleeps) <= 1.5
    head, check = str(error).splitlines()
    assert head == (
        "Bandwidth Dashboard GET /api/accounts/9900000/subscriptions failed: connection refused "
        f"by http://127.0.0.1:{port} after {FIRST_CONTACT_ATTEMPTS} attempts"
    )
    assert check.startswith("Check bandwidth:dashboardUrl (env BANDWIDTH_DASHBOARD_URL)")
    assert "run pulumi up, or add --run-program" in check


def test_the_message_names_the_url_but_never_its_userinfo_credentials_or_query(
    clock: FakeClock,
) -> None:
    port = closed_port()
    base = f"http://url-user:url-pw@127.0.0.1:{port}/api"
    error = refused(Transport(base, ("login-4e7b", PASSWORD), DASHBOARD))
    text = str(error) + repr(error.args)
    assert f"connection refused by http://127.0.0.1:{port} " in text
    for leak in ("url-user", "url-pw", "login-4e7b", PASSWORD, "q-secret", "token="):
        assert leak not in text


def test_a_refusal_from_a_host_that_answered_keeps_the_full_budget_and_says_so_once(
    server: ReplayServer, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(200, b"ok"))
    Transport(server.url + "/api", ("login", PASSWORD), DASHBOARD).request("GET", "/x")
    server.close()  # the emulator restarting mid-run: now refused
    # Another transport of the process (Catapult, same host) knows the host has answered.
    error = refused(Transport(server.url, ("token", "api-secret"), CATAPULT))
    assert len(clock.sleeps) == MAX_ATTEMPTS - 1
    assert f"connection refused by {server.url} after {MAX_ATTEMPTS} attempts" in str(error)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines  # one line, however many attempts
    assert lines[0].startswith(
        "bw-pulumi: Bandwidth Catapult GET /accounts/9900000/subscriptions: connection refused "
        f"by {server.url} after "
    )
    assert "retrying in" in lines[0]
    assert PASSWORD not in lines[0] and "q-secret" not in lines[0]


def test_a_refused_post_is_retried_because_nothing_was_sent(
    server: ReplayServer, clock: FakeClock
) -> None:
    server.script(Reply(200, b"ok"))
    transport = Transport(server.url + "/api", ("login", PASSWORD), DASHBOARD)
    transport.request("GET", "/x")
    server.close()
    transport.close()  # drop the pooled connection: the next one must be opened, and is refused
    error = refused(transport, "POST")
    assert len(clock.sleeps) == MAX_ATTEMPTS - 1
    assert str(error).startswith("Bandwidth Dashboard POST /api/accounts/9900000/subscriptions")


def test_a_short_retry_prints_nothing_and_a_long_one_one_line(
    server: ReplayServer, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    transport = Transport(server.url + "/api", ("login", PASSWORD), DASHBOARD)
    server.script(Reply(503), Reply(200))
    transport.request("GET", "/x")
    assert capsys.readouterr().err == ""
    server.script(*[Reply(503)] * 6, Reply(200))
    transport.request("GET", "/accounts/1/sites")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and sum(clock.sleeps) >= _http.PROGRESS_AFTER_SECONDS
    assert lines[0].startswith("bw-pulumi: Bandwidth Dashboard GET /api/accounts/1/sites: HTTP 503")


def _requests_error(inner: BaseException) -> requests.ConnectionError:
    """The chain requests raises for a failed connect: ConnectionError(MaxRetryError(reason))."""
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection")  # type: ignore[arg-type]
    reason.__cause__ = inner
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", reason))  # type: ignore[arg-type]


def test_a_host_name_that_does_not_exist_is_a_config_error_but_a_resolver_hiccup_is_not() -> None:
    unknown = _requests_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    again = _requests_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"))
    where = "https://dashboard.example.invalid"
    assert classify(unknown, where, (10, 60)) == _reach.Failure(
        f"could not resolve the host of {where}", unsent=True, config_error=True
    )
    assert not classify(again, where, (10, 60)).config_error


def test_a_dropped_connection_names_what_happened_on_the_wire() -> None:
    from http.client import RemoteDisconnected

    dropped = requests.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", RemoteDisconnected("closed"))
    )
    failure = classify(dropped, "http://127.0.0.1:1", (10, 60))
    assert failure.text == "connection to http://127.0.0.1:1 failed (RemoteDisconnected)"
    assert not failure.unsent and not failure.config_error


def _connect_times_out(mocker: MockerFixture) -> None:
    """Every connect hangs for the whole connect time-out (a firewall dropping the handshake)."""
    mocker.patch.object(
        requests.adapters.HTTPAdapter,
        "send",
        side_effect=requests.ConnectTimeout("Connection to 10.255.255.1 timed out"),
    )


def test_a_connect_time_out_at_a_host_that_never_answered_gives_up_after_a_few_attempts(
    clock: FakeClock, mocker: MockerFixture
) -> None:
    _connect_times_out(mocker)
    transport = Transport("http://10.255.255.1:8080/api", ("login", PASSWORD), DASHBOARD)
    with pytest.raises(TransportError) as info:
        transport.request("POST", "/accounts/9900000/subscriptions", data=b"<a/>")
    assert len(clock.sleeps) == FIRST_CONTACT_ATTEMPTS - 1  # minutes of retries before
    head, check = str(info.value).splitlines()
    assert head.endswith(
        f"no connection to http://10.255.255.1:8080 within 10s after {FIRST_CONTACT_ATTEMPTS} "
        "attempts"
    )
    assert check.startswith("Check bandwidth:dashboardUrl (env BANDWIDTH_DASHBOARD_URL)")


def test_a_connect_time_out_at_a_host_that_answered_keeps_the_full_budget(
    server: ReplayServer, clock: FakeClock, mocker: MockerFixture
) -> None:
    server.script(Reply(200, b"ok"))
    Transport(server.url, ("token", "api-secret"), CATAPULT).request("GET", "/x")
    _connect_times_out(mocker)  # a network fault in the middle of a long run
    with pytest.raises(TransportError):
        Transport(server.url, ("token", "api-secret"), CATAPULT).request("GET", "/y")
    assert len(clock.sleeps) == MAX_ATTEMPTS - 1
