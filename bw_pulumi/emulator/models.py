"""The emulator's plain data: one dataclass per Bandwidth object, the :class:`World` holding them,
ids, times and error texts.

No HTTP, no locking and no behaviour here (moto's ``models.py``): :mod:`.store` owns the lock and
the clock thread, the backends (:mod:`.dashboard_backend`, :mod:`.catapult_backend`) own the
operations, and the wire modules render these objects.
"""

from __future__ import annotations

import dataclasses
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# Order statuses (bandwidth-api.md 4.3). RECEIVED/PROCESSING are transient, the rest terminal.
RECEIVED = "RECEIVED"
PROCESSING = "PROCESSING"
COMPLETE = "COMPLETE"
PARTIAL = "PARTIAL"
FAILED = "FAILED"
#: Notified for import orders (API doc 8) and possibly shown by GET (4.3, unverified); what it
#: means is undocumented (12, 15). The emulator produces it only for scripted numbers.
EXCEPTION = "EXCEPTION"
TERMINAL = frozenset({COMPLETE, PARTIAL, FAILED, EXCEPTION})

# Order kinds, with the subscription OrderType each one notifies (API doc 2.1: the spellings are
# irregular on purpose) and the statuses Bandwidth notifies for it (API doc 8).
IMPORT = "import"
REMOVE = "remove"
EXTERNAL = "external"
ORDER_TYPE_OF_KIND = {
    IMPORT: "importtnorders",
    REMOVE: "removeImportedTnOrders",
    EXTERNAL: "externalTns",
}
NOTIFIED_STATUSES = {
    IMPORT: frozenset({COMPLETE, PARTIAL, FAILED, EXCEPTION}),
    REMOVE: frozenset({PROCESSING, COMPLETE, PARTIAL, FAILED}),
    EXTERNAL: frozenset({COMPLETE, PARTIAL, FAILED}),
}

#: Descriptions for the order/checker error codes we can script (API doc 1.5, ERR). Codes whose
#: exact wording no source gives get a descriptive text of ours; 19005/19006/5016/5158/7518/13552
#: are verbatim from captured payloads, 5149 from ERR.
ERROR_DESCRIPTIONS: dict[int, str] = {
    19001: "Telephone number is not in service.",
    19002: "Telephone number is not in the Bandwidth inventory and failed the NPAC check.",
    19003: "Telephone number belongs to a blacklisted losing account.",
    19004: "Telephone number belongs to an unmigrated losing account.",
    19005: "Messaging route of External Third Party TNs is not configured.",
    19006: "Bandwidth numbers cannot be imported by this account at this time.",
    19007: "Account is not contracted for external numbers.",
    19008: "Non-Bandwidth numbers cannot be imported by this account.",
    19009: "Telephone number has no messaging route.",
    19010: "Unable to provision the telephone number.",
    19012: "Account is not migrated to the new messaging platform.",
    5016: "The SiteId submitted is invalid.",
    5149: "The importTnOrder API is not enabled",
    5150: "The account is not allowed to access the importTnOrder API.",
    5158: "Telephone number hasn't been previously imported.",
    7518: "Telephone Number Not Active.",
    13552: "Telephone numbers already exist.",
}
DEFAULT_UNIMPORTABLE_CODE = 19005
STATE_VERSION = 1  # the state file's format; new keys only ever get defaults
DEFAULT_FAILING_CODE = 19005

_ALNUM = string.ascii_lowercase + string.digits


def describe(code: int) -> str:
    return ERROR_DESCRIPTIONS.get(code, f"Telephone number could not be processed (error {code}).")


def new_uuid() -> str:
    """Dashboard order and subscription ids are UUID strings (API doc 1.8)."""
    return str(uuid.uuid4())


def new_catapult_id(prefix: str) -> str:
    """``a-``/``n-``/``m-`` plus 23 lowercase alphanumerics (API doc 9, MOCK)."""
    return prefix + "-" + "".join(secrets.choice(_ALNUM) for _ in range(23))


def now() -> float:
    return time.time()


def iso_millis(epoch: float) -> str:
    """Dashboard timestamps: ISO-8601 UTC with milliseconds and ``Z`` (API doc 1.8)."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_seconds(epoch: float) -> str:
    """Catapult ``createdTime``/``time``: ISO-8601 UTC, seconds (API doc 11 fixture)."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Subscription:
    subscription_id: str
    order_type: str | None = None
    event_type: str | None = None
    order_id: str | None = None
    url: str | None = None
    expires_at: float | None = None
    username: str | None = None
    password: str | None = None
    public_key: str | None = None
    number_format: str | None = None
    email: str | None = None
    digest: str | None = None
    status: str = "READY"


@dataclass
class OrderError:
    code: int
    description: str
    telephone_numbers: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    at: float
    status: str
    note: str
    author: str


@dataclass
class Loa:
    file_name: str
    document_type: str
    content_type: str
    data_b64: str


@dataclass
class Order:
    """An importTnOrder, removeImportedTnOrder or legacy externalTns order (``kind``)."""

    order_id: str
    kind: str
    created: float
    last_modified: float
    created_by: str
    telephone_numbers: list[str]
    status: str
    customer_order_id: str | None = None
    site_id: str | None = None
    sip_peer_id: str | None = None
    subscriber_name: str | None = None
    service_address: dict[str, str] = field(default_factory=dict)
    loa_authorizing_person: str | None = None
    loa_type: str | None = None
    action: str | None = None
    errors: list[OrderError] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    #: Epoch times of the pending transitions, soonest first: ``[(at, status), ...]``; the last
    #: one is the terminal step, resolved when reached.
    pending: list[tuple[float, str]] = field(default_factory=list)
    loas: list[Loa] = field(default_factory=list)
    #: Reads per step when the order progresses after N reads (0: by the clock, see
    #: :mod:`.clock`), and the reads counted towards the next step.
    reads_per_step: int = 0
    reads: int = 0


@dataclass
class Application:
    application_id: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class PhoneNumber:
    number_id: str
    number: str
    created: float
    application_id: str | None = None
    name: str | None = None
    fallback_number: str | None = None


@dataclass
class Message:
    message_id: str
    from_number: str
    to_number: str
    text: str
    time: float
    direction: str
    state: str
    application_id: str | None = None


@dataclass(frozen=True)
class Accounts:
    """The one Dashboard account and the one Catapult user the emulator serves."""

    account_id: str = "9900000"
    username: str = "emulator-user"
    password: str = "emulator-password"
    user_id: str = "u-emulatoruser0000000000000"
    api_token: str = "t-emulatortoken00000000000"
    api_secret: str = "emulator-secret"


@dataclass(frozen=True)
class Notify:
    """One order notification to POST to one subscription (built into XML by delivery)."""

    subscription_id: str
    url: str
    username: str | None
    password: str | None
    order_type: str
    order_id: str
    customer_order_id: str | None
    status: str
    last_modified: float


@dataclass(frozen=True)
class InboundSms:
    """A Catapult v1 message event for an application's ``incomingMessageUrl``."""

    url: str
    method: str  # "GET" (query parameters) or "POST" (JSON body), from callbackHttpMethod
    event: dict[str, str]


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
    applications: dict[str, Application] = field(default_factory=dict)
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
            "applications": [to_dict(a) for a in self.applications.values()],
            "phone_numbers": [to_dict(n) for n in self.phone_numbers.values()],
            "messages": [to_dict(m) for m in self.messages.values()],
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
        for a in data.get("applications", []):
            world.applications[a["application_id"]] = Application(**a)
        for n in data.get("phone_numbers", []):
            world.phone_numbers[n["number_id"]] = PhoneNumber(**n)
        for m in data.get("messages", []):
            world.messages[m["message_id"]] = Message(**m)
        return world


def to_dict(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)


def order_from_dict(data: dict[str, Any]) -> Order:
    values = dict(data)
    values["errors"] = [OrderError(**e) for e in values.get("errors", [])]
    values["history"] = [HistoryEntry(**h) for h in values.get("history", [])]
    values["pending"] = [(float(at), str(status)) for at, status in values.get("pending", [])]
    values["loas"] = [Loa(**loa) for loa in values.get("loas", [])]
    return Order(**values)
