"""Dashboard (Iris) wire format, part 1: subscriptions and inserviceNumbers.

Element names come from bandwidth-api.md sections 2 and 6 and the captured fixtures; paths are
relative to ``{prefix}/accounts/{accountId}`` (the app strips the three prefixes, API doc 1.1,
and folds collection names to their documented case, API doc 1.4).
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

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

#: Real ``Links`` point at production whatever host was asked (API doc 1.1/1.7); clients rebase.
LINK_BASE = "https://dashboard.bandwidth.com:443/v1.0"
DEFAULT_PAGE_SIZE = 500  # real first links show size=500 (API doc 6; the SPEC says 300)


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
    sub.number_format = _xml.child_text(node, "NumberFormat")
    if sub.number_format not in (None, "LEGACY", "E164"):
        raise _Invalid(14501, "NumberFormat must be LEGACY or E164.")


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


def _parse_subscription(request: Request, subscription_id: str) -> Subscription | Response:
    try:
        return _read_subscription(parse_xml(request), subscription_id)
    except BadXml as exc:
        return status_error(SUBS_ROOT, 400, 14501, f"Invalid subscription object: {exc}")
    except _Invalid as exc:
        # The SPEC answers validation failures with 404, which clients accept alongside 400
        # (API doc 2.2 and 13); we answer 400, the usual status for a bad body.
        return status_error(SUBS_ROOT, 400, exc.code, exc.description)


def _not_found_subscription(subscription_id: str, account_id: str) -> Response:
    return status_error(
        SUBS_ROOT,
        404,
        16000,
        f"Subscription {subscription_id} not found for accountId {account_id}",
    )


def create_subscription(ctx: Context, request: Request, account_id: str) -> Response:
    sub = _parse_subscription(request, new_uuid())
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
    sub = _parse_subscription(request, subscription_id)
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


# -- inserviceNumbers ------------------------------------------------------------------------


def _link(account_id: str, params: dict[str, str], rel: str) -> str:
    url = f"{LINK_BASE}/accounts/{account_id}/inserviceNumbers?{urlencode(params)}"
    return f'Link=<{url}>;rel="{rel}";'


def list_in_service(ctx: Context, request: Request, account_id: str) -> Response:
    args = {k.lower(): v for k, v in request.args.items()}
    try:
        size = int(args.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = -1
    cursor = args.get("page", "1")
    if size < 1 or not (cursor == "1" or (cursor.isdigit() and len(cursor) == 10)):
        # "404 when the search parameters are invalid" (API doc 6); empty body.
        return empty(404)
    area = args.get("areacode")
    npanxx = args.get("npanxx")
    with ctx.store.read() as world:
        matches = sorted(
            tn
            for tn in world.in_service
            if (not area or tn.startswith(area)) and (not npanxx or tn.startswith(npanxx))
        )
    if not matches:
        return empty(204)  # nothing matches: 204 No Content (API doc 6)
    # ``page`` is an opaque cursor (API doc 1.7): the last TN of the previous page, as /tns does.
    after = [tn for tn in matches if cursor == "1" or tn > cursor]
    page = after[:size]
    filters = {k: v for k, v in request.args.items() if k.lower() not in ("page", "size")}
    links: list[_xml.XmlChild] = [
        ("first", _link(account_id, {**filters, "size": str(size), "page": "1"}, "first"))
    ]
    if len(after) > size:
        next_params = {**filters, "page": page[-1], "size": str(size)}
        links.append(("next", _link(account_id, next_params, "next")))
    body = _xml.element(
        "TNs",
        ("TotalCount", len(matches)),
        _xml.element("Links", *links),
        _xml.element(
            "TelephoneNumbers", ("Count", len(page)), *_xml.repeated("TelephoneNumber", page)
        ),
    )
    return xml_response(body)


def in_service_totals(ctx: Context, request: Request, account_id: str) -> Response:
    with ctx.store.read() as world:
        count = len(world.in_service)
    return xml_response(_xml.element("Quantity", ("Count", count)))


def in_service_one(ctx: Context, request: Request, account_id: str, tn: str) -> Response:
    with ctx.store.read() as world:
        found = tn in world.in_service
    return empty(200 if found else 404)  # no payload either way (API doc 6)


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
    Rule(f"{_A}/inserviceNumbers", endpoint="dashboard.inservice.list", methods=["GET"]),
    Rule(f"{_A}/inserviceNumbers/totals", endpoint="dashboard.inservice.totals", methods=["GET"]),
    Rule(f"{_A}/inserviceNumbers/<tn>", endpoint="dashboard.inservice.get", methods=["GET"]),
]

HANDLERS: dict[str, Any] = {
    "dashboard.subscriptions.create": create_subscription,
    "dashboard.subscriptions.list": list_subscriptions,
    "dashboard.subscriptions.get": get_subscription,
    "dashboard.subscriptions.put": put_subscription,
    "dashboard.subscriptions.delete": delete_subscription,
    "dashboard.inservice.list": list_in_service,
    "dashboard.inservice.totals": in_service_totals,
    "dashboard.inservice.get": in_service_one,
}
