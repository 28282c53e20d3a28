"""Dashboard (Iris) operations: subscriptions, importTnChecker, import/removal orders, LOA files,
legacy externalTns orders and in-service numbers.

One method per operation, taking plain forms (:mod:`.forms`) and returning copies of
models; every refusal is an :class:`EmulatorFault` carrying Bandwidth's code (moto's backend).
Never sees HTTP or XML. Reading an order counts as a read for the ``reads`` progression.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from bw_pulumi.emulator.common import new_uuid, now
from bw_pulumi.emulator.dashboard import orders
from bw_pulumi.emulator.dashboard.forms import (
    OrderForm,
    SubscriptionForm,
    is_uuid,
    read_numbers,
    subscription_from,
    validate_order,
)
from bw_pulumi.emulator.dashboard.models import EXTERNAL, IMPORT, Loa, Order, Subscription
from bw_pulumi.emulator.dashboard.platform import PlatformBackend
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.models import World
from bw_pulumi.emulator.store import Store

__all__ = ["DashboardBackend", "InServicePage"]

MAX_CHECKER_TNS = 5000
LOA_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "text/plain": "txt",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tiff",
    "text/csv": "csv",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
DOCUMENT_TYPES = ("LOA", "INVOICE", "CSR", "OTHER")
_CURSOR_DIGITS = 10
_Pick = Callable[[World], "list[Order | None]"]


def _invalid_search() -> EmulatorFault:
    """Invalid search parameters: a 404 without a body (API doc 6, 1.5 form 7)."""
    return EmulatorFault(404, None, "invalid search parameters", subject="search")


@dataclass
class InServicePage:
    total: int
    numbers: list[str]
    has_next: bool


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # date filters are yyyy-MM-dd (API doc 1.8)
    except ValueError:
        raise _invalid_search() from None


class DashboardBackend:
    """The one Dashboard account's objects, over the shared store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        #: Applications, Sites and Locations (the current platform, bandwidth-api-v2.md 2-3).
        self.platform = PlatformBackend(store)

    @property
    def account_id(self) -> str:
        return self.store.accounts.account_id

    # -- subscriptions -------------------------------------------------------------------

    def _sub_not_found(self, subscription_id: str) -> EmulatorFault:
        return EmulatorFault(
            404, 16000, f"Subscription {subscription_id} not found for accountId {self.account_id}"
        )

    def create_subscription(self, form: SubscriptionForm) -> Subscription:
        # A POST that fails validation answers 404, "odd but documented" (API doc 2.2).
        sub = subscription_from(form, new_uuid(), 404)
        # No duplicate (409/16008) rule: which "target" counts as a duplicate is unverified and
        # MDX-SUBS allows several subscriptions per order type (API doc 2.2, 13).
        with self.store.write() as world:
            world.subscriptions[sub.subscription_id] = sub
        return copy.deepcopy(sub)

    def list_subscriptions(
        self, order_type: str | None, order_id: str | None
    ) -> list[Subscription]:
        with self.store.read() as world:
            subs = [
                copy.deepcopy(s)
                for s in world.subscriptions.values()
                if (not order_type or s.order_type == order_type)
                and (not order_id or s.order_id == order_id)
            ]
        if not subs and (order_type or order_id):
            # Errors 16001/16002 imply a filter matching nothing is an error, not an empty list
            # (API doc 2.3, inferred); clients map this 404 to [].
            head = f"Subscriptions for account {self.account_id} order type {order_type}"
            if order_id:
                raise EmulatorFault(404, 16002, f"{head} order ID {order_id} not found")
            raise EmulatorFault(404, 16001, f"{head} not found")
        return subs

    def get_subscription(self, subscription_id: str) -> Subscription:
        with self.store.read() as world:
            sub = world.subscriptions.get(subscription_id)
            if sub is None:
                raise self._sub_not_found(subscription_id)
            return copy.deepcopy(sub)

    def replace_subscription(self, subscription_id: str, form: SubscriptionForm) -> None:
        with self.store.read() as world:
            if subscription_id not in world.subscriptions:
                raise self._sub_not_found(subscription_id)
        sub = subscription_from(form, subscription_id, 400)  # PUT: 400 (API doc 2.5)
        with self.store.write() as world:
            old = world.subscriptions.get(subscription_id)
            if old is None:
                raise self._sub_not_found(subscription_id)
            # Full replace (API doc 2.5): omitted fields return to defaults; Status is ours.
            sub.status = old.status
            world.subscriptions[subscription_id] = sub

    def delete_subscription(self, subscription_id: str) -> None:
        with self.store.write() as world:
            if world.subscriptions.pop(subscription_id, None) is None:
                raise self._sub_not_found(subscription_id)

    def set_subscription_status(self, subscription_id: str, status: str) -> None:
        """The outcome of the last callback, e.g. "200 OK" (API doc 2.3), from delivery."""
        with self.store.write() as world:
            sub = world.subscriptions.get(subscription_id)
            if sub is not None:
                sub.status = status

    # -- importTnChecker -----------------------------------------------------------------

    def check_importability(self, raw: list[str]) -> tuple[list[str], dict[int, list[str]]]:
        """The importable TNs and the others grouped by code (API doc 3)."""
        tns, errors = read_numbers(raw)
        if not raw:
            errors.append((1003, "TelephoneNumbers is required"))
        if len(raw) > MAX_CHECKER_TNS:
            errors.append(
                (1006, f"The number of TelephoneNumbers must not exceed {MAX_CHECKER_TNS}")
            )
        if len(set(raw)) != len(raw):
            dupes = sorted({tn for tn in raw if raw.count(tn) > 1})
            errors.append((1006, f"Duplicate telephone numbers: {', '.join(dupes)}"))
        if errors:
            raise EmulatorFault.many(400, errors)
        with self.store.read() as world:
            codes = {tn: world.unimportable[tn] for tn in tns if tn in world.unimportable}
        grouped: dict[int, list[str]] = {}
        for tn, code in codes.items():
            grouped.setdefault(code, []).append(tn)
        return [t for t in tns if t not in codes], grouped

    # -- orders (import, removal, externalTns) ---------------------------------------------

    def create_order(self, kind: str, form: OrderForm) -> Order:
        """Place an order; the copy returned is what the 201 shows (its first status)."""
        moment = now()
        order = Order(
            order_id=new_uuid(),
            kind=kind,
            created=moment,
            last_modified=moment,
            created_by=self.store.accounts.username,
            telephone_numbers=[],
            status="",
        )
        errors = validate_order(kind, form, order)
        if errors:
            raise EmulatorFault.many(400, errors)
        return self._place(order)

    def create_external(self, form: OrderForm) -> Order:
        """A legacy externalTns order (API doc 7): one error at a time, in this order."""
        if form.action not in ("IMPORT", "REMOVE"):
            # 5081 in the SPEC example (ERR says 25000 for the same text: API doc 7).
            raise EmulatorFault(
                400, 5081, "Action is absent or invalid. Possible values IMPORT, REMOVE"
            )
        if not form.site_id or not form.site_id.isdigit():
            raise EmulatorFault(400, 7309, "The site id was not supplied or is invalid.")
        tns, errors = read_numbers(form.telephone_numbers)
        if errors or not tns:
            code, text = errors[0] if errors else (1003, "TelephoneNumbers is required")
            raise EmulatorFault(400, code, text)
        moment = now()
        order = Order(
            order_id=new_uuid(),
            kind=EXTERNAL,
            created=moment,
            last_modified=moment,
            created_by=self.store.accounts.username,
            telephone_numbers=tns,
            status="",
            customer_order_id=form.customer_order_id,
            site_id=form.site_id,
            sip_peer_id=form.sip_peer_id,
            loa_type=form.loa_type or "CARRIER",
            action=form.action,
        )
        return self._place(order)

    def _place(self, order: Order) -> Order:
        with self.store.write() as world:
            return orders.create(world, order, self.store.progression)

    def get_order(self, kind: str, order_id: str, *, read: bool = True) -> Order:
        """One order of ``kind`` (a read, unless ``read`` is false); 400/1008 for a malformed
        id, else 404."""
        if not is_uuid(order_id):
            if kind == EXTERNAL:
                raise EmulatorFault(404, None, "The resource does not exist", subject="order")
            raise EmulatorFault(400, 1008, f"'{order_id}' is not a valid UUID", subject="order")
        found = self._observe(lambda world: [world.orders.get(order_id)], kind, read)
        if not found:
            # Unknown well-formed ids: unverified; the externalTns 404 shape (API doc 1.5 shape 2).
            raise EmulatorFault(404, None, "The resource does not exist", subject="order")
        return found[0]

    def list_orders(
        self,
        kind: str,
        customer_order_id: str | None = None,
        tn: str | None = None,
        statuses: frozenset[str] = frozenset(),
        action: str | None = None,
    ) -> list[Order]:
        """Orders of ``kind`` matching every filter given, newest first (each one read)."""
        found = self._observe(lambda world: list(world.orders.values()), kind)
        return sorted(
            (
                o
                for o in found
                if (customer_order_id is None or o.customer_order_id == customer_order_id)
                and (tn is None or tn in o.telephone_numbers)
                and (not statuses or o.status in statuses)
                and (action is None or o.action == action)
            ),
            key=lambda o: o.created,
            reverse=True,
        )

    def _observe(self, pick: _Pick, kind: str, read: bool = True) -> list[Order]:
        """Copies of the picked orders of ``kind``, after counting one read of each."""
        with self.store.read() as world:
            picked = [o for o in pick(world) if o is not None and o.kind == kind]
            counted = read and any(o.reads_per_step for o in picked)
        if counted:
            with self.store.write() as world:
                for order in picked:
                    orders.read(world, order, now())
        with self.store.read():
            return copy.deepcopy(picked)

    # -- LOA files (API doc 4.5) -------------------------------------------------------------

    def upload_loa(
        self,
        order_id: str,
        mimetype: str,
        document_types: tuple[str | None, str | None],
        data: bytes,
    ) -> Loa:
        """``document_types`` is the ``documentType`` (query, header) pair as sent."""
        self.get_order(IMPORT, order_id, read=False)
        ext = LOA_CONTENT_TYPES.get(mimetype)
        # 7638-7641 cover LOA upload problems (API doc 1.5); the exact code per case is ours.
        if ext is None:
            raise EmulatorFault(400, 7638, f"Content-Type {mimetype or '(none)'} is not allowed")
        in_query, in_header = document_types
        if in_query and in_header and in_query != in_header:
            raise EmulatorFault(400, 7641, "documentType in the query and the header conflict")
        doc_type = (in_query or in_header or "LOA").upper()
        if doc_type not in DOCUMENT_TYPES:
            raise EmulatorFault(400, 7639, f"Unknown documentType {doc_type}")
        if not data:
            raise EmulatorFault(400, 7640, "The file is empty")
        name = f"{order_id}-{int(now() * 1000)}.{ext}"
        loa = Loa(name, doc_type, mimetype, base64.b64encode(data).decode("ascii"))
        with self.store.write() as world:
            world.orders[order_id].loas.append(loa)
        return loa

    def list_loas(self, order_id: str) -> list[Loa]:
        return self.get_order(IMPORT, order_id, read=False).loas

    def get_loa(self, order_id: str, file_id: str) -> Loa:
        for loa in self.get_order(IMPORT, order_id, read=False).loas:
            if loa.file_name == file_id:
                return loa
        raise EmulatorFault(404, None, "The resource does not exist", subject="loa")

    def delete_loa(self, order_id: str, file_id: str) -> None:
        self.get_loa(order_id, file_id)
        with self.store.write() as world:
            order = world.orders[order_id]
            order.loas = [x for x in order.loas if x.file_name != file_id]

    # -- inserviceNumbers (API doc 6) --------------------------------------------------------

    def in_service_page(
        self, filters: dict[str, str], site_id: str | None, size: int, cursor: str
    ) -> InServicePage:
        """One page after the opaque ``cursor`` (the last TN of the previous page, as /tns
        does; a real next link was never captured, so the cursor form is unverified)."""
        valid_cursor = cursor == "1" or (cursor.isdigit() and len(cursor) == _CURSOR_DIGITS)
        if size < 1 or not valid_cursor:
            raise _invalid_search()
        with self.store.read() as world:
            matches = _in_service_matches(world, filters, site_id)
        after = [tn for tn in matches if cursor == "1" or tn > cursor]
        return InServicePage(len(matches), after[:size], len(after) > size)

    def in_service_count(self) -> int:
        with self.store.read() as world:
            return len(world.in_service)

    def is_in_service(self, tn: str) -> bool:
        with self.store.read() as world:
            return tn in world.in_service


def _in_service_matches(world: World, args: dict[str, str], site_id: str | None) -> list[str]:
    """The in-service TNs the filters select, sorted (the paging cursor relies on the order)."""
    if args.get("ratecenter") and not args.get("state"):
        # "ratecenter (requires state, otherwise the query fails)" (API doc 6).
        raise _invalid_search()
    area, npanxx = args.get("areacode"), args.get("npanxx")
    start, end = _day(args.get("startdate")), _day(args.get("enddate"))
    # lata, state and ratecenter are accepted and not applied: the emulator keeps no such data
    # per number. The dates compare with the day each number went in service, the only date it
    # keeps; which date the real filters use is not documented (API doc 6).
    found = []
    for tn, since in world.in_service.items():
        if (area and not tn.startswith(area)) or (npanxx and not tn.startswith(npanxx)):
            continue
        day = datetime.fromtimestamp(since, tz=timezone.utc).date()
        if (start and day < start) or (end and day > end):
            continue
        # Numbers put in service through the control API have no site: every site lists them.
        site = world.in_service_sites.get(tn)
        if site_id is not None and site is not None and site != site_id:
            continue
        found.append(tn)
    return sorted(found)
