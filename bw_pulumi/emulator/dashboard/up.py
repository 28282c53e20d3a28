"""The Universal Platform dialect of the Dashboard API: base ``/api/v2``, E.164 numbers.

bandwidth-api-v2.md 1 ("Universal Platform") and bandwidth-api.md 1.1: UP accounts reach the
Number Management APIs at ``https://api.bandwidth.com/api/v2``, numbers are E.164 everywhere,
and imports move to ``importTnOrders/messaging`` and ``removeImportedTnOrders/messaging``
("previously deprecated v1 endpoints are no longer supported": the plain collections and
``externalTns`` answer 404 there). The emulator serves this dialect by translation around the
same handlers: request paths, queries and ``TelephoneNumber`` elements to ten digits on the way
in (E.164 and ten digits are both accepted: which one UP refuses is not documented, so the
tolerant choice), every ``TelephoneNumber`` to E.164 and the ``Location`` to the ``/messaging``
path on the way out.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml

__all__ = ["PREFIX", "inner_path", "request_in", "response_out"]

PREFIX = "/api/v2"
#: ``{collection}/messaging`` under UP -> the collection the handlers serve.
_MESSAGING = re.compile(
    r"^(/accounts/[^/]+/(?:importTnOrders|removeImportedTnOrders))/messaging(/.*)?$"
)
#: Collections UP no longer serves under their v1 names (bandwidth-api.md 1.1).
_RETIRED = re.compile(
    r"^/accounts/[^/]+/(?:importTnOrders|removeImportedTnOrders|externalTns)(/|$)"
)
_E164 = re.compile(r"^\+1(\d{10})$")
_TEN = re.compile(r"^\d{10}$")
#: A path that no route matches: the API's own 404.
UNSERVED = "/-/not-on-the-universal-platform"


def _ten(value: str) -> str:
    found = _E164.match(value.strip())
    return found.group(1) if found else value


def inner_path(path: str) -> str:
    """The handlers' path for a UP path (already case-folded)."""
    found = _MESSAGING.match(path)
    if found:
        return found.group(1) + (found.group(2) or "")
    if _RETIRED.match(path):
        return UNSERVED
    return "/".join(_ten(part) for part in path.split("/"))  # /inserviceNumbers/{tn}


def request_in(request: Request) -> Request:
    """The same request with its numbers in ten digits (query ``tn`` and XML body)."""
    environ: dict[str, Any] = dict(request.environ)
    query = [
        (k, _ten(v) if k.lower() == "tn" else v)
        for k, v in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    ]
    environ["QUERY_STRING"] = urlencode(query)
    body = request.get_data()
    if b"TelephoneNumber" in body:
        try:
            root = _xml.parse(body)
        except _xml.UnsafeXmlError:
            root = None  # the handler refuses it as it would any unreadable body
        if root is not None:
            for node in root.iter("TelephoneNumber"):
                node.text = _ten(node.text or "")
            body = _xml.to_bytes(root)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return Request(environ)


def response_out(response: Response) -> Response:
    """Every ten-digit ``TelephoneNumber`` as E.164; the ``Location`` on the UP path."""
    location = response.headers.get("Location")
    if location:
        response.headers["Location"] = re.sub(
            r"/(importTnOrders|removeImportedTnOrders)/(?!messaging/)", r"/\1/messaging/", location
        )
    body = response.get_data()
    if b"TelephoneNumber" not in body or not (response.mimetype or "").endswith("xml"):
        return response
    root = _xml.parse(body)
    for node in root.iter("TelephoneNumber"):
        text = (node.text or "").strip()
        if _TEN.match(text):
            node.text = "+1" + text
    response.set_data(_xml.to_bytes(root))
    return response
