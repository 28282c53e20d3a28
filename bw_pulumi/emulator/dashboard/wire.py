"""Dashboard XML documents, one renderer per shape, with the emulator's own element names.

Element names and orders come from bandwidth-api.md sections 2-7 and the captured fixtures (style
habit 2b: nothing shared with the client but :mod:`bw_pulumi._xml`'s primitives). Create answers
``...Response > Order`` while GET answers a bare order root; summaries use lowercase
``accountId``/``userId``/``lastModifiedDate`` and ``OrderStatus``.
"""

from __future__ import annotations

from lxml import etree

from bw_pulumi import _xml
from bw_pulumi.emulator.common import iso_millis
from bw_pulumi.emulator.dashboard.models import IMPORT, REMOVE, Loa, Order, Subscription, describe

__all__ = [
    "KIND_ROOTS",
    "checker_doc",
    "external_xml",
    "history_doc",
    "loa_list_doc",
    "order_xml",
    "subscriptions_doc",
    "summary_list",
]

#: Per order kind: (order root, create response root, summary root, summary OrderType).
KIND_ROOTS = {
    IMPORT: ("ImportTnOrder", "ImportTnOrderResponse", "ImportTnOrderSummary", "import_tn_orders"),
    REMOVE: (
        "RemoveImportedTnOrder",
        "RemoveImportedTnOrdersResponse",
        "RemoveImportedTnOrderSummary",
        "remove_imported_tn_orders",
    ),
}


def _numbers(tns: list[str]) -> etree._Element:
    return _xml.element("TelephoneNumbers", *_xml.repeated("TelephoneNumber", tns))


# -- subscriptions ---------------------------------------------------------------------------


def _subscription_xml(sub: Subscription, moment: float) -> etree._Element:
    children: list[_xml.XmlChild] = [
        ("SubscriptionId", sub.subscription_id),
        ("OrderType", sub.order_type),
        ("EventType", sub.event_type),
        ("OrderId", sub.order_id),
    ]
    if sub.url is not None:
        # Expiry is the REMAINING seconds, counting down (API doc 2.4, PHP-85 live); Password is
        # never returned (2.3); PublicKey echo is unverified, so it is not echoed.
        remaining = max(0, int((sub.expires_at or moment) - moment))
        creds = None
        if sub.username:
            creds = _xml.element(
                "CallbackCredentials",
                _xml.element("BasicAuthentication", ("Username", sub.username)),
            )
        children.append(
            _xml.element(
                "CallbackSubscription",
                ("URL", sub.url),
                ("Expiry", remaining),
                ("Status", sub.status),
                creds,
                ("NumberFormat", sub.number_format),
            )
        )
    else:
        children.append(
            _xml.element("EmailSubscription", ("Email", sub.email), ("DigestRequested", sub.digest))
        )
    return _xml.element("Subscription", *children)


def subscriptions_doc(root: str, subs: list[Subscription], moment: float) -> etree._Element:
    """``SubscriptionsResponse > Subscriptions > Subscription*``: the list, and the wrapped GET
    of one that every SDK parses and PHP-85 saw live (API doc 2.4)."""
    return _xml.element(
        root, _xml.element("Subscriptions", *(_subscription_xml(s, moment) for s in subs))
    )


# -- importTnChecker -------------------------------------------------------------------------


def checker_doc(importable: list[str], refused: dict[int, list[str]]) -> etree._Element:
    errors = (
        _xml.element(
            "ImportTnError", ("Code", code), ("Description", describe(code)), _numbers(group)
        )
        for code, group in refused.items()
    )
    payload = _xml.element(
        "ImportTnCheckerPayload", _numbers(importable), _xml.element("ImportTnErrors", *errors)
    )
    return _xml.element("ImportTnCheckerResponse", payload)


# -- orders ----------------------------------------------------------------------------------


def errors_xml(order: Order) -> etree._Element:
    """``Errors > Error* > Code, Description, TelephoneNumbers`` of an order document."""
    return _xml.element(
        "Errors",
        *(
            _xml.element(
                "Error",
                ("Code", e.code),
                ("Description", e.description),
                _numbers(e.telephone_numbers),
            )
            for e in order.errors
        ),
    )


def _subscriber_xml(order: Order, echoed: bool) -> etree._Element:
    address = dict(order.service_address)
    if echoed:
        # GET adds Country and AddressType that were never sent (captured, API doc 4.3).
        address.setdefault("Country", "United States")
        address.setdefault("AddressType", "Service")
    return _xml.element(
        "Subscriber",
        ("Name", order.subscriber_name),
        _xml.element("ServiceAddress", *address.items()),
    )


def _order_head(order: Order, account_id: str) -> list[_xml.XmlChild]:
    return [
        ("CustomerOrderId", order.customer_order_id),
        ("OrderCreateDate", iso_millis(order.created)),
        ("AccountId", account_id),
        ("CreatedByUser", order.created_by),
        ("OrderId", order.order_id),
        ("LastModifiedDate", iso_millis(order.last_modified)),
    ]


def order_xml(order: Order, account_id: str, *, created: bool) -> etree._Element:
    """The order document: ``created`` is the 201 echo, else the GET form (API doc 4.1, 4.3)."""
    head = _order_head(order, account_id)
    if order.kind == IMPORT:
        head.append(("SiteId", order.site_id))
        if created:
            head.append(("SipPeerId", order.sip_peer_id))
        head.append(_subscriber_xml(order, echoed=not created))
        head.append(("LoaAuthorizingPerson", order.loa_authorizing_person))
        if created:
            head.append(("LoaType", order.loa_type))  # absent in every captured GET
    head.append(_numbers(order.telephone_numbers))
    head.append(("ProcessingStatus", order.status))
    head.append(errors_xml(order))
    if order.kind == IMPORT and not created:
        head.append(("SipPeerId", order.sip_peer_id))  # last, after Errors (captured GET)
    return _xml.element(KIND_ROOTS[order.kind][0], *head)


def summary_list(found: list[Order], account_id: str, kind: str) -> etree._Element:
    tag, _, summary, order_type = KIND_ROOTS[kind]
    return _xml.element(
        tag + "s",
        ("TotalCount", len(found)),
        *(
            _xml.element(
                summary,
                ("accountId", account_id),
                ("CountOfTNs", len(o.telephone_numbers)),
                ("CustomerOrderId", o.customer_order_id),
                ("userId", o.created_by),
                ("lastModifiedDate", iso_millis(o.last_modified)),
                ("OrderDate", iso_millis(o.created)),
                ("OrderType", order_type),
                ("OrderStatus", o.status),
                ("OrderId", o.order_id),
            )
            for o in found
        ),
    )


def history_doc(order: Order) -> etree._Element:
    """Lowercase statuses and received/failed notes as captured (API doc 4.4)."""
    return _xml.element(
        "OrderHistoryWrapper",
        *(
            _xml.element(
                "OrderHistory",
                ("OrderDate", iso_millis(h.at)),
                ("Note", h.note),
                ("Author", h.author),
                ("Status", h.status.lower()),
            )
            for h in order.history
        ),
    )


def external_xml(order: Order, account_id: str, *, created: bool) -> etree._Element:
    """The flat SPEC ``ExternalTnsOrder`` (API doc 7); the 2019 nested ``Order`` form unused."""
    children = [*_order_head(order, account_id), ("SiteId", order.site_id)]
    if created:
        children.append(("SipPeerId", order.sip_peer_id))
    children += [
        _numbers(order.telephone_numbers),
        ("Action", order.action),
        ("LoaType", order.loa_type),
        ("ProcessingStatus", order.status),
        errors_xml(order),
    ]
    if not created:
        children.append(("SipPeerId", order.sip_peer_id))  # after Errors in the SPEC list
    return _xml.element("ExternalTnsOrder", *children)


# -- LOA files -------------------------------------------------------------------------------


def loa_list_doc(loas: list[Loa]) -> etree._Element:
    """The SPEC ``fileData`` form (API doc 4.5); the older repeated fileNames variant unused."""
    return _xml.element(
        "fileListResponse",
        ("fileCount", len(loas)),
        *(
            _xml.element(
                "fileData",
                ("FileName", loa.file_name),
                _xml.element("FileMetaData", ("DocumentType", loa.document_type)),
            )
            for loa in loas
        ),
        ("resultCode", 0),
        ("resultMessage", "LOA file list successfully returned"),
    )
