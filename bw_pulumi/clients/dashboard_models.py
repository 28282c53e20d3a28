"""Typed Dashboard request inputs and results (plain frozen dataclasses, no XML)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import ErrorDetail

__all__ = [
    "Address",
    "CheckerResult",
    "ExternalTnsOrder",
    "HistoryEntry",
    "ImportOrder",
    "ImportOrderRequest",
    "InServiceListing",
    "InServicePage",
    "OrderSummary",
    "RemoveOrder",
    "SubscriptionInfo",
    "SubscriptionSpec",
]

# -- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionSpec:
    """Everything a subscription POST/PUT sends (a PUT is a full replace, section 2.5)."""

    order_type: str
    callback_url: str
    expiry: int
    callback_user: str | None = None
    callback_password: str | None = field(default=None, repr=False)
    public_key: str | None = None
    order_id: str | None = None


@dataclass(frozen=True)
class Address:
    """A subscriber's service address as ``ImportTnOrder`` sends it."""

    house_number: str
    street_name: str
    city: str
    state_code: str
    zip: str
    county: str | None = None


@dataclass(frozen=True)
class ImportOrderRequest:
    """The body of ``POST /importTnOrders`` (numbers as 10 digits)."""

    telephone_numbers: Sequence[str]
    site_id: str
    subscriber_name: str
    service_address: Address
    loa_authorizing_person: str
    sip_peer_id: str | None = None
    customer_order_id: str | None = None
    loa_type: str | None = None


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionInfo:
    """A subscription as GET returns it; ``expiry_remaining`` counts down (section 2.4)."""

    subscription_id: str
    order_type: str | None
    order_id: str | None
    callback_url: str | None
    expiry_remaining: int | None
    callback_user: str | None
    status: str | None
    event_type: str | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class CheckerResult:
    """importTnChecker: importable numbers and the errors grouped by code with their numbers."""

    importable: tuple[str, ...]
    errors: tuple[ErrorDetail, ...]


def _named_numbers(details: Sequence[ErrorDetail]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for detail in details:
        for tn in detail.telephone_numbers:
            seen.setdefault(tn, None)
    return tuple(seen)


@dataclass(frozen=True)
class ImportOrder:
    """An import order; PARTIAL/FAILED orders list their errors in a 200 body (section 4.3)."""

    order_id: str
    customer_order_id: str | None
    status: str
    telephone_numbers: tuple[str, ...]
    errors: tuple[ErrorDetail, ...]
    site_id: str | None
    sip_peer_id: str | None
    last_modified: str | None
    created: str | None
    subscriber_name: str | None = None
    service_address: Address | None = None
    loa_authorizing_person: str | None = None
    loa_type: str | None = None

    @property
    def failed_numbers(self) -> tuple[str, ...]:
        """Numbers named in the order's errors."""
        return _named_numbers(self.errors)

    @property
    def succeeded_numbers(self) -> tuple[str, ...]:
        """Requested minus failed; nothing when the whole order FAILED."""
        if self.status == "FAILED":
            return ()
        failed = set(self.failed_numbers)
        return tuple(tn for tn in self.telephone_numbers if tn not in failed)


@dataclass(frozen=True)
class OrderSummary:
    """One row of an import/removal order list (lowercase-initial fields, section 4.2)."""

    order_id: str
    customer_order_id: str | None
    status: str
    count_of_tns: int | None
    last_modified: str | None
    order_date: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One history row; Bandwidth writes the status in either case, we upper-case it."""

    date: str | None
    status: str | None
    note: str | None
    author: str | None


@dataclass(frozen=True)
class RemoveOrder:
    """A removeImportedTnOrders order (5158 in ``errors`` means "was not imported")."""

    order_id: str
    customer_order_id: str | None
    status: str
    telephone_numbers: tuple[str, ...]
    errors: tuple[ErrorDetail, ...]
    last_modified: str | None

    @property
    def failed_numbers(self) -> tuple[str, ...]:
        return _named_numbers(self.errors)


@dataclass(frozen=True)
class ExternalTnsOrder:
    """A legacy externalTns order, flat (SPEC) or with a nested ``Order`` (2019 guide)."""

    order_id: str
    customer_order_id: str | None
    status: str
    action: str | None
    site_id: str | None
    sip_peer_id: str | None
    telephone_numbers: tuple[str, ...]
    errors: tuple[ErrorDetail, ...]
    last_modified: str | None

    @property
    def failed_numbers(self) -> tuple[str, ...]:
        return _named_numbers(self.errors)


@dataclass(frozen=True)
class InServicePage:
    """One ``GET /inserviceNumbers`` page: its numbers, ``TNs > TotalCount`` (all matches at the
    moment the page was made; ``None`` if absent) and the ``next`` link's text (section 6)."""

    numbers: tuple[str, ...]
    total_count: int | None
    next_link: str | None


@dataclass(frozen=True)
class InServiceListing:
    """The account's in-service numbers read page by page.

    ``consistent`` is true only when every page reported the same ``TotalCount`` and the
    distinct numbers collected equal it, so nothing moved while paging: only then may a number
    absent from ``numbers`` be taken as not in service. A listed number was in service as of
    its page either way. Unsure: a number put in service behind the cursor while a listed one
    leaves, between the same two pages, keeps both counts equal and goes unnoticed (the real
    cursor's form is unverified, bandwidth-api.md 1.7); a later read or round catches it.
    """

    numbers: frozenset[str]
    consistent: bool
    pages: int
