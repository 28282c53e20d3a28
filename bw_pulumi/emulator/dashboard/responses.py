"""Dashboard wire handlers: read the XML body, call :class:`DashboardBackend`, render XML.

Paths are relative to ``{prefix}/accounts/{accountId}`` (the app strips the three prefixes, API
doc 1.1, and folds collection names to their documented case, 1.4). Each handler declares its
route's error shape with ``faults_as`` and a form from :mod:`.faults`.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.common import now
from bw_pulumi.emulator.dashboard.backend import DashboardBackend
from bw_pulumi.emulator.dashboard.faults import (
    REPORT_ROOTS,
    bare_form,
    flat_form,
    loa_form,
    status_form,
)
from bw_pulumi.emulator.dashboard.models import EXTERNAL, IMPORT, REMOVE
from bw_pulumi.emulator.dashboard.requests import (
    location,
    numbers_in,
    order_form,
    query,
    subscription_form,
)
from bw_pulumi.emulator.dashboard.wire import (
    KIND_ROOTS,
    checker_doc,
    external_xml,
    history_doc,
    loa_list_doc,
    order_xml,
    subscriptions_doc,
    summary_list,
)
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import (
    BadXml,
    empty,
    faults_as,
    parse_xml,
    xml_response,
)

SUBS_ROOT = "SubscriptionsResponse"
EXT_ROOT = "ExternalTnsOrderResponse"
#: Real ``Links`` point at production whatever host was asked (API doc 1.1/1.7); clients rebase.
LINK_BASE = "https://dashboard.bandwidth.com:443/v1.0"
DEFAULT_PAGE_SIZE = 500  # real first links show size=500 (API doc 6; the SPEC says 300)

# -- subscriptions ---------------------------------------------------------------------------


@faults_as(status_form(SUBS_ROOT))
def create_subscription(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    sub = backend.create_subscription(subscription_form(request))
    url = location(request, account_id, "subscriptions", sub.subscription_id)
    return empty(201, {"Location": url})


@faults_as(status_form(SUBS_ROOT))
def list_subscriptions(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    order_type = request.args.get("orderType") or request.args.get("ordertype")
    order_id = request.args.get("orderId") or request.args.get("orderid")
    subs = backend.list_subscriptions(order_type, order_id)
    return xml_response(subscriptions_doc(SUBS_ROOT, subs, now()))


@faults_as(status_form(SUBS_ROOT))
def get_subscription(
    backend: DashboardBackend, request: Request, account_id: str, subscription_id: str
) -> Response:
    sub = backend.get_subscription(subscription_id)
    return xml_response(subscriptions_doc(SUBS_ROOT, [sub], now()))


@faults_as(status_form(SUBS_ROOT))
def put_subscription(
    backend: DashboardBackend, request: Request, account_id: str, subscription_id: str
) -> Response:
    backend.replace_subscription(subscription_id, subscription_form(request))
    return empty(200)


@faults_as(status_form(SUBS_ROOT))
def delete_subscription(
    backend: DashboardBackend, request: Request, account_id: str, subscription_id: str
) -> Response:
    backend.delete_subscription(subscription_id)
    return empty(200)


# -- importTnChecker, importTnOrders, removeImportedTnOrders ---------------------------------


@faults_as(flat_form("ImportTnCheckerResponse"))
def check(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    try:
        root = parse_xml(request)
    except BadXml as exc:
        fault = EmulatorFault.many(400, [(1003, f"ImportTnCheckerPayload is required: {exc}")])
        raise fault from None
    importable, refused = backend.check_importability(numbers_in(root))
    return xml_response(checker_doc(importable, refused))


def _create(backend: DashboardBackend, request: Request, account_id: str, kind: str) -> Response:
    tag, response_root, _, _ = KIND_ROOTS[kind]
    order = backend.create_order(kind, order_form(request, tag))
    collection = "importTnOrders" if kind == IMPORT else "removeImportedTnOrders"
    url = location(request, account_id, collection, order.order_id)
    body = _xml.element(response_root, order_xml(order, account_id, created=True))
    return xml_response(body, 201, {"Location": url})


@faults_as(flat_form("ImportTnOrderResponse", processing_status="FAILED"))
def create_import(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return _create(backend, request, account_id, IMPORT)


@faults_as(flat_form("RemoveImportedTnOrdersResponse", processing_status="FAILED"))
def create_removal(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return _create(backend, request, account_id, REMOVE)


def _list(backend: DashboardBackend, request: Request, account_id: str, kind: str) -> Response:
    args = {k.lower(): request.args.getlist(k) for k in request.args}
    statuses = {s.upper() for value in args.get("status", []) for s in value.split(",") if s}
    found = backend.list_orders(
        kind,
        customer_order_id=next(iter(args.get("customerorderid", [])), None),
        tn=next(iter(args.get("tn", [])), None),
        statuses=frozenset(statuses),
    )
    # An empty result is 200 with TotalCount 0 (unverified, API doc 4.2 "probably").
    return xml_response(summary_list(found, account_id, kind))


def list_imports(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return _list(backend, request, account_id, IMPORT)


def list_removals(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return _list(backend, request, account_id, REMOVE)


@faults_as(status_form(REPORT_ROOTS[IMPORT]))
def get_import(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    return xml_response(order_xml(backend.get_order(IMPORT, order_id), account_id, created=False))


@faults_as(status_form(REPORT_ROOTS[REMOVE]))
def get_removal(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    return xml_response(order_xml(backend.get_order(REMOVE, order_id), account_id, created=False))


@faults_as(status_form(REPORT_ROOTS[IMPORT]))
def import_history(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    return xml_response(history_doc(backend.get_order(IMPORT, order_id)))


@faults_as(status_form(REPORT_ROOTS[REMOVE]))
def removal_history(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    return xml_response(history_doc(backend.get_order(REMOVE, order_id)))


# -- LOA files (API doc 4.5) -----------------------------------------------------------------


@faults_as(loa_form)
def upload_loa(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    document_types = (request.args.get("documentType"), request.headers.get("documentType"))
    loa = backend.upload_loa(order_id, request.mimetype, document_types, request.get_data())
    body = _xml.element(
        "fileUploadResponse",
        ("filename", loa.file_name),
        ("resultCode", 0),
        ("resultMessage", f"LOA file uploaded successfully for order {order_id}"),
    )
    url = location(request, account_id, "importTnOrders", order_id, "loas", loa.file_name)
    return xml_response(body, 201, {"Location": url})


@faults_as(loa_form)
def list_loas(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    return xml_response(loa_list_doc(backend.list_loas(order_id)))


@faults_as(loa_form)
def get_loa(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    loa = backend.get_loa(order_id, file_id)
    headers = {"Content-Disposition": f'attachment; filename="{loa.file_name}"'}
    return Response(base64.b64decode(loa.data_b64), content_type=loa.content_type, headers=headers)


@faults_as(loa_form)
def loa_metadata(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    loa = backend.get_loa(order_id, file_id)
    body = _xml.element(
        "FileMetaData", ("DocumentName", loa.file_name), ("DocumentType", loa.document_type)
    )
    return xml_response(body)


@faults_as(loa_form)
def delete_loa(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    backend.delete_loa(order_id, file_id)
    return empty(200)


# -- externalTns (legacy, API doc 7) ---------------------------------------------------------


@faults_as(status_form(EXT_ROOT))
def create_external(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    order = backend.create_external(order_form(request, "ExternalTnsOrder"))
    body = _xml.element(EXT_ROOT, external_xml(order, account_id, created=True))
    url = location(request, account_id, "externalTns", order.order_id)
    return xml_response(body, 201, {"Location": url})


@faults_as(status_form(EXT_ROOT))
def get_external(
    backend: DashboardBackend, request: Request, account_id: str, order_id: str
) -> Response:
    order = backend.get_order(EXTERNAL, order_id)
    return xml_response(external_xml(order, account_id, created=False))


@faults_as(status_form("ExternalTnsOrders"))
def list_external(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    args = query(request)
    found = backend.list_orders(
        EXTERNAL,
        customer_order_id=args.get("customerorderid"),
        tn=args.get("tn"),
        statuses=frozenset({args["status"].upper()}) if "status" in args else frozenset(),
        action=args["action"].upper() if "action" in args else None,
    )
    if not found:
        # "404 ExternalTnsOrders > ResponseStatus when nothing matches" (API doc 7).
        raise EmulatorFault(404, None, "The resource does not exist")
    body = _xml.element(
        "ExternalTnsOrders",
        ("TotalCount", len(found)),
        *(external_xml(o, account_id, created=False) for o in found),
    )
    return xml_response(body)


# -- inserviceNumbers (API doc 6) ------------------------------------------------------------


def _in_service(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str | None
) -> Response:
    args = query(request)
    try:
        size = int(args.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = -1
    page = backend.in_service_page(args, site_id, size, args.get("page", "1"))
    if not page.total:
        return empty(204)  # nothing matches: 204 No Content (API doc 6)
    path = f"{LINK_BASE}/accounts/{account_id}"
    path += f"/sites/{site_id}/inserviceNumbers" if site_id is not None else "/inserviceNumbers"
    filters = {k: v for k, v in request.args.items() if k.lower() not in ("page", "size")}

    def link(params: dict[str, str], rel: str) -> str:
        return f'Link=<{path}?{urlencode({**filters, **params})}>;rel="{rel}";'

    links: list[_xml.XmlChild] = [("first", link({"size": str(size), "page": "1"}, "first"))]
    if page.has_next:
        links.append(("next", link({"page": page.numbers[-1], "size": str(size)}, "next")))
    # Count is this page's size, TotalCount all matches: read off the discNumbers fixtures
    # (TotalCount 4, Count 2), so the meaning of Count is inferred (API doc 6).
    numbers = _xml.element(
        "TelephoneNumbers",
        ("Count", len(page.numbers)),
        *_xml.repeated("TelephoneNumber", page.numbers),
    )
    body = _xml.element("TNs", ("TotalCount", page.total), _xml.element("Links", *links), numbers)
    return xml_response(body)


@faults_as(bare_form)
def list_in_service(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return _in_service(backend, request, account_id, None)


@faults_as(bare_form)
def list_site_in_service(
    backend: DashboardBackend, request: Request, account_id: str, site_id: str
) -> Response:
    """``/sites/{siteId}/inserviceNumbers`` "also exists" (API doc 6): the same list, one site."""
    return _in_service(backend, request, account_id, site_id)


def in_service_totals(backend: DashboardBackend, request: Request, account_id: str) -> Response:
    return xml_response(_xml.element("Quantity", ("Count", backend.in_service_count())))


def in_service_one(
    backend: DashboardBackend, request: Request, account_id: str, tn: str
) -> Response:
    return empty(200 if backend.is_in_service(tn) else 404)  # no payload either way (API doc 6)
