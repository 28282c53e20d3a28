"""MessagingClient (Messaging API v2) and parse_webhook against the emulator over real HTTP."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from bw_pulumi._oauth import TokenSource
from bw_pulumi.clients.messaging import MessagingClient, parse_webhook
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import ServerError, Unauthorized, ValidationError

NUMBER = "9195550100"
OWNED = "+1" + NUMBER


class Hooks:
    """A loopback webhook receiver: every POST body, by path."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hooks.bodies.append((self.path, self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def wait(self, path: str, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for got, body in self.bodies:
                if got == path:
                    return body
            time.sleep(0.02)
        raise AssertionError(f"no webhook to {path} within {timeout}s")


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    receiver = Hooks()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def _dash(emu: Emulator, method: str, path: str, body: str) -> requests.Response:
    url = f"{emu.dashboard_url}/accounts/{emu.account_id}{path}"
    response = requests.request(
        method, url, data=body, auth=(emu.username, emu.password), timeout=10
    )
    assert response.ok, response.text
    return response


def _provision(emu: Emulator, hooks: Hooks) -> str:
    """A messaging application, a Location with SMS assigned to it, NUMBER imported there."""
    app = (
        _dash(
            emu,
            "POST",
            "/applications",
            "<Application><ServiceType>Messaging-V2</ServiceType><AppName>smoke</AppName>"
            f"<InboundCallbackUrl>{hooks.url}/in</InboundCallbackUrl>"
            f"<OutboundCallbackUrl>{hooks.url}/out</OutboundCallbackUrl><RequestedCallbackTypes>"
            "<CallbackType>message-delivered</CallbackType></RequestedCallbackTypes></Application>",
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    peer = (
        _dash(emu, "POST", "/sites/14/sippeers", "<SipPeer><PeerName>smoke</PeerName></SipPeer>")
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    base = f"/sites/14/sippeers/{peer}/products/messaging"
    sms = "<SipPeerSmsFeature><SipPeerSmsFeatureSettings><Protocol>HTTP</Protocol><Zone1>true"
    _dash(emu, "POST", f"{base}/features/sms", sms + "</Zone1></SipPeerSmsFeatureSettings>"
          "<HttpSettings/></SipPeerSmsFeature>")  # fmt: skip
    settings = f"<ApplicationsSettings><HttpMessagingV2AppId>{app}</HttpMessagingV2AppId>"
    _dash(emu, "PUT", f"{base}/applicationSettings", settings + "</ApplicationsSettings>")
    order = (
        f"<ImportTnOrder><SiteId>14</SiteId><SipPeerId>{peer}</SipPeerId><Subscriber>"
        "<Name>Smoke</Name><ServiceAddress><HouseNumber>1</HouseNumber><StreetName>Main</StreetName>"
        "<City>Raleigh</City><StateCode>NC</StateCode><Zip>27606</Zip></ServiceAddress>"
        "</Subscriber><LoaAuthorizingPerson>Smoke Test</LoaAuthorizingPerson><TelephoneNumbers>"
        f"<TelephoneNumber>{NUMBER}</TelephoneNumber></TelephoneNumbers></ImportTnOrder>"
    )
    _dash(emu, "POST", "/importTnOrders", order)
    deadline = time.monotonic() + 5
    while emu.control.state()["in_service_peers"].get(NUMBER) != peer:
        assert time.monotonic() < deadline, "the import did not complete"
        time.sleep(0.02)
    return app


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


def _basic(emu: Emulator, password: str | None = None) -> MessagingClient:
    return MessagingClient(
        emu.messaging_url, emu.account_id, (emu.username, password or emu.password)
    )


def test_send_returns_the_message_and_its_delivered_webhook_parses(
    emu: Emulator, hooks: Hooks
) -> None:
    app = _provision(emu, hooks)
    sent = _basic(emu).send_message(app, "+19195550199", OWNED, "hello", tag="smoke-1")
    assert sent.application_id == app and sent.to == ("+19195550199",)
    assert sent.from_ == OWNED and sent.raw["tag"] == "smoke-1" and sent.segment_count == 1
    assert sent.message_id in {m["id"] for m in emu.control.state()["messages_v2"]}
    [event] = parse_webhook(hooks.wait("/out"))
    assert event.type == "message-delivered" and event.message.raw["direction"] == "out"
    assert event.message.message_id == sent.message_id and event.to == "+19195550199"
    assert event.message.raw["tag"] == "smoke-1" and event.message.to == ("+19195550199",)


def test_inbound_webhook_parses_into_a_received_event(emu: Emulator, hooks: Hooks) -> None:
    app = _provision(emu, hooks)
    emu.control.inbound("+19195550199", OWNED, "hi there")
    [event] = parse_webhook(hooks.wait("/in"))
    assert event.type == "message-received" and event.message.text == "hi there"
    assert event.message.from_ == "+19195550199" and event.message.application_id == app
    assert event.message.raw["direction"] == "in" and event.to == OWNED


def test_an_expired_bearer_token_is_renewed_once_and_the_send_goes_through(
    emu: Emulator, hooks: Hooks
) -> None:
    app = _provision(emu, hooks)
    source = TokenSource(emu.token_url, emu.client_id, emu.client_secret)
    client = MessagingClient(emu.messaging_url, emu.account_id, source)
    client.send_message(app, "+19195550199", OWNED, "one")
    first = source.token()
    emu.control.oauth(expire=True)
    client.send_message(app, "+19195550199", OWNED, "two")  # 401, new token, sent
    assert source.token() != first
    assert len(emu.control.state()["messages_v2"]) == 2
    assert first not in repr(client) and first not in repr(source)


def test_refusals_carry_bandwidths_type_and_field_in_one_or_two_lines(
    emu: Emulator, hooks: Hooks
) -> None:
    app = _provision(emu, hooks)
    with pytest.raises(ValidationError) as refused:
        _basic(emu).send_message(app, "+19195550199", "+19195550111", "x")
    text = str(refused.value)
    assert set(refused.value.codes) == {"request-validation"} and "from:" in text
    assert len(text.splitlines()) == 1 and "Traceback" not in text, text
    with pytest.raises(Unauthorized) as denied:
        _basic(emu, password="wrong-secret").send_message(app, "+19195550199", OWNED, "x")
    assert "wrong-secret" not in str(denied.value)


def _seed(p429: float) -> int:
    """A seed whose first fault draw is a 429 and whose second is not."""
    return next(
        seed
        for seed in range(1000)
        if (rng := random.Random(seed)).random() < p429 and rng.random() >= p429
    )


def test_a_429_is_retried_after_retry_after_and_a_5xx_is_not(emu: Emulator, hooks: Hooks) -> None:
    app = _provision(emu, hooks)
    emu.control.faults(seed=_seed(0.5), p429=0.5)
    sent = _basic(emu).send_message(app, "+19195550199", OWNED, "after a 429")
    assert sent.message_id
    stats: dict[str, Any] = emu.control.stats()
    assert stats["requests"]["POST messaging.messages.create"] == 2
    emu.control.faults(seed=1, p500=1.0)
    with pytest.raises(ServerError):
        _basic(emu).send_message(app, "+19195550199", OWNED, "once")
    assert emu.control.stats()["requests"]["POST messaging.messages.create"] == 3
