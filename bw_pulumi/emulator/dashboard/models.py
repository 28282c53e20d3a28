"""Dashboard (Iris) objects as plain data: subscriptions, orders and their parts, statuses,
kinds and the order/checker error texts (no HTTP, no locking: moto's ``models.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
DEFAULT_FAILING_CODE = 19005


def describe(code: int) -> str:
    return ERROR_DESCRIPTIONS.get(code, f"Telephone number could not be processed (error {code}).")


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


def order_from_dict(data: dict[str, Any]) -> Order:
    values = dict(data)
    values["errors"] = [OrderError(**e) for e in values.get("errors", [])]
    values["history"] = [HistoryEntry(**h) for h in values.get("history", [])]
    values["pending"] = [(float(at), str(status)) for at, status in values.get("pending", [])]
    values["loas"] = [Loa(**loa) for loa in values.get("loas", [])]
    return Order(**values)
