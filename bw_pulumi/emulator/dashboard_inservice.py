"""Dashboard wire format, part 4: inserviceNumbers (account-wide and per site).

Shapes follow bandwidth-api.md section 6 and the captured fixtures: ``TNs > TotalCount, Links,
TelephoneNumbers``; 204 when nothing matches; 404 with no body when the search is invalid.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlencode

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator.state import World
from bw_pulumi.emulator.wire import Context, empty, xml_response

__all__ = ["HANDLERS", "RULES"]

#: Real ``Links`` point at production whatever host was asked (API doc 1.1/1.7); clients rebase.
LINK_BASE = "https://dashboard.bandwidth.com:443/v1.0"
DEFAULT_PAGE_SIZE = 500  # real first links show size=500 (API doc 6; the SPEC says 300)
_CURSOR_DIGITS = 10


class _InvalidSearch(Exception):
    """A query the real list refuses: "404 when the search parameters are invalid" (API doc 6)."""


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # date filters are yyyy-MM-dd (API doc 1.8)
    except ValueError:
        raise _InvalidSearch(value) from None


def _matches(world: World, args: dict[str, str], site_id: str | None) -> list[str]:
    """The in-service TNs the filters select, sorted (the cursor below relies on the order)."""
    if args.get("ratecenter") and not args.get("state"):
        # "ratecenter (requires state, otherwise the query fails)" (API doc 6); the failure it
        # documents for invalid search parameters is a 404 without a body (API doc 1.5 form 7).
        raise _InvalidSearch("ratecenter")
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


def _list(ctx: Context, request: Request, account_id: str, site_id: str | None) -> Response:
    # Filter names are folded to lower case: their case handling is unverified (API doc 6, 15).
    args = {k.lower(): v for k, v in request.args.items()}
    try:
        size = int(args.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = -1
    cursor = args.get("page", "1")
    valid_cursor = cursor == "1" or (cursor.isdigit() and len(cursor) == _CURSOR_DIGITS)
    try:
        if size < 1 or not valid_cursor:
            raise _InvalidSearch("page/size")
        with ctx.store.read() as world:
            matches = _matches(world, args, site_id)
    except _InvalidSearch:
        return empty(404)  # empty body (API doc 6)
    if not matches:
        return empty(204)  # nothing matches: 204 No Content (API doc 6)
    # ``page`` is an opaque cursor (API doc 1.7): the last TN of the previous page, as /tns does.
    # A real inserviceNumbers next link was never captured, so this cursor form is unverified.
    after = [tn for tn in matches if cursor == "1" or tn > cursor]
    page = after[:size]
    path = f"{LINK_BASE}/accounts/{account_id}"
    path += f"/sites/{site_id}/inserviceNumbers" if site_id is not None else "/inserviceNumbers"
    filters = {k: v for k, v in request.args.items() if k.lower() not in ("page", "size")}

    def link(params: dict[str, str], rel: str) -> str:
        return f'Link=<{path}?{urlencode({**filters, **params})}>;rel="{rel}";'

    links: list[_xml.XmlChild] = [("first", link({"size": str(size), "page": "1"}, "first"))]
    if len(after) > size:
        links.append(("next", link({"page": page[-1], "size": str(size)}, "next")))
    body = _xml.element(
        "TNs",
        ("TotalCount", len(matches)),
        _xml.element("Links", *links),
        # Count is this page's size, TotalCount all matches: read off the discNumbers fixtures
        # (TotalCount 4, Count 2), so the meaning of Count is inferred (API doc 6).
        _xml.element(
            "TelephoneNumbers", ("Count", len(page)), *_xml.repeated("TelephoneNumber", page)
        ),
    )
    return xml_response(body)


def list_in_service(ctx: Context, request: Request, account_id: str) -> Response:
    return _list(ctx, request, account_id, None)


def list_site_in_service(ctx: Context, request: Request, account_id: str, site_id: str) -> Response:
    """``/sites/{siteId}/inserviceNumbers`` "also exists" (API doc 6): the same list, one site."""
    return _list(ctx, request, account_id, site_id)


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
    Rule(f"{_A}/inserviceNumbers", endpoint="dashboard.inservice.list", methods=["GET"]),
    Rule(f"{_A}/inserviceNumbers/totals", endpoint="dashboard.inservice.totals", methods=["GET"]),
    Rule(f"{_A}/inserviceNumbers/<tn>", endpoint="dashboard.inservice.get", methods=["GET"]),
    Rule(
        f"{_A}/sites/<site_id>/inserviceNumbers",
        endpoint="dashboard.inservice.site_list",
        methods=["GET"],
    ),
]

HANDLERS: dict[str, Any] = {
    "dashboard.inservice.list": list_in_service,
    "dashboard.inservice.totals": in_service_totals,
    "dashboard.inservice.get": in_service_one,
    "dashboard.inservice.site_list": list_site_in_service,
}
