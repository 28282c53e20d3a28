"""Every Dashboard error shape, in one place: faults from handlers and the app's refusals.

Handlers declare their route's shape with :func:`.wire.faults_as` and one of the forms below
(API doc 1.5's shapes: a ``ResponseStatus`` under a ``{X}Response`` root, flat ``Errors``,
``fileUploadResponse`` result codes, or no body at all); the app answers auth failures, rate
limits, injected faults and unknown paths with the functions at the end.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.dashboard.models import IMPORT, REMOVE
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import empty, flat_errors, status_error, xml_response

__all__ = [
    "REPORT_ROOTS",
    "bare_form",
    "denied",
    "flat_form",
    "loa_form",
    "no_route",
    "status_form",
    "too_many",
    "unauthorized",
    "unavailable",
]

#: Error roots for reading one order: the removal one is documented (1008, API doc 5); the
#: import one is our analogue (no source shows it).
REPORT_ROOTS = {IMPORT: "ImportTnOrderResponse", REMOVE: "RemoveImportedTnOrdersReportResponse"}
#: Root element of a 403 per Dashboard collection (the ``{X}Response`` family, API doc 1.5).
_DENIED_ROOTS = {
    "subscriptions": "SubscriptionsResponse",
    "importTnChecker": "ImportTnCheckerResponse",
    "importTnOrders": "ImportTnOrderResponse",
    "removeImportedTnOrders": "RemoveImportedTnOrdersResponse",
    "externalTns": "ExternalTnsOrderResponse",
    "inserviceNumbers": "TNs",
}


def _int_code(fault: EmulatorFault) -> int | None:
    return fault.code if isinstance(fault.code, int) else None


def status_form(root: str) -> Callable[[EmulatorFault], Response]:
    """``{root} > ResponseStatus > ErrorCode?, Description`` (API doc 1.5 shapes 1 and 2)."""
    return lambda f: status_error(root, f.status, _int_code(f), f.description)


def flat_form(
    root: str, processing_status: str | None = None
) -> Callable[[EmulatorFault], Response]:
    """Repeated flat ``Errors > Code, Description`` (API doc 1.5 shape 3)."""
    return lambda f: flat_errors(
        root, f.errors, processing_status=processing_status, status=f.status
    )


def loa_form(fault: EmulatorFault) -> Response:
    """LOA routes refuse in three shapes: the order's, the file's, and the upload's codes."""
    if fault.subject == "order":
        return status_form(REPORT_ROOTS[IMPORT])(fault)
    if fault.subject == "loa":
        return status_form("fileUploadResponse")(fault)
    body = _xml.element(
        "fileUploadResponse", ("resultCode", fault.code), ("resultMessage", fault.description)
    )
    return xml_response(body, fault.status)


def bare_form(fault: EmulatorFault) -> Response:
    """inserviceNumbers refuses with no body (API doc 6)."""
    return empty(fault.status)


# -- refusals made before any handler runs ---------------------------------------------------


def unauthorized() -> Response:
    """The Dashboard 401 body is undocumented (API doc 1.2): empty, with a challenge."""
    return empty(401, {"WWW-Authenticate": 'Basic realm="Bandwidth Dashboard"'})


def denied(collection: str) -> Response:
    """Another account's path: 403, 1001 "Access Denied" under the collection's root."""
    return status_error(_DENIED_ROOTS.get(collection, "ErrorResponse"), 403, 1001, "Access Denied")


def too_many(request: Request, wait: float) -> Response:
    """Empty body, ``X-RateLimit-Reset`` in epoch SECONDS (API doc 1.6)."""
    return empty(429, {"X-RateLimit-Reset": str(math.ceil(time.time() + wait))})


def unavailable(status: int) -> Response:
    return empty(status)


def no_route() -> Response:
    return empty(404)
