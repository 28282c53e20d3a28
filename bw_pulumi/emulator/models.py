"""The :class:`World` holding every API's objects (each API's ``models`` module defines its own
dataclasses) and the :class:`Accounts` the emulator serves.

No HTTP, no locking and no behaviour here (moto's ``models.py``): :mod:`.store` owns the lock and
the clock thread, each API's backend owns its operations, and its wire modules render these
objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bw_pulumi.emulator.catapult.models import Application, Message, PhoneNumber
from bw_pulumi.emulator.common import to_dict
from bw_pulumi.emulator.dashboard.models import Notify, Order, Subscription, order_from_dict
from bw_pulumi.emulator.messaging.models import MessageV2
from bw_pulumi.emulator.provisioning import DEFAULT_SITE_ID, DashboardApplication, SipPeer, Site

STATE_VERSION = 1  # the state file's format; new keys only ever get defaults


@dataclass(frozen=True)
class Accounts:
    """The one Dashboard account, its API user and OAuth2 client, and the one Catapult user
    the emulator serves."""

    account_id: str = "9900000"
    username: str = "emulator-user"
    password: str = "emulator-password"
    user_id: str = "u-emulatoruser0000000000000"
    api_token: str = "t-emulatortoken00000000000"
    api_secret: str = "emulator-secret"
    #: The OAuth2 client (bandwidth-api.md 1.2) whose bearer tokens the Dashboard and
    #: Messaging APIs accept besides the API user's Basic credentials.
    client_id: str = "emulator-client-id"
    client_secret: str = "emulator-client-secret"


def _default_sites() -> dict[str, Site]:
    return {DEFAULT_SITE_ID: Site(DEFAULT_SITE_ID, "Default site")}


@dataclass
class World:
    """Every object the emulator holds, and the numbers scripted through the control API."""

    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    in_service: dict[str, float] = field(default_factory=dict)
    #: The SiteId of the order that put a number in service (none for control-API numbers).
    in_service_sites: dict[str, str] = field(default_factory=dict)
    unimportable: dict[str, int] = field(default_factory=dict)
    failing: dict[str, int] = field(default_factory=dict)
    #: Numbers whose import orders end EXCEPTION (see ``orders._resolve``).
    exception: set[str] = field(default_factory=set)
    #: The SIP peer (Location) a number was imported into: its messaging application is the
    #: one the Messaging API sends and delivers for (v2 doc 3 "Numbers").
    in_service_peers: dict[str, str] = field(default_factory=dict)
    dashboard_applications: dict[str, DashboardApplication] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=_default_sites)
    sip_peers: dict[str, SipPeer] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    #: Messaging API v2 messages, sent and received.
    messages_v2: dict[str, MessageV2] = field(default_factory=dict)
    #: E.164 numbers a v2 message cannot reach: their ``message-failed`` errorCode.
    undeliverable: dict[str, int] = field(default_factory=dict)
    phone_numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    #: Notifications waiting for the delivery thread (never persisted).
    outbox: list[Notify] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "subscriptions": [to_dict(s) for s in self.subscriptions.values()],
            "orders": [to_dict(o) for o in self.orders.values()],
            "in_service": dict(self.in_service),
            "in_service_sites": dict(self.in_service_sites),
            "unimportable": dict(self.unimportable),
            "failing": dict(self.failing),
            "exception": sorted(self.exception),
            "in_service_peers": dict(self.in_service_peers),
            "dashboard_applications": [to_dict(a) for a in self.dashboard_applications.values()],
            "sites": [to_dict(s) for s in self.sites.values()],
            "sip_peers": [to_dict(p) for p in self.sip_peers.values()],
            "applications": [to_dict(a) for a in self.applications.values()],
            "phone_numbers": [to_dict(n) for n in self.phone_numbers.values()],
            "messages": [to_dict(m) for m in self.messages.values()],
            "messages_v2": [to_dict(m) for m in self.messages_v2.values()],
            "undeliverable": dict(self.undeliverable),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> World:
        """Load a saved world; keys added since a file was written take their defaults."""
        world = cls()
        for s in data.get("subscriptions", []):
            world.subscriptions[s["subscription_id"]] = Subscription(**s)
        for o in data.get("orders", []):
            world.orders[o["order_id"]] = order_from_dict(o)
        world.in_service = {str(k): float(v) for k, v in data.get("in_service", {}).items()}
        world.in_service_sites = {
            str(k): str(v) for k, v in data.get("in_service_sites", {}).items()
        }
        world.unimportable = {str(k): int(v) for k, v in data.get("unimportable", {}).items()}
        world.failing = {str(k): int(v) for k, v in data.get("failing", {}).items()}
        world.exception = {str(tn) for tn in data.get("exception", [])}
        world.in_service_peers = {
            str(k): str(v) for k, v in data.get("in_service_peers", {}).items()
        }
        for d in data.get("dashboard_applications", []):
            world.dashboard_applications[d["application_id"]] = DashboardApplication(**d)
        if "sites" in data:
            world.sites = {s["site_id"]: Site(**s) for s in data["sites"]}
        for p in data.get("sip_peers", []):
            world.sip_peers[p["peer_id"]] = SipPeer(**p)
        for a in data.get("applications", []):
            world.applications[a["application_id"]] = Application(**a)
        for n in data.get("phone_numbers", []):
            world.phone_numbers[n["number_id"]] = PhoneNumber(**n)
        for m in data.get("messages", []):
            world.messages[m["message_id"]] = Message(**m)
        for m in data.get("messages_v2", []):
            world.messages_v2[m["message_id"]] = MessageV2(**m)
        world.undeliverable = {str(k): int(v) for k, v in data.get("undeliverable", {}).items()}
        return world
