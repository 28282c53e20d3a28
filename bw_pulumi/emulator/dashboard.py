"""Dashboard (Iris) wire format, part 1: subscriptions, plus helpers the other parts share.

Element names come from bandwidth-api.md section 2 and the captured fixtures; paths are
relative to ``{prefix}/accounts/{accountId}`` (the app strips the three prefixes, API doc 1.1,
and folds collection names to their documented case, API doc 1.4).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from lxml import etree
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.models import Subscription, new_uuid, now
from bw_pulumi.emulator.wire import (
    BadXml,
    Context,
    empty,
    parse_xml,
    status_error,
    xml_response,
)

__all__ = ["HANDLERS", "RULES", "location"]

#: OrderType values the SPEC enum lists, plus the two MDX-SUBS adds (API doc 2.1). Matched
#: exactly: ``importTnOrders`` is *not* an order type (``importtnorders`` is).
ORDER_TYPES = [
    "portins",
    "orders",
    "portouts",
    "disconnects",
    "dldas",
    "lsrorders",
    "e911s",
    "tnoptions",
    "externalTns",
    "lidb",
    "bulkPortins",
    "importtnorders",
    "removeImportedTnOrders",
    "csrs",
    "emergencyNotificationGroup",
    "emergencyEndpointGroup",
    "tollfreePortingValidations",
    "importVoiceTnOrders",
    "removeImportedVoiceTnOrders",
]
EVENT_TYPES = ("MESSAGING_LOST",)
DEFAULT_EXPIRY = 86400  # SPEC schema default (API doc 2.1)
SUBS_ROOT = "SubscriptionsResponse"


def location(request: Request, account_id: str, *parts: str) -> str:
    """Absolute URL under the prefix the client used (``/api``, ``/api/v1`` or ``/v1.0``)."""
    prefix = request.environ.get("bw.prefix", "/api")
    base: str = request.host_url.rstrip("/") + str(prefix)
    return base + f"/accounts/{account_id}/" + "/".join(parts)


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# -- subscriptions ---------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _read_subscription(root: etree._Element, subscription_id: str) -> Subscription:
    """Validate a POST/PUT body (API doc 2.1); codes from ERR (API doc 1.5)."""
    node = _xml.find(root, "Subscription")
    if node is None:
        raise _Invalid(14501, "Invalid subscription object: root Subscription expected.")
    order_type = _xml.child_text(node, "OrderType")
    event_type = _xml.child_text(node, "EventType")
    order_id = _xml.child_text(node, "OrderId")
    if not order_type and not event_type:
        raise _Invalid(14508, "OrderType or EventType should be specified.")
    if order_type and order_type not in ORDER_TYPES:
        raise _Invalid(
            14500, f"Incorrect order type {order_type}. Valid values are: {', '.join(ORDER_TYPES)}"
        )
    if event_type and event_type not in EVENT_TYPES:
        raise _Invalid(
            14507, f"Incorrect event type {event_type}. Valid values are: MESSAGING_LOST"
        )
    if order_id and not is_uuid(order_id):
        raise _Invalid(1008, f"'{order_id}' is not a valid UUID")
    sub = Subscription(subscription_id, order_type, event_type, order_id)
    callback = _xml.children_named(node, "CallbackSubscription")
    email = _xml.children_named(node, "EmailSubscription")
    if callback:
        _read_callback(callback[0], sub)
    elif email:
        sub.email = _xml.child_text(email[0], "Email")
        sub.digest = _xml.child_text(email[0], "DigestRequested")
        if not sub.email:
            raise _Invalid(14501, "Invalid subscription object: Email is required.")
        if sub.digest not in ("NONE", "DAILY"):
            raise _Invalid(14502, "DigestRequested must be NONE or DAILY.")
    else:
        raise _Invalid(14501, "Either EmailSubscription or CallbackSubscription is required.")
    return sub


def _read_callback(node: etree._Element, sub: Subscription) -> None:
    sub.url = _xml.child_text(node, "URL")
    if not sub.url:
        raise _Invalid(14503, "Callback URL cannot be empty.")
    if not sub.url.startswith(("http://", "https://")):
        raise _Invalid(14506, f"Callback URL {sub.url} is invalid.")
    raw_expiry = _xml.child_text(node, "Expiry")
    try:
        expiry = int(raw_expiry) if raw_expiry is not None else DEFAULT_EXPIRY
    except ValueError:
        expiry = -1
    if expiry <= 0:
        raise _Invalid(14501, f"Expiry {raw_expiry} must be a positive number of seconds.")
    sub.expires_at = now() + expiry
    basic = _xml.find(node, "BasicAuthentication")
    if basic is not None:
        sub.username = _xml.child_text(basic, "Username")
        sub.password = _xml.child_text(basic, "Password")
        if not sub.username or not sub.password:
            raise _Invalid(
                14505, "Basic authentication must contain both a non-blank username and password"
            )
    sub.public_key = _xml.find_text(node, "PublicKey")
    if sub.public_key and not _is_base64(sub.public_key):
        # Only the BASE64 layer is checked; the real server reads the certificate (API doc 2.1).
        raise _Invalid(14504, "Unable to read the certificate given in PublicKey.")
    sub.number_format = _xml.child_text(node, "NumberFormat")
    if sub.number_format not in (None, "LEGACY", "E164"):
        raise _Invalid(14501, "NumberFormat must be LEGACY or E164.")


def _is_base64(text: str) -> bool:
    compact = "".join(text.split())
    try:
        base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


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


def _subscriptions_doc(subs: list[Subscription]) -> Response:
    moment = now()
    body = _xml.element(
        SUBS_ROOT, _xml.element("Subscriptions", *(_subscription_xml(s, moment) for s in subs))
    )
    return xml_response(body)


def _parse_subscription(
    request: Request, subscription_id: str, invalid_status: int
) -> Subscription | Response:
    try:
        return _read_subscription(parse_xml(request), subscription_id)
    except BadXml as exc:
        return status_error(SUBS_ROOT, invalid_status, 14501, f"Invalid subscription object: {exc}")
    except _Invalid as exc:
        return status_error(SUBS_ROOT, invalid_status, exc.code, exc.description)


def _not_found_subscription(subscription_id: str, account_id: str) -> Response:
    return status_error(
        SUBS_ROOT,
        404,
        16000,
        f"Subscription {subscription_id} not found for accountId {account_id}",
    )


def create_subscription(ctx: Context, request: Request, account_id: str) -> Response:
    # A POST that fails validation answers 404, "odd but documented" (API doc 2.2).
    sub = _parse_subscription(request, new_uuid(), 404)
    if isinstance(sub, Response):
        return sub
    # No duplicate (409/16008) rule: which "target" counts as a duplicate is unverified and
    # MDX-SUBS allows several subscriptions per order type (API doc 2.2, 13).
    with ctx.store.write() as world:
        world.subscriptions[sub.subscription_id] = sub
    url = location(request, account_id, "subscriptions", sub.subscription_id)
    return empty(201, {"Location": url})


def list_subscriptions(ctx: Context, request: Request, account_id: str) -> Response:
    order_type = request.args.get("orderType") or request.args.get("ordertype")
    order_id = request.args.get("orderId") or request.args.get("orderid")
    with ctx.store.read() as world:
        subs = [
            Subscription(**vars(s))
            for s in world.subscriptions.values()
            if (not order_type or s.order_type == order_type)
            and (not order_id or s.order_id == order_id)
        ]
    if not subs and (order_type or order_id):
        # Errors 16001/16002 imply a filter matching nothing is an error, not an empty list
        # (API doc 2.3, inferred); clients map this 404 to [].
        if order_id:
            return status_error(
                SUBS_ROOT,
                404,
                16002,
                f"Subscriptions for account {account_id} order type {order_type} "
                f"order ID {order_id} not found",
            )
        return status_error(
            SUBS_ROOT,
            404,
            16001,
            f"Subscriptions for account {account_id} order type {order_type} not found",
        )
    return _subscriptions_doc(subs)


def get_subscription(
    ctx: Context, request: Request, account_id: str, subscription_id: str
) -> Response:
    with ctx.store.read() as world:
        sub = world.subscriptions.get(subscription_id)
        copy = None if sub is None else Subscription(**vars(sub))
    if copy is None:
        return _not_found_subscription(subscription_id, account_id)
    # The wrapped SubscriptionsResponse>Subscriptions>Subscription form: the one every SDK parses
    # and PHP-85 saw live (API doc 2.4).
    return _subscriptions_doc([copy])


def put_subscription(
    ctx: Context, request: Request, account_id: str, subscription_id: str
) -> Response:
    with ctx.store.read() as world:
        if subscription_id not in world.subscriptions:
            return _not_found_subscription(subscription_id, account_id)
    sub = _parse_subscription(request, subscription_id, 400)  # PUT: 400 (API doc 2.5)
    if isinstance(sub, Response):
        return sub
    with ctx.store.write() as world:
        old = world.subscriptions.get(subscription_id)
        if old is None:
            return _not_found_subscription(subscription_id, account_id)
        # Full replace (API doc 2.5): omitted fields return to defaults; Status is the server's.
        sub.status = old.status
        world.subscriptions[subscription_id] = sub
    return empty(200)


def delete_subscription(
    ctx: Context, request: Request, account_id: str, subscription_id: str
) -> Response:
    with ctx.store.write() as world:
        if world.subscriptions.pop(subscription_id, None) is None:
            return _not_found_subscription(subscription_id, account_id)
    return empty(200)


_A = "/accounts/<account_id>"
RULES = [
    Rule(f"{_A}/subscriptions", endpoint="dashboard.subscriptions.create", methods=["POST"]),
    Rule(f"{_A}/subscriptions", endpoint="dashboard.subscriptions.list", methods=["GET"]),
    Rule(
        f"{_A}/subscriptions/<subscription_id>",
        endpoint="dashboard.subscriptions.get",
        methods=["GET"],
    ),
    Rule(
        f"{_A}/subscriptions/<subscription_id>",
        endpoint="dashboard.subscriptions.put",
        methods=["PUT"],
    ),
    Rule(
        f"{_A}/subscriptions/<subscription_id>",
        endpoint="dashboard.subscriptions.delete",
        methods=["DELETE"],
    ),
]

HANDLERS: dict[str, Any] = {
    "dashboard.subscriptions.create": create_subscription,
    "dashboard.subscriptions.list": list_subscriptions,
    "dashboard.subscriptions.get": get_subscription,
    "dashboard.subscriptions.put": put_subscription,
    "dashboard.subscriptions.delete": delete_subscription,
}
