"""How the Dashboard API speaks on the wire: errors and 429s, and the platform's spelling.

The transport (:mod:`bw_pulumi._http`) is API-agnostic; it asks this dialect what a failed
exchange said and how to read a rate-limit reset. The Dashboard documents no request budgets,
so nothing is paced: its 429s are honoured as they come. Request and response *bodies* stay
with :mod:`bw_pulumi.clients.dashboard`, which asks the dialect only how the platform spells
numbers and names the import collections.

Two platforms serve the same API (``bandwidth:dashboardDialect``): the classic Dashboard
(:data:`DASHBOARD`) and the Universal Platform (:data:`UNIVERSAL`, bandwidth-api-v2.md 1 and
bandwidth-api.md 1.1), whose numbers are E.164 everywhere and whose imports and removals live
at ``importTnOrders/messaging`` and ``removeImportedTnOrders/messaging``. The client's callers,
and so the state, keep the ten-digit numbers either way: switching dialects diffs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .. import _xml
from .._numbers import spellings
from ..errors import ErrorDetail

if TYPE_CHECKING:
    from lxml import etree

__all__ = [
    "DASHBOARD",
    "UNIVERSAL",
    "DashboardDialect",
    "dashboard_error_details",
    "dialect_for",
]

#: The collections the Universal Platform serves under ``{collection}/messaging``.
_MESSAGING_COLLECTIONS = frozenset({"importTnOrders", "removeImportedTnOrders"})


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
            tns = tuple(_xml.texts(_xml.first_child(node, "TelephoneNumbers"), "TelephoneNumber"))
            details.append(ErrorDetail(code, description, tns))
            continue
        result_code = _xml.child_text(node, "resultCode")
        message = _xml.child_text(node, "resultMessage")
        if result_code and result_code != "0" and message:
            details.append(ErrorDetail(result_code, message))
    return details


@dataclass(frozen=True)
class DashboardDialect:
    """The Dashboard's side of :class:`bw_pulumi._http.Dialect`, for one platform."""

    #: Errors name the ``bandwidth:*`` Dashboard keys in their hints (see errors.py).
    api: str = "dashboard"
    #: ``X-RateLimit-Reset`` is epoch *seconds* here (API doc 1.6).
    reset_ticks_per_second: float = 1.0
    #: ``classic`` or ``universal`` (:data:`bw_pulumi.config.DASHBOARD_DIALECTS`).
    platform: str = "classic"

    @property
    def universal(self) -> bool:
        return self.platform == "universal"

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        details = dashboard_error_details(body)
        if not self.universal:
            return details
        return [
            replace(d, telephone_numbers=self.numbers_read(d.telephone_numbers)) for d in details
        ]

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        return status == 429

    # -- the platform's spelling -----------------------------------------------------------

    def collection(self, name: str) -> tuple[str, ...]:
        """Path segments of an account collection: UP moves the import collections under
        ``/messaging``. Unconfirmed (v2 doc 1 names only the collections): that an order's
        own paths (``/{orderId}``, ``/history``, ``/loas``) follow it, as the Location the
        emulator answers with does; it is the reading that keeps one base per collection."""
        if self.universal and name in _MESSAGING_COLLECTIONS:
            return (name, "messaging")
        return (name,)

    def serves(self, name: str) -> bool:
        """Whether the platform has the collection: UP no longer serves the "previously
        deprecated v1 endpoints" (v2 doc 1), of ours the legacy ``externalTns`` (API doc 1.1)."""
        return not (self.universal and name == "externalTns")

    def number_sent(self, tn: str) -> str:
        """A ten-digit number as the platform wants it: E.164 on UP ("E.164 everywhere")."""
        if not self.universal:
            return tn
        given, *e164 = spellings(tn)  # a ten-digit number's E.164 spelling comes second
        return e164[0] if e164 and not given.startswith("+") else tn

    def numbers_read(self, tns: Iterable[str]) -> tuple[str, ...]:
        """Numbers as the platform wrote them, in the ten digits the client's callers use."""
        return tuple(self._ten(tn) for tn in tns)

    def body_sent(self, body: bytes) -> bytes:
        """A request body with every ``TelephoneNumber`` as the platform wants it."""
        if not self.universal or b"TelephoneNumber" not in body:
            return body
        root = _xml.parse(body)
        for node in root.iter("TelephoneNumber"):
            node.text = self.number_sent((node.text or "").strip())
        return _xml.to_bytes(root)

    def read(self, root: etree._Element) -> etree._Element:
        """A parsed answer with every ``TelephoneNumber`` in ten digits (in place)."""
        if self.universal:
            for node in root.iter("TelephoneNumber"):
                node.text = self._ten(node.text or "")
        return root

    def _ten(self, tn: str) -> str:
        # Tolerant (which spelling UP answers in is documented, not observed): both are read.
        if not self.universal:
            return tn
        given, *ten = spellings(tn.strip())  # an E.164 number's ten digits come second
        return ten[0] if ten and given.startswith("+") else tn


DASHBOARD = DashboardDialect()
UNIVERSAL = DashboardDialect(platform="universal")


def dialect_for(platform: str) -> DashboardDialect:
    """The dialect ``bandwidth:dashboardDialect`` names (the config has already checked it)."""
    return UNIVERSAL if platform == "universal" else DASHBOARD
