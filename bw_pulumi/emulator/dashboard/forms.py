"""What a Dashboard request asks for, as plain data, and the rules Bandwidth checks it against.

The wire layer (:mod:`.responses`) reads XML bodies into these forms without judging
them; the checks below raise :class:`EmulatorFault` with Bandwidth's codes (bandwidth-api.md 1.5,
2.1, 3, 4.1, 7) and the backend calls them. Kept apart from :mod:`.backend` because
the rules are long and change for different reasons than the operations do.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from bw_pulumi.emulator.common import now
from bw_pulumi.emulator.dashboard.models import IMPORT, Order, Subscription
from bw_pulumi.emulator.errors import EmulatorFault

__all__ = [
    "CallbackForm",
    "OrderForm",
    "SubscriptionForm",
    "is_uuid",
    "read_numbers",
    "subscription_from",
    "validate_order",
]

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
#: NANPA shape: NPA and NXX start with 2-9 (7201 otherwise, API doc 3).
_NANPA = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")
_CUSTOMER_ORDER_ID = re.compile(r"^[A-Za-z0-9 -]{1,40}$")  # API doc 4.1
_ADDRESS_REQUIRED = ("HouseNumber", "StreetName", "City", "StateCode", "Zip")


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def read_numbers(raw: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Valid TNs (order kept, duplicates dropped) and a 7201 error per invalid one."""
    tns: list[str] = []
    errors: list[tuple[int, str]] = []
    for tn in raw:
        if not _NANPA.match(tn):
            errors.append((7201, f"{tn} is not a valid NANPA telephone number."))
        elif tn not in tns:
            tns.append(tn)
    return tns, errors


# -- subscriptions ---------------------------------------------------------------------------


@dataclass
class CallbackForm:
    url: str | None = None
    expiry: str | None = None
    has_basic: bool = False
    username: str | None = None
    password: str | None = None
    public_key: str | None = None
    number_format: str | None = None


@dataclass
class SubscriptionForm:
    """A POST/PUT ``Subscription`` body as sent; ``malformed`` is why it did not parse."""

    malformed: str | None = None
    has_root: bool = True
    order_type: str | None = None
    event_type: str | None = None
    order_id: str | None = None
    callback: CallbackForm | None = None
    has_email: bool = False
    email: str | None = None
    digest: str | None = None


def subscription_from(form: SubscriptionForm, subscription_id: str, status: int) -> Subscription:
    """Validate a POST/PUT body (API doc 2.1); codes from ERR (API doc 1.5)."""

    def fail(code: int, description: str) -> EmulatorFault:
        return EmulatorFault(status, code, description)

    if form.malformed is not None:
        raise fail(14501, f"Invalid subscription object: {form.malformed}")
    if not form.has_root:
        raise fail(14501, "Invalid subscription object: root Subscription expected.")
    if not form.order_type and not form.event_type:
        raise fail(14508, "OrderType or EventType should be specified.")
    if form.order_type and form.order_type not in ORDER_TYPES:
        valid = ", ".join(ORDER_TYPES)
        raise fail(14500, f"Incorrect order type {form.order_type}. Valid values are: {valid}")
    if form.event_type and form.event_type not in EVENT_TYPES:
        raise fail(
            14507, f"Incorrect event type {form.event_type}. Valid values are: MESSAGING_LOST"
        )
    if form.order_id and not is_uuid(form.order_id):
        raise fail(1008, f"'{form.order_id}' is not a valid UUID")
    sub = Subscription(subscription_id, form.order_type, form.event_type, form.order_id)
    if form.callback is not None:
        _check_callback(form.callback, sub, fail)
    elif form.has_email:
        sub.email, sub.digest = form.email, form.digest
        if not sub.email:
            raise fail(14501, "Invalid subscription object: Email is required.")
        if sub.digest not in ("NONE", "DAILY"):
            raise fail(14502, "DigestRequested must be NONE or DAILY.")
    else:
        raise fail(14501, "Either EmailSubscription or CallbackSubscription is required.")
    return sub


def _check_callback(
    form: CallbackForm, sub: Subscription, fail: Callable[[int, str], EmulatorFault]
) -> None:
    sub.url = form.url
    if not sub.url:
        raise fail(14503, "Callback URL cannot be empty.")
    if not sub.url.startswith(("http://", "https://")):
        raise fail(14506, f"Callback URL {sub.url} is invalid.")
    try:
        expiry = int(form.expiry) if form.expiry is not None else DEFAULT_EXPIRY
    except ValueError:
        expiry = -1
    if expiry <= 0:
        raise fail(14501, f"Expiry {form.expiry} must be a positive number of seconds.")
    sub.expires_at = now() + expiry
    if form.has_basic:
        sub.username, sub.password = form.username, form.password
        if not sub.username or not sub.password:
            raise fail(
                14505, "Basic authentication must contain both a non-blank username and password"
            )
    sub.public_key = form.public_key
    if sub.public_key and not _is_base64(sub.public_key):
        # Only the BASE64 layer is checked; the real server reads the certificate (API doc 2.1).
        raise fail(14504, "Unable to read the certificate given in PublicKey.")
    sub.number_format = form.number_format
    if sub.number_format not in (None, "LEGACY", "E164"):
        raise fail(14501, "NumberFormat must be LEGACY or E164.")


def _is_base64(text: str) -> bool:
    compact = "".join(text.split())
    try:
        base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# -- orders ----------------------------------------------------------------------------------


@dataclass
class OrderForm:
    """An ``ImportTnOrder`` / ``RemoveImportedTnOrder`` / ``ExternalTnsOrder`` body as sent."""

    customer_order_id: str | None = None
    telephone_numbers: list[str] = field(default_factory=list)
    site_id: str | None = None
    sip_peer_id: str | None = None
    subscriber_name: str | None = None
    service_address: dict[str, str] = field(default_factory=dict)
    loa_authorizing_person: str | None = None
    loa_type: str | None = None
    action: str | None = None


def validate_order(kind: str, form: OrderForm, order: Order) -> list[tuple[int, str]]:
    """Copy ``form`` onto ``order``; every problem as ``(code, text)`` (API doc 4.1, 5)."""
    errors: list[tuple[int, str]] = []
    order.customer_order_id = form.customer_order_id
    if order.customer_order_id and not _CUSTOMER_ORDER_ID.match(order.customer_order_id):
        errors.append(
            (1011, "CustomerOrderId allows at most 40 letters, digits, dashes and spaces")
        )
    if kind == IMPORT:
        errors += _check_import(form, order)
    order.telephone_numbers, tn_errors = read_numbers(form.telephone_numbers)
    errors += tn_errors
    if not order.telephone_numbers and not tn_errors:
        errors.append((1003, "TelephoneNumbers is required"))
    return errors


def _check_import(form: OrderForm, order: Order) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    order.site_id = form.site_id
    if not order.site_id or not order.site_id.isdigit():
        errors.append((7309, "The site id was not supplied or is invalid."))
    order.sip_peer_id = form.sip_peer_id
    if order.sip_peer_id is not None and not order.sip_peer_id.isdigit():
        errors.append((7312, "The sippeer id is invalid."))
    order.subscriber_name = form.subscriber_name
    if not order.subscriber_name:
        errors.append((1003, "Subscriber Name is required"))
    elif len(order.subscriber_name) > 45:
        errors.append((1011, "Subscriber Name is too long (max 45 characters)"))
    order.service_address = dict(form.service_address)
    for name in _ADDRESS_REQUIRED:
        if not order.service_address.get(name):
            errors.append((1003, f"ServiceAddress {name} is required"))
    order.loa_authorizing_person = form.loa_authorizing_person
    if not order.loa_authorizing_person:
        errors.append((1003, "LoaAuthorizingPerson is required"))
    order.loa_type = form.loa_type
    if order.loa_type not in (None, "SUBSCRIBER", "CARRIER"):
        errors.append((1006, f"LoaType {order.loa_type} is invalid; use SUBSCRIBER or CARRIER"))
    return errors
