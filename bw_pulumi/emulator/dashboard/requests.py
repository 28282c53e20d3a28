"""Dashboard request bodies read into plain forms (:mod:`.forms`), without judging.

The inbound half of the Dashboard wire format (:mod:`.wire` is the outbound half): element
names from bandwidth-api.md sections 2-7, read with :mod:`bw_pulumi._xml`'s primitives only. A body
that is not XML becomes a form saying so, or the 1003 fault Bandwidth answers for it.
"""

from __future__ import annotations

from lxml import etree
from werkzeug.wrappers import Request

from bw_pulumi import _xml
from bw_pulumi.emulator.dashboard.forms import CallbackForm, OrderForm, SubscriptionForm
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import BadXml, parse_xml

__all__ = ["location", "numbers_in", "order_form", "query", "subscription_form"]


def location(request: Request, account_id: str, *parts: str) -> str:
    """Absolute URL under the prefix the client used (``/api``, ``/api/v1`` or ``/v1.0``)."""
    prefix = request.environ.get("bw.prefix", "/api")
    base: str = request.host_url.rstrip("/") + str(prefix)
    return base + f"/accounts/{account_id}/" + "/".join(parts)


def subscription_form(request: Request) -> SubscriptionForm:
    try:
        node = _xml.find(parse_xml(request), "Subscription")
    except BadXml as exc:
        return SubscriptionForm(malformed=str(exc))
    if node is None:
        return SubscriptionForm(has_root=False)
    form = SubscriptionForm(
        order_type=_xml.child_text(node, "OrderType"),
        event_type=_xml.child_text(node, "EventType"),
        order_id=_xml.child_text(node, "OrderId"),
    )
    callback = _xml.children_named(node, "CallbackSubscription")
    email = _xml.children_named(node, "EmailSubscription")
    if callback:
        basic = _xml.find(callback[0], "BasicAuthentication")
        form.callback = CallbackForm(
            url=_xml.child_text(callback[0], "URL"),
            expiry=_xml.child_text(callback[0], "Expiry"),
            has_basic=basic is not None,
            username=_xml.child_text(basic, "Username"),
            password=_xml.child_text(basic, "Password"),
            public_key=_xml.find_text(callback[0], "PublicKey"),
            number_format=_xml.child_text(callback[0], "NumberFormat"),
        )
    elif email:
        form.has_email = True
        form.email = _xml.child_text(email[0], "Email")
        form.digest = _xml.child_text(email[0], "DigestRequested")
    return form


def numbers_in(node: etree._Element | None) -> list[str]:
    return _xml.texts(
        None if node is None else _xml.find(node, "TelephoneNumbers"), "TelephoneNumber"
    )


def order_form(request: Request, tag: str) -> OrderForm:
    """The ``tag`` element of the body as a form; a missing or unreadable one is 1003."""
    try:
        node = _xml.find(parse_xml(request), tag)
    except BadXml as exc:
        raise EmulatorFault.many(400, [(1003, f"{tag} is required: {exc}")]) from None
    if node is None:
        raise EmulatorFault.many(400, [(1003, f"{tag} is required")])
    subscriber = _xml.find(node, "Subscriber")
    address = None if subscriber is None else _xml.find(subscriber, "ServiceAddress")
    return OrderForm(
        customer_order_id=_xml.child_text(node, "CustomerOrderId")
        or (_xml.child_text(node, "CustomerOrderID") if tag == "ExternalTnsOrder" else None),
        telephone_numbers=numbers_in(node),
        site_id=_xml.child_text(node, "SiteId"),
        sip_peer_id=_xml.child_text(node, "SipPeerId"),
        subscriber_name=_xml.child_text(subscriber, "Name"),
        service_address={
            child.tag: (child.text or "").strip()
            for child in (address if address is not None else [])
            if isinstance(child.tag, str)
        },
        loa_authorizing_person=_xml.child_text(node, "LoaAuthorizingPerson"),
        loa_type=_xml.child_text(node, "LoaType"),
        action=_xml.child_text(node, "Action"),
    )


def query(request: Request) -> dict[str, str]:
    """Query parameters with lower-cased names: their case handling is unverified (API doc 6)."""
    return {k.lower(): v for k, v in request.args.items()}
