"""HTTP primitives the wire modules share: XML and JSON bodies, empty answers, error bodies.

Only primitives live here; each API's modules write their own element names (style habit 2b).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from lxml import etree
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.errors import EmulatorFault

__all__ = [
    "BadXml",
    "Route",
    "empty",
    "faults_as",
    "flat_errors",
    "json_error",
    "json_response",
    "parse_xml",
    "route",
    "status_error",
    "xml_response",
]

XML = "application/xml"
H = TypeVar("H", bound=Callable[..., Response])
#: One route: a werkzeug rule (its endpoint names the route) and the handler it runs.
Route = tuple[Rule, Callable[..., Response]]


def route(method: str, path: str, endpoint: str, handler: Callable[..., Response]) -> Route:
    return Rule(path, endpoint=endpoint, methods=[method]), handler


def faults_as(form: Callable[[EmulatorFault], Response]) -> Callable[[H], H]:
    """Render the handler's :class:`EmulatorFault`\\ s with ``form``: its API's (and, on the
    Dashboard, its route's) error shape. Each API defines its forms in one place."""

    def wrap(handler: H) -> H:
        @functools.wraps(handler)
        def run(*args: Any, **values: Any) -> Response:
            try:
                return handler(*args, **values)
            except EmulatorFault as fault:
                return form(fault)

        return run  # type: ignore[return-value]

    return wrap


class BadXml(Exception):
    """The request body is not XML we accept."""


def parse_xml(request: Request) -> etree._Element:
    try:
        return _xml.parse(request.get_data())
    except _xml.UnsafeXmlError as exc:
        raise BadXml(str(exc)) from None


def xml_response(
    root: etree._Element, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(_xml.to_bytes(root), status=status, headers=headers, content_type=XML)


def empty(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status=status, headers=headers)


def status_error(root: str, status: int, code: int | None, description: str) -> Response:
    """``{X}Response > ResponseStatus > ErrorCode?, Description`` (API doc 1.5 shapes 1 and 2)."""
    body = _xml.element(
        root, _xml.element("ResponseStatus", ("ErrorCode", code), ("Description", description))
    )
    return xml_response(body, status)


def flat_errors(
    root: str,
    errors: Iterable[tuple[int, str]],
    *,
    processing_status: str | None = None,
    status: int = 400,
) -> Response:
    """Repeated flat ``Errors > Code, Description`` (API doc 1.5 shape 3)."""
    body = _xml.element(
        root,
        ("ProcessingStatus", processing_status),
        *(_xml.element("Errors", ("Code", code), ("Description", text)) for code, text in errors),
    )
    return xml_response(body, status)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def json_error(
    status: int,
    category: str,
    code: str,
    message: str,
    details: list[dict[str, str]] | None = None,
) -> Response:
    """Catapult error ``{category, code, message, details}`` (API doc 9)."""
    return json_response(
        {"category": category, "code": code, "message": message, "details": details or []},
        status,
    )
