"""How the Dashboard API speaks on the wire where the transport must listen: errors and 429s.

The transport (:mod:`bw_pulumi._http`) is API-agnostic; it asks this dialect what a failed
exchange said and how to read a rate-limit reset. The Dashboard documents no request budgets,
so nothing is paced: its 429s are honoured as they come. Request and response *bodies* stay
with :mod:`bw_pulumi.clients.dashboard`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import _xml
from ..errors import ErrorDetail

__all__ = ["DASHBOARD", "DashboardDialect", "dashboard_error_details"]


def dashboard_error_details(body: bytes | None) -> list[ErrorDetail]:
    """Every code/description in a Dashboard error body, whatever its shape (API doc 1.5).

    Covers ``ResponseStatus > ErrorCode, Description`` (also without ``ErrorCode``), repeated
    flat ``Errors > Code, Description``, ``ErrorList > Error``, ``Error > Code, Description``
    and ``resultCode``/``resultMessage``; an empty or unparseable body yields no details.
    """
    if not body or not body.strip():
        return []
    try:
        root = _xml.parse(body)
    except _xml.UnsafeXmlError:
        return []
    details: list[ErrorDetail] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        description = _xml.child_text(node, "Description")
        code = _xml.child_text(node, "ErrorCode") or _xml.child_text(node, "Code")
        if description and (code or node.tag == "ResponseStatus"):
            tns = tuple(_xml.texts(_first_child(node, "TelephoneNumbers"), "TelephoneNumber"))
            details.append(ErrorDetail(code, description, tns))
            continue
        result_code = _xml.child_text(node, "resultCode")
        message = _xml.child_text(node, "resultMessage")
        if result_code and result_code != "0" and message:
            details.append(ErrorDetail(result_code, message))
    return details


def _first_child(node: Any, name: str) -> Any:
    children = _xml.children_named(node, name)
    return children[0] if children else None


@dataclass(frozen=True)
class DashboardDialect:
    """The Dashboard's side of :class:`bw_pulumi._http.Dialect`."""

    #: Errors name the ``bandwidth:*`` Dashboard keys in their hints (see errors.py).
    api: str = "dashboard"
    #: ``X-RateLimit-Reset`` is epoch *seconds* here (API doc 1.6).
    reset_ticks_per_second: float = 1.0

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        return dashboard_error_details(body)

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        return status == 429


DASHBOARD = DashboardDialect()
