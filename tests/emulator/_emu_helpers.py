"""Helpers shared by the emulator tests (a top-level module: tests/emulator has no __init__)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from lxml import etree

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bandwidth"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_xml(name: str) -> etree._Element:
    return _xml.parse(fixture_text(name))


def tag_paths(root: etree._Element) -> set[str]:
    """Every element path (``A/B/C``) in a document: how a parser sees its shape."""
    paths: set[str] = set()

    def walk(node: etree._Element, prefix: str) -> None:
        here = f"{prefix}/{node.tag}" if prefix else str(node.tag)
        paths.add(here)
        for child in node:
            if isinstance(child.tag, str):
                walk(child, here)

    walk(root, "")
    return paths


def wait_for(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll ``condition`` until truthy or fail after ``timeout`` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


class Api:
    """Thin raw-HTTP helper bound to one emulator (requests, no bw_pulumi client)."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.dash_auth = (emu.username, emu.password)
        self.cat_auth = (emu.api_token, emu.api_secret)
        self.dash = f"{emu.dashboard_url}/accounts/{emu.account_id}"
        self.cat = f"{emu.catapult_url}/v1/users/{emu.user_id}"

    def d(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("auth", self.dash_auth)
        if isinstance(kw.get("data"), str):
            kw.setdefault("headers", {"Content-Type": "application/xml"})
        return requests.request(method, self.dash + path, timeout=10, **kw)

    def c(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("auth", self.cat_auth)
        return requests.request(method, self.cat + path, timeout=10, **kw)


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A tiny callback endpoint; ``mode`` picks how it answers unauthenticated requests."""

    url: str
    requests: list[Received] = field(default_factory=list)
    mode: str = "open"  # "open" | "challenge" | "bare401"
    credentials: tuple[str, str] = ("hook-user", "hook-pass")


# -- request bodies and small flows shared by the test modules --


def import_body(*tns: str, customer_order_id: str | None = "cust-1", sip_peer: bool = True) -> str:
    coid = f"<CustomerOrderId>{customer_order_id}</CustomerOrderId>" if customer_order_id else ""
    peer = "<SipPeerId>303716</SipPeerId>" if sip_peer else ""
    numbers = "".join(f"<TelephoneNumber>{tn}</TelephoneNumber>" for tn in tns)
    return (
        f"<ImportTnOrder>{coid}<SiteId>743</SiteId>{peer}<Subscriber><Name>ABC Inc.</Name>"
        "<ServiceAddress><HouseNumber>11235</HouseNumber><StreetName>Back</StreetName>"
        "<City>Denver</City><StateCode>CO</StateCode><Zip>27541</Zip><County>Canyon</County>"
        "</ServiceAddress></Subscriber><LoaAuthorizingPerson>The Authguy</LoaAuthorizingPerson>"
        f"<TelephoneNumbers>{numbers}</TelephoneNumbers></ImportTnOrder>"
    )


def remove_body(*tns: str) -> str:
    numbers = "".join(f"<TelephoneNumber>{tn}</TelephoneNumber>" for tn in tns)
    return checker_or_removal("RemoveImportedTnOrder", numbers)


def checker_or_removal(root: str, numbers: str) -> str:
    return f"<{root}><TelephoneNumbers>{numbers}</TelephoneNumbers></{root}>"


def post_order(api: Api, collection: str, body: str) -> str:
    response = api.d("POST", f"/{collection}", data=body)
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def subscription_body(url: str = "http://127.0.0.1:9/hook", **extra: str) -> str:
    order_type = extra.get("order_type", "importtnorders")
    order_id = f"<OrderId>{extra['order_id']}</OrderId>" if "order_id" in extra else ""
    expiry = extra.get("expiry", "3600")
    return (
        f"<Subscription><OrderType>{order_type}</OrderType>{order_id}<CallbackSubscription>"
        f"<URL>{url}</URL><Expiry>{expiry}</Expiry><CallbackCredentials><BasicAuthentication>"
        "<Username>hook-user</Username><Password>hook-pass</Password></BasicAuthentication>"
        "</CallbackCredentials></CallbackSubscription></Subscription>"
    )


def create(api: Api, body: str) -> str:
    response = api.d("POST", "/subscriptions", data=body)
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


# -- the current platform: applications, Locations (bandwidth-api-v2.md 2-3) --

SMS_ON = (
    "<SipPeerSmsFeature><SipPeerSmsFeatureSettings><TollFree>true</TollFree>"
    "<ShortCode>false</ShortCode><Protocol>HTTP</Protocol><Zone1>true</Zone1><Zone2>true</Zone2>"
    "</SipPeerSmsFeatureSettings><HttpSettings/></SipPeerSmsFeature>"
)
MMS_ON = (
    "<MmsFeature><MmsSettings><Protocol>HTTP</Protocol></MmsSettings>"
    "<Protocols><HTTP><HttpSettings/></HTTP></Protocols></MmsFeature>"
)


def app_body(
    inbound: str | None = "https://example.com/in",
    *,
    name: str = "EBVICs",
    service_type: str = "Messaging-V2",
    extra: str = "",
) -> str:
    url = f"<InboundCallbackUrl>{inbound}</InboundCallbackUrl>" if inbound else ""
    return (
        f"<Application><ServiceType>{service_type}</ServiceType><AppName>{name}</AppName>"
        f"{url}{extra}</Application>"
    )


def create_app(api: Api, body: str | None = None) -> str:
    response = api.d("POST", "/applications", data=body or app_body())
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def create_peer(api: Api, site: str = "14", name: str = "Loc") -> str:
    body = f"<SipPeer><PeerName>{name}</PeerName><IsDefaultPeer>false</IsDefaultPeer></SipPeer>"
    response = api.d("POST", f"/sites/{site}/sippeers", data=body)
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def messaging_location(api: Api, app_id: str, site: str = "14") -> str:
    """A Location with SMS over HTTP and ``app_id`` assigned; returns its SIP peer id."""
    peer = create_peer(api, site)
    base = f"/sites/{site}/sippeers/{peer}/products/messaging"
    assert api.d("POST", f"{base}/features/sms", data=SMS_ON).status_code == 201
    settings = (
        f"<ApplicationsSettings><HttpMessagingV2AppId>{app_id}</HttpMessagingV2AppId>"
        "</ApplicationsSettings>"
    )
    assert api.d("PUT", f"{base}/applicationSettings", data=settings).status_code == 200
    return peer


def import_into(api: Api, peer: str, tn: str, site: str = "14") -> None:
    """Import ``tn`` into the Location ``peer`` and wait until it is in service there."""
    body = import_body(tn, sip_peer=False).replace(
        "<SiteId>743</SiteId>", f"<SiteId>{site}</SiteId><SipPeerId>{peer}</SipPeerId>"
    )
    post_order(api, "importTnOrders", body)
    wait_for(lambda: api.emu.control.state()["in_service_peers"].get(tn) == peer)
