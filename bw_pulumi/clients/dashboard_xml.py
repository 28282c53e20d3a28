"""Dashboard wire format: request bodies and root-agnostic response readers.

Bodies follow bandwidth-api.md element for element. Readers search descendants by exact
element name and tolerate missing optional elements, because roots and element order vary
across real payloads (sections 1.3, 13).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import _xml
from ..errors import ErrorDetail
from .dashboard_models import (
    Address,
    CheckerResult,
    ExternalTnsOrder,
    HistoryEntry,
    ImportOrder,
    ImportOrderRequest,
    InServicePage,
    OrderSummary,
    RemoveOrder,
    SubscriptionInfo,
    SubscriptionSpec,
)

__all__ = [
    "build_checker_payload",
    "build_external_tns_order",
    "build_import_order",
    "build_remove_order",
    "build_subscription",
    "parse_checker_result",
    "parse_external_tns_order",
    "parse_history",
    "parse_import_order",
    "parse_in_service_page",
    "parse_loa_file_names",
    "parse_order_summaries",
    "parse_remove_order",
    "parse_subscription",
    "parse_subscriptions",
    "rebase_link",
]

if TYPE_CHECKING:
    from lxml import etree

    Element = etree._Element


# -- request bodies (bandwidth-api.md sections 2.1, 3, 4.1, 5, 7) ----------------------------


def build_subscription(spec: SubscriptionSpec) -> bytes:
    """``Subscription``; PublicKey sits inside CallbackCredentials as in the guide's request."""
    credentials = None
    if spec.callback_user is not None or spec.public_key is not None:
        basic = None
        if spec.callback_user is not None:
            basic = _xml.element(
                "BasicAuthentication",
                ("Username", spec.callback_user),
                ("Password", spec.callback_password),
            )
        credentials = _xml.element("CallbackCredentials", basic, ("PublicKey", spec.public_key))
    callback = _xml.element(
        "CallbackSubscription", ("URL", spec.callback_url), ("Expiry", spec.expiry), credentials
    )
    return _xml.to_bytes(
        _xml.element(
            "Subscription", ("OrderType", spec.order_type), ("OrderId", spec.order_id), callback
        )
    )


def _numbers_element(tns: Iterable[str]) -> etree._Element:
    return _xml.element("TelephoneNumbers", *_xml.repeated("TelephoneNumber", tns))


def build_checker_payload(
    tns: Sequence[str], site_id: str | None = None, sip_peer_id: str | None = None
) -> bytes:
    return _xml.to_bytes(
        _xml.element(
            "ImportTnCheckerPayload",
            _numbers_element(tns),
            ("SiteId", site_id),
            ("SipPeerId", sip_peer_id),
        )
    )


def build_import_order(req: ImportOrderRequest) -> bytes:
    addr: Address = req.service_address
    address = _xml.element(
        "ServiceAddress",
        ("HouseNumber", addr.house_number),
        ("StreetName", addr.street_name),
        ("City", addr.city),
        ("StateCode", addr.state_code),
        ("Zip", addr.zip),
        ("County", addr.county),
    )
    return _xml.to_bytes(
        _xml.element(
            "ImportTnOrder",
            ("CustomerOrderId", req.customer_order_id),
            ("SiteId", req.site_id),
            ("SipPeerId", req.sip_peer_id),
            _xml.element("Subscriber", ("Name", req.subscriber_name), address),
            ("LoaAuthorizingPerson", req.loa_authorizing_person),
            ("LoaType", req.loa_type),
            _numbers_element(req.telephone_numbers),
        )
    )


def build_remove_order(tns: Sequence[str], customer_order_id: str | None = None) -> bytes:
    return _xml.to_bytes(
        _xml.element(
            "RemoveImportedTnOrder", ("CustomerOrderId", customer_order_id), _numbers_element(tns)
        )
    )


def build_external_tns_order(
    tns: Sequence[str],
    site_id: str,
    action: str,
    sip_peer_id: str | None = None,
    customer_order_id: str | None = None,
) -> bytes:
    return _xml.to_bytes(
        _xml.element(
            "ExternalTnsOrder",
            ("CustomerOrderId", customer_order_id),
            ("SiteId", site_id),
            ("SipPeerId", sip_peer_id),
            ("Action", action.upper()),
            _numbers_element(tns),
        )
    )


def rebase_link(link_text: str | None, base_url: str, marker: str = "/accounts/") -> str | None:
    """``Link=<https://dashboard.bandwidth.com:443/v1.0/accounts/..>;rel="next";`` -> a path
    relative to ``base_url``: server links name production's host and ``/v1.0`` (section 1.7)."""
    if not link_text or "<" not in link_text or ">" not in link_text:
        return None  # absent, empty or placeholder ("( a link goes here )"): last page
    url = link_text[link_text.index("<") + 1 : link_text.index(">")]
    parts = urlsplit(url)
    index = parts.path.find(marker)
    if index < 0:
        return None
    base_path = urlsplit(base_url).path.rstrip("/")
    path = parts.path[index:]
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path) :]
    return f"{path}?{parts.query}" if parts.query else path


# -- readers ------------------------------------------------------------------------------


def parse_in_service_page(root: etree._Element) -> InServicePage:
    """``TNs > TotalCount, Links > next?, TelephoneNumbers > TelephoneNumber*`` (section 6)."""
    numbers = _xml.texts(_xml.find(root, "TelephoneNumbers"), "TelephoneNumber")
    total = _int(_xml.child_text(root, "TotalCount"))
    return InServicePage(tuple(numbers), total, _xml.child_text(_xml.find(root, "Links"), "next"))


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _upper(text: str | None) -> str | None:
    return text.upper() if text else None


def _numbers(parent: Element | None) -> tuple[str, ...]:
    """``TelephoneNumbers > TelephoneNumber*`` directly under ``parent`` (not inside Errors)."""
    return tuple(_xml.texts(_xml.first_child(parent, "TelephoneNumbers"), "TelephoneNumber"))


def _order_errors(order: Element) -> tuple[ErrorDetail, ...]:
    """``Errors > Error* > Code, Description, TelephoneNumbers`` and the flat ``Errors > Code``."""
    details: list[ErrorDetail] = []
    for errors in _xml.children_named(order, "Errors"):
        items = _xml.children_named(errors, "Error") or [errors]
        for item in items:
            description = _xml.child_text(item, "Description")
            code = _xml.child_text(item, "Code")
            if description or code:
                details.append(ErrorDetail(code, description or "", _numbers(item)))
    return tuple(details)


def parse_subscription(node: Element) -> SubscriptionInfo:
    """One ``Subscription`` element (or any document holding one)."""
    sub = _xml.require(_xml.find(node, "Subscription"), "Subscription")
    callback = _xml.first_child(sub, "CallbackSubscription")
    return SubscriptionInfo(
        subscription_id=_xml.child_text(sub, "SubscriptionId") or "",
        order_type=_xml.child_text(sub, "OrderType"),
        order_id=_xml.child_text(sub, "OrderId"),
        callback_url=_xml.child_text(callback, "URL"),
        expiry_remaining=_int(_xml.child_text(callback, "Expiry")),
        callback_user=_xml.find_text(_xml.first_child(callback, "CallbackCredentials"), "Username"),
        status=_xml.child_text(callback, "Status"),
        event_type=_xml.child_text(sub, "EventType"),
        number_format=_xml.child_text(callback, "NumberFormat"),
    )


def parse_subscriptions(root: Element) -> list[SubscriptionInfo]:
    """Every ``Subscription`` in a list; a missing ``Subscriptions`` element is an empty list."""
    return [parse_subscription(sub) for sub in _xml.find_all(root, "Subscription")]


def parse_checker_result(root: Element) -> CheckerResult:
    payload = _xml.find(root, "ImportTnCheckerPayload")
    errors = tuple(
        ErrorDetail(
            _xml.child_text(item, "Code"),
            _xml.child_text(item, "Description") or "",
            _numbers(item),
        )
        for item in _xml.find_all(root, "ImportTnError")
    )
    return CheckerResult(importable=_numbers(payload), errors=errors)


def _address(node: Element | None) -> Address | None:
    if node is None:
        return None
    return Address(
        house_number=_xml.child_text(node, "HouseNumber") or "",
        street_name=_xml.child_text(node, "StreetName") or "",
        city=_xml.child_text(node, "City") or "",
        state_code=_xml.child_text(node, "StateCode") or "",
        zip=_xml.child_text(node, "Zip") or "",
        county=_xml.child_text(node, "County"),
    )


def parse_import_order(root: Element) -> ImportOrder:
    """An ``ImportTnOrder`` under any root (create wraps it, GET returns it bare)."""
    order = _xml.require(_xml.find(root, "ImportTnOrder"), "ImportTnOrder")
    subscriber = _xml.first_child(order, "Subscriber")
    return ImportOrder(
        order_id=_xml.child_text(order, "OrderId") or "",
        customer_order_id=_xml.child_text(order, "CustomerOrderId"),
        status=_upper(_xml.child_text(order, "ProcessingStatus")) or "",
        telephone_numbers=_numbers(order),
        errors=_order_errors(order),
        site_id=_xml.child_text(order, "SiteId"),
        sip_peer_id=_xml.child_text(order, "SipPeerId"),
        last_modified=_xml.child_text(order, "LastModifiedDate"),
        created=_xml.child_text(order, "OrderCreateDate"),
        subscriber_name=_xml.child_text(subscriber, "Name"),
        service_address=_address(_xml.first_child(subscriber, "ServiceAddress")),
        loa_authorizing_person=_xml.child_text(order, "LoaAuthorizingPerson"),
        loa_type=_xml.child_text(order, "LoaType"),
    )


def parse_remove_order(root: Element) -> RemoveOrder:
    """A ``RemoveImportedTnOrder`` under the plural, singular or no wrapper (section 5)."""
    order = _xml.require(_xml.find(root, "RemoveImportedTnOrder"), "RemoveImportedTnOrder")
    return RemoveOrder(
        order_id=_xml.child_text(order, "OrderId") or "",
        customer_order_id=_xml.child_text(order, "CustomerOrderId"),
        status=_upper(_xml.child_text(order, "ProcessingStatus")) or "",
        telephone_numbers=_numbers(order),
        errors=_order_errors(order),
        last_modified=_xml.child_text(order, "LastModifiedDate"),
    )


def parse_order_summaries(root: Element, summary_tag: str) -> list[OrderSummary]:
    """``ImportTnOrderSummary``/``RemoveImportedTnOrderSummary`` rows; captured names win over
    the SPEC schema's (``OrderStatus``, ``CountOfTNs``, ``lastModifiedDate``; section 4.2)."""
    rows = []
    for row in _xml.find_all(root, summary_tag):

        def text(*names: str, row: Element = row) -> str | None:
            for name in names:
                value = _xml.child_text(row, name)
                if value is not None:
                    return value
            return None

        rows.append(
            OrderSummary(
                order_id=text("OrderId") or "",
                customer_order_id=text("CustomerOrderId"),
                status=_upper(text("OrderStatus", "ProcessingStatus")) or "",
                count_of_tns=_int(text("CountOfTNs", "CountsOfTNs")),
                last_modified=text("lastModifiedDate", "LastModifiedDate"),
                order_date=text("OrderDate"),
            )
        )
    return rows


def parse_history(root: Element) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            date=_xml.child_text(row, "OrderDate"),
            status=_upper(_xml.child_text(row, "Status")),
            note=_xml.child_text(row, "Note"),
            author=_xml.child_text(row, "Author"),
        )
        for row in _xml.find_all(root, "OrderHistory")
    ]


def parse_loa_file_names(root: Element) -> list[str]:
    """``fileData > FileName`` (SPEC) or repeated ``fileNames`` (older SDK mocks), section 4.5."""
    names = [_xml.child_text(data, "FileName") for data in _xml.find_all(root, "fileData")]
    names.extend(_xml.texts(root, "fileNames"))
    return [name for name in names if name]


def parse_external_tns_order(root: Element) -> ExternalTnsOrder:
    """Flat ``ExternalTnsOrder`` (SPEC) or the 2019 shape with an ``Order`` child (section 7)."""
    order = _xml.find(root, "ExternalTnsOrder")
    if order is None:  # 2019 create response: ExternalTnsOrderResponse > OrderId, Order > ...
        order = root
    inner = _xml.first_child(order, "Order")
    body = inner if inner is not None else order

    def text(name: str) -> str | None:
        return _xml.child_text(body, name) or _xml.child_text(order, name)

    return ExternalTnsOrder(
        order_id=_xml.child_text(order, "OrderId") or "",
        customer_order_id=text("CustomerOrderId") or text("CustomerOrderID"),
        status=_upper(_xml.child_text(order, "ProcessingStatus")) or "",
        action=_upper(text("Action")),
        site_id=text("SiteId"),
        sip_peer_id=text("SipPeerId"),
        telephone_numbers=_numbers(body),
        errors=_order_errors(order),
        last_modified=_xml.child_text(order, "LastModifiedDate"),
    )
