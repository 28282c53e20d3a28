"""Dashboard wire format, part 3: import-order LOA files and the legacy externalTns orders.

LOAs follow bandwidth-api.md 4.5 (``fileUploadResponse``/``fileListResponse``, file names
``{orderId}-{epochMillis}.{ext}``); externalTns follows section 7 in its flat SPEC shape.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from lxml import etree
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator import orders
from bw_pulumi.emulator.dashboard import is_uuid, location
from bw_pulumi.emulator.dashboard_orders import errors_xml, lookup, read_numbers
from bw_pulumi.emulator.models import EXTERNAL, IMPORT, Loa, Order, iso_millis, new_uuid, now
from bw_pulumi.emulator.wire import BadXml, Context, empty, parse_xml, status_error, xml_response

__all__ = ["HANDLERS", "RULES"]

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
EXT_ROOT = "ExternalTnsOrderResponse"


# -- LOA files -------------------------------------------------------------------------------


def _upload_error(code: int, message: str) -> Response:
    body = _xml.element("fileUploadResponse", ("resultCode", code), ("resultMessage", message))
    return xml_response(body, 400)


def upload_loa(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    found = lookup(ctx, IMPORT, order_id)
    if isinstance(found, Response):
        return found
    ext = LOA_CONTENT_TYPES.get(request.mimetype)
    if ext is None:
        # 7638-7641 cover LOA upload problems (API doc 1.5); the exact code per case is ours.
        return _upload_error(7638, f"Content-Type {request.mimetype or '(none)'} is not allowed")
    in_query = request.args.get("documentType")
    in_header = request.headers.get("documentType")
    if in_query and in_header and in_query != in_header:
        return _upload_error(7641, "documentType in the query and the header conflict")
    doc_type = (in_query or in_header or "LOA").upper()
    if doc_type not in DOCUMENT_TYPES:
        return _upload_error(7639, f"Unknown documentType {doc_type}")
    data = request.get_data()
    if not data:
        return _upload_error(7640, "The file is empty")
    name = f"{order_id}-{int(now() * 1000)}.{ext}"
    loa = Loa(name, doc_type, request.mimetype, base64.b64encode(data).decode("ascii"))
    with ctx.store.write() as world:
        world.orders[order_id].loas.append(loa)
    body = _xml.element(
        "fileUploadResponse",
        ("filename", name),
        ("resultCode", 0),
        ("resultMessage", f"LOA file uploaded successfully for order {order_id}"),
    )
    url = location(request, account_id, "importTnOrders", order_id, "loas", name)
    return xml_response(body, 201, {"Location": url})


def list_loas(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    found = lookup(ctx, IMPORT, order_id)
    if isinstance(found, Response):
        return found
    # The SPEC fileData form (API doc 4.5); the older repeated fileNames variant is not sent.
    body = _xml.element(
        "fileListResponse",
        ("fileCount", len(found.loas)),
        *(
            _xml.element(
                "fileData",
                ("FileName", loa.file_name),
                _xml.element("FileMetaData", ("DocumentType", loa.document_type)),
            )
            for loa in found.loas
        ),
        ("resultCode", 0),
        ("resultMessage", "LOA file list successfully returned"),
    )
    return xml_response(body)


def _find_loa(ctx: Context, order_id: str, file_id: str) -> Loa | Response:
    found = lookup(ctx, IMPORT, order_id)
    if isinstance(found, Response):
        return found
    for loa in found.loas:
        if loa.file_name == file_id:
            return loa
    return status_error("fileUploadResponse", 404, None, "The resource does not exist")


def get_loa(
    ctx: Context, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    loa = _find_loa(ctx, order_id, file_id)
    if isinstance(loa, Response):
        return loa
    headers = {"Content-Disposition": f'attachment; filename="{loa.file_name}"'}
    return Response(base64.b64decode(loa.data_b64), content_type=loa.content_type, headers=headers)


def loa_metadata(
    ctx: Context, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    loa = _find_loa(ctx, order_id, file_id)
    if isinstance(loa, Response):
        return loa
    body = _xml.element(
        "FileMetaData", ("DocumentName", loa.file_name), ("DocumentType", loa.document_type)
    )
    return xml_response(body)


def delete_loa(
    ctx: Context, request: Request, account_id: str, order_id: str, file_id: str
) -> Response:
    loa = _find_loa(ctx, order_id, file_id)
    if isinstance(loa, Response):
        return loa
    with ctx.store.write() as world:
        order = world.orders[order_id]
        order.loas = [x for x in order.loas if x.file_name != file_id]
    return empty(200)


# -- externalTns (legacy) --------------------------------------------------------------------


def _external_xml(order: Order, account_id: str, *, created: bool) -> etree._Element:
    """The flat SPEC ``ExternalTnsOrder`` (API doc 7); the 2019 nested ``Order`` form unused."""
    children: list[_xml.XmlChild] = [
        ("CustomerOrderId", order.customer_order_id),
        ("OrderCreateDate", iso_millis(order.created)),
        ("AccountId", account_id),
        ("CreatedByUser", order.created_by),
        ("OrderId", order.order_id),
        ("LastModifiedDate", iso_millis(order.last_modified)),
        ("SiteId", order.site_id),
    ]
    if created:
        children.append(("SipPeerId", order.sip_peer_id))
    children += [
        _xml.element(
            "TelephoneNumbers", *_xml.repeated("TelephoneNumber", order.telephone_numbers)
        ),
        ("Action", order.action),
        ("LoaType", order.loa_type),
        ("ProcessingStatus", order.status),
        errors_xml(order),
    ]
    if not created:
        children.append(("SipPeerId", order.sip_peer_id))  # after Errors in the SPEC list
    return _xml.element("ExternalTnsOrder", *children)


def create_external(ctx: Context, request: Request, account_id: str) -> Response:
    try:
        node = _xml.find(parse_xml(request), "ExternalTnsOrder")
    except BadXml as exc:
        return status_error(EXT_ROOT, 400, 1003, f"ExternalTnsOrder is required: {exc}")
    if node is None:
        return status_error(EXT_ROOT, 400, 1003, "ExternalTnsOrder is required")
    action = _xml.child_text(node, "Action")
    if action not in ("IMPORT", "REMOVE"):
        # 5081 in the SPEC example (ERR says 25000 for the same text: API doc 7).
        return status_error(
            EXT_ROOT, 400, 5081, "Action is absent or invalid. Possible values IMPORT, REMOVE"
        )
    site_id = _xml.child_text(node, "SiteId")
    if not site_id or not site_id.isdigit():
        return status_error(EXT_ROOT, 400, 7309, "The site id was not supplied or is invalid.")
    tns, errors = read_numbers(node)
    if errors or not tns:
        code, text = errors[0] if errors else (1003, "TelephoneNumbers is required")
        return status_error(EXT_ROOT, 400, code, text)
    moment = now()
    order = Order(
        order_id=new_uuid(),
        kind=EXTERNAL,
        created=moment,
        last_modified=moment,
        created_by=ctx.store.accounts.username,
        telephone_numbers=tns,
        status="",
        customer_order_id=_xml.child_text(node, "CustomerOrderId")
        or _xml.child_text(node, "CustomerOrderID"),
        site_id=site_id,
        sip_peer_id=_xml.child_text(node, "SipPeerId"),
        loa_type=_xml.child_text(node, "LoaType") or "CARRIER",
        action=action,
    )
    seconds = ctx.store.processing_seconds
    with ctx.store.write() as world:
        orders.create(world, order, seconds)
        shown = copy.deepcopy(order)
        if seconds == 0:
            orders.settle(world, order.order_id, moment)
    body = _xml.element(EXT_ROOT, _external_xml(shown, account_id, created=True))
    url = location(request, account_id, "externalTns", order.order_id)
    return xml_response(body, 201, {"Location": url})


def get_external(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    with ctx.store.read() as world:
        order = world.orders.get(order_id) if is_uuid(order_id) else None
        found = copy.deepcopy(order) if order is not None and order.kind == EXTERNAL else None
    if found is None:
        return status_error(EXT_ROOT, 404, None, "The resource does not exist")
    return xml_response(_external_xml(found, account_id, created=False))


def list_external(ctx: Context, request: Request, account_id: str) -> Response:
    args = {k.lower(): v for k, v in request.args.items()}
    with ctx.store.read() as world:
        found = [
            copy.deepcopy(o)
            for o in world.orders.values()
            if o.kind == EXTERNAL
            and ("customerorderid" not in args or o.customer_order_id == args["customerorderid"])
            and ("tn" not in args or args["tn"] in o.telephone_numbers)
            and ("status" not in args or o.status == args["status"].upper())
            and ("action" not in args or o.action == args["action"].upper())
        ]
    if not found:
        # "404 ExternalTnsOrders > ResponseStatus when nothing matches" (API doc 7).
        return status_error("ExternalTnsOrders", 404, None, "The resource does not exist")
    found.sort(key=lambda o: o.created, reverse=True)
    body = _xml.element(
        "ExternalTnsOrders",
        ("TotalCount", len(found)),
        *(_external_xml(o, account_id, created=False) for o in found),
    )
    return xml_response(body)


_A = "/accounts/<account_id>"
_L = f"{_A}/importTnOrders/<order_id>/loas"
RULES = [
    Rule(_L, endpoint="dashboard.loas.create", methods=["POST"]),
    Rule(_L, endpoint="dashboard.loas.list", methods=["GET"]),
    Rule(f"{_L}/<file_id>", endpoint="dashboard.loas.get", methods=["GET"]),
    Rule(f"{_L}/<file_id>", endpoint="dashboard.loas.delete", methods=["DELETE"]),
    Rule(f"{_L}/<file_id>/metadata", endpoint="dashboard.loas.metadata", methods=["GET"]),
    Rule(f"{_A}/externalTns", endpoint="dashboard.external.create", methods=["POST"]),
    Rule(f"{_A}/externalTns", endpoint="dashboard.external.list", methods=["GET"]),
    Rule(f"{_A}/externalTns/<order_id>", endpoint="dashboard.external.get", methods=["GET"]),
]

HANDLERS: dict[str, Any] = {
    "dashboard.loas.create": upload_loa,
    "dashboard.loas.list": list_loas,
    "dashboard.loas.get": get_loa,
    "dashboard.loas.delete": delete_loa,
    "dashboard.loas.metadata": loa_metadata,
    "dashboard.external.create": create_external,
    "dashboard.external.list": list_external,
    "dashboard.external.get": get_external,
}
