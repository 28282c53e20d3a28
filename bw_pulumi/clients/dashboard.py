"""Client for the Bandwidth Dashboard ("Iris") API: hosted-messaging endpoints, typed results.

Request bodies follow bandwidth-api.md element for element; responses are read by the
root-agnostic readers in :mod:`dashboard_xml`. Success is decided by HTTP status alone, so a
PARTIAL/FAILED order in a 200 body is data, not an exception (section 1.5).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from .. import _xml
from .._http import Transport, id_from_location
from ..errors import ConfigError, ErrorDetail, NotFound, ValidationError
from .dashboard_dialect import DASHBOARD, DashboardDialect
from .dashboard_models import (
    Address,
    CheckerResult,
    ExternalTnsOrder,
    HistoryEntry,
    ImportOrder,
    ImportOrderRequest,
    InServiceListing,
    InServicePage,
    OrderSummary,
    RemoveOrder,
    SubscriptionInfo,
    SubscriptionSpec,
)
from .dashboard_xml import (
    build_checker_payload,
    build_external_tns_order,
    build_import_order,
    build_remove_order,
    build_subscription,
    parse_checker_result,
    parse_external_tns_order,
    parse_history,
    parse_import_order,
    parse_in_service_page,
    parse_loa_file_names,
    parse_order_summaries,
    parse_remove_order,
    parse_subscription,
    parse_subscriptions,
    rebase_link,
)

if TYPE_CHECKING:
    import requests
    from lxml import etree

__all__ = [
    "CHECKER_MAX_TNS",
    "DEFAULT_IN_SERVICE_PAGE_SIZE",
    "XML_HEADERS",
    "Address",
    "CheckerResult",
    "DashboardClient",
    "ExternalTnsOrder",
    "HistoryEntry",
    "ImportOrder",
    "ImportOrderRequest",
    "InServiceListing",
    "OrderSummary",
    "RemoveOrder",
    "SubscriptionInfo",
    "SubscriptionSpec",
]

XML_HEADERS = {"Content-Type": "application/xml", "Accept": "application/xml"}
#: The most numbers one importTnChecker call accepts (API doc 3 and 14).
CHECKER_MAX_TNS = 5000
#: Sent explicitly: the SPEC default (300) and real links (500) disagree (section 1.7). 500 is
#: the largest size a real response is known to have served; the API's maximum is unknown
#: (``/tns`` refuses more than 2500, error 1006), so a larger size is a guess not yet taken.
DEFAULT_IN_SERVICE_PAGE_SIZE = 500


# -- the client -----------------------------------------------------------------------------


class DashboardClient:
    """Typed calls under ``{base_url}/accounts/{account_id}``.

    Numbers go in and come out in ten digits whatever the platform: ``dialect`` spells them
    for the wire (E.164 on the Universal Platform) and names the collections it serves.
    """

    def __init__(
        self,
        base_url: str,
        account_id: str,
        username: str,
        password: str,
        *,
        transport: Transport | None = None,
        dialect: DashboardDialect = DASHBOARD,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_id = account_id
        self.dialect = dialect
        self.transport = transport or Transport(self.base_url, (username, password), dialect)

    def __repr__(self) -> str:
        return (
            f"DashboardClient({self.base_url!r}, account_id={self.account_id!r}, "
            f"dialect={self.dialect.platform!r})"
        )

    def _path(self, *segments: str) -> str:
        tail = "/".join(quote(s, safe="") for s in segments)
        return f"/accounts/{quote(self.account_id, safe='')}/{tail}"

    def _orders(self, collection: str, *segments: str) -> str:
        """A path under an order collection, wherever the platform serves it."""
        if not self.dialect.serves(collection):
            raise ConfigError(
                f"the Universal Platform (bandwidth:dashboardDialect universal) no longer "
                f"serves {collection}: import numbers with ImportTnOrder instead"
            )
        return self._path(*self.dialect.collection(collection), *segments)

    def _read(self, response: requests.Response) -> etree._Element:
        return self.dialect.read(_xml.parse(response.content))

    def _get_xml(self, path: str, params: dict[str, object] | None = None) -> etree._Element:
        return self._read(self.transport.request("GET", path, params=params))

    def _post_xml(self, path: str, body: bytes, *, idempotent: bool = False) -> _Posted:
        response = self.transport.request(
            "POST",
            path,
            data=self.dialect.body_sent(body),
            headers=XML_HEADERS,
            idempotent=idempotent,
        )
        root = self._read(response) if response.content.strip() else None
        return _Posted(root, response)

    # -- subscriptions (section 2) ---------------------------------------------------------

    def create_subscription(self, spec: SubscriptionSpec) -> str:
        """POST; the new id comes only from ``Location`` (201, no body)."""
        try:
            response = self.transport.request(
                "POST",
                self._path("subscriptions"),
                data=build_subscription(spec),
                headers=XML_HEADERS,
            )
        except NotFound as exc:
            # The documented quirk (API doc 2.2): a POST that fails validation answers 404.
            raise ValidationError(
                exc.message,
                status=exc.status,
                method=exc.method,
                path=exc.path,
                details=exc.details,
            ) from None
        return id_from_location(response)

    def get_subscription(self, subscription_id: str) -> SubscriptionInfo:
        return parse_subscription(self._get_xml(self._path("subscriptions", subscription_id)))

    def list_subscriptions(
        self, order_type: str | None = None, order_id: str | None = None
    ) -> list[SubscriptionInfo]:
        params = {k: v for k, v in (("orderType", order_type), ("orderId", order_id)) if v}
        try:
            response = self.transport.request("GET", self._path("subscriptions"), params=params)
        except NotFound:
            if params:  # 16001/16002 "Subscriptions ... not found": a filter matched nothing
                return []
            raise
        if response.status_code == 204 or not response.content.strip():
            return []
        return parse_subscriptions(_xml.parse(response.content))

    def update_subscription(self, subscription_id: str, spec: SubscriptionSpec) -> None:
        """PUT is a full replace: every field, the password included, is resent (section 2.5)."""
        self.transport.request(
            "PUT",
            self._path("subscriptions", subscription_id),
            data=build_subscription(spec),
            headers=XML_HEADERS,
        )

    def delete_subscription(self, subscription_id: str) -> None:
        self.transport.request("DELETE", self._path("subscriptions", subscription_id))

    # -- importTnChecker (section 3) -------------------------------------------------------

    def check_importability(
        self, tns: Sequence[str], site_id: str | None = None, sip_peer_id: str | None = None
    ) -> CheckerResult:
        """Check in batches of :data:`CHECKER_MAX_TNS`, the most one call accepts (API doc 3)."""
        importable: list[str] = []
        errors: list[ErrorDetail] = []
        for start in range(0, len(tns), CHECKER_MAX_TNS):
            batch = tns[start : start + CHECKER_MAX_TNS]
            # A check changes nothing, so it may be retried like a GET.
            posted = self._post_xml(
                self._path("importTnChecker"),
                build_checker_payload(batch, site_id, sip_peer_id),
                idempotent=True,
            )
            if posted.root is None:
                importable.extend(batch)
                continue
            result = parse_checker_result(posted.root)
            importable.extend(result.importable)
            errors.extend(result.errors)
        return CheckerResult(importable=tuple(importable), errors=tuple(errors))

    # -- importTnOrders (section 4) --------------------------------------------------------

    def create_import_order(self, req: ImportOrderRequest) -> ImportOrder:
        posted = self._post_xml(self._orders("importTnOrders"), build_import_order(req))
        if posted.root is not None and _xml.find(posted.root, "ImportTnOrder") is not None:
            return parse_import_order(posted.root)
        return self.get_import_order(id_from_location(posted.response))

    def get_import_order(self, order_id: str) -> ImportOrder:
        return parse_import_order(self._get_xml(self._orders("importTnOrders", order_id)))

    def list_import_orders(
        self,
        customer_order_id: str | None = None,
        tn: str | None = None,
        status: str | Sequence[str] | None = None,
    ) -> list[OrderSummary]:
        return self._list_orders(
            "importTnOrders", "ImportTnOrderSummary", customer_order_id, tn, status
        )

    def import_order_history(self, order_id: str) -> list[HistoryEntry]:
        return parse_history(self._get_xml(self._orders("importTnOrders", order_id, "history")))

    def upload_loa(
        self,
        order_id: str,
        data: bytes,
        content_type: str = "application/pdf",
        document_type: str = "LOA",
    ) -> str:
        """POST the raw file; returns the file name Bandwidth gave it (section 4.5)."""
        response = self.transport.request(
            "POST",
            self._orders("importTnOrders", order_id, "loas"),
            params={"documentType": document_type},
            data=data,
            headers={"Content-Type": content_type, "Accept": "application/xml"},
        )
        if response.content.strip():
            root = _xml.parse(response.content)
            # Examples say ``filename``, the SPEC schema ``fileName``: accept both.
            name = _xml.find_text(root, "filename") or _xml.find_text(root, "fileName")
            if name:
                return name
        return id_from_location(response)

    def list_loas(self, order_id: str) -> list[str]:
        return parse_loa_file_names(self._get_xml(self._orders("importTnOrders", order_id, "loas")))

    # -- removeImportedTnOrders (section 5) ------------------------------------------------

    def create_remove_order(
        self, tns: Sequence[str], customer_order_id: str | None = None
    ) -> RemoveOrder:
        posted = self._post_xml(
            self._orders("removeImportedTnOrders"), build_remove_order(tns, customer_order_id)
        )
        if posted.root is not None and _xml.find(posted.root, "RemoveImportedTnOrder") is not None:
            return parse_remove_order(posted.root)
        return self.get_remove_order(id_from_location(posted.response))

    def get_remove_order(self, order_id: str) -> RemoveOrder:
        return parse_remove_order(self._get_xml(self._orders("removeImportedTnOrders", order_id)))

    def list_remove_orders(
        self,
        customer_order_id: str | None = None,
        tn: str | None = None,
        status: str | Sequence[str] | None = None,
    ) -> list[OrderSummary]:
        return self._list_orders(
            "removeImportedTnOrders", "RemoveImportedTnOrderSummary", customer_order_id, tn, status
        )

    def _list_orders(
        self,
        collection: str,
        summary_tag: str,
        customer_order_id: str | None,
        tn: str | None,
        status: str | Sequence[str] | None,
    ) -> list[OrderSummary]:
        params: dict[str, object] = {}
        if customer_order_id:
            params["customerOrderId"] = customer_order_id
        if tn:
            params["tn"] = self.dialect.number_sent(tn)
        if status:
            params["status"] = [status] if isinstance(status, str) else list(status)
        try:
            response = self.transport.request("GET", self._orders(collection), params=params)
        except NotFound:
            # Unverified (API doc 4.2, 15): how an order list that matches nothing answers. The
            # sibling externalTns list answers 404, so a filtered 404 is read as "no orders".
            if params:
                return []
            raise
        if response.status_code == 204 or not response.content.strip():
            return []
        return parse_order_summaries(self._read(response), summary_tag)

    # -- inserviceNumbers (section 6) ------------------------------------------------------

    def is_in_service(self, tn: str) -> bool:
        """O(1) per number: 200 (no body) means in service, 404 means not."""
        response = self.transport.request(
            "GET", self._path("inserviceNumbers", self.dialect.number_sent(tn)), ok=(200, 204, 404)
        )
        return response.status_code != 404

    def iter_in_service(
        self, page_size: int = DEFAULT_IN_SERVICE_PAGE_SIZE, **filters: object
    ) -> Iterator[str]:
        """Every in-service number, following ``Links > next``; 204 means no match."""
        for page in self._in_service_pages(page_size, filters):
            yield from page.numbers

    def in_service_listing(
        self, page_size: int = DEFAULT_IN_SERVICE_PAGE_SIZE, max_pages: int | None = None
    ) -> InServiceListing:
        """The whole account's in-service numbers, and whether absence from them can be trusted.

        The list may change between page requests (numbers imported or removed meanwhile), so
        the listing is ``consistent`` only if every page reported the same ``TotalCount`` and the
        distinct numbers equal it. Stopping after ``max_pages`` leaves it inconsistent.
        """
        found: set[str] = set()
        totals: set[int | None] = set()
        pages = 0
        for pages, page in enumerate(self._in_service_pages(page_size, {}), start=1):
            found.update(page.numbers)
            totals.add(page.total_count)
            if max_pages is not None and pages >= max_pages and page.next_link:
                return InServiceListing(frozenset(found), False, pages)
        if pages == 0:  # 204 on the first page: nothing in service as of that request
            return InServiceListing(frozenset(), True, 0)
        consistent = len(totals) == 1 and totals == {len(found)}
        return InServiceListing(frozenset(found), consistent, pages)

    def _in_service_pages(
        self, page_size: int, filters: dict[str, object]
    ) -> Iterator[InServicePage]:
        path: str | None = self._path("inserviceNumbers")
        params: dict[str, object] | None = {"page": 1, "size": page_size, **filters}
        seen: set[str] = set()
        while path is not None and path not in seen:
            seen.add(path)  # a server repeating its own link must not loop us forever
            response = self.transport.request("GET", path, params=params)
            if response.status_code == 204 or not response.content.strip():
                return
            page = parse_in_service_page(self._read(response))
            yield page
            path = rebase_link(page.next_link, self.base_url)
            params = None  # the next link carries its own query (page is an opaque cursor)

    def in_service_total(self) -> int:
        root = self._get_xml(self._path("inserviceNumbers", "totals"))
        return int(_xml.find_text(root, "Count") or 0)

    # -- legacy externalTns (section 7) ----------------------------------------------------

    def create_external_tns_order(
        self,
        tns: Sequence[str],
        site_id: str,
        action: str,
        sip_peer_id: str | None = None,
        customer_order_id: str | None = None,
    ) -> ExternalTnsOrder:
        body = build_external_tns_order(tns, site_id, action, sip_peer_id, customer_order_id)
        posted = self._post_xml(self._orders("externalTns"), body)
        if posted.root is not None and _xml.find_text(posted.root, "OrderId"):
            return parse_external_tns_order(posted.root)
        return self.get_external_tns_order(id_from_location(posted.response))

    def get_external_tns_order(self, order_id: str) -> ExternalTnsOrder:
        return parse_external_tns_order(self._get_xml(self._orders("externalTns", order_id)))


@dataclass(frozen=True)
class _Posted:
    """A POST's parsed body (``None`` when empty) and the raw response (for ``Location``)."""

    root: etree._Element | None
    response: requests.Response
