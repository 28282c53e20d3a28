"""MessagingApplication's inputs: checked at preview, turned into the request spec, and the
live application turned back into inputs for drift.

Bandwidth facts from bandwidth-api-v2.md 2: AppName and InboundCallbackUrl are required (12806,
12802), URLs must be valid (12803), credentials need both a user id and a password (12800,
12977) and HTTPS (12812), and callback types come from a fixed set.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..clients.dashboard_apps_models import (
    CALLBACK_TYPES,
    CallbackCreds,
    MessagingApp,
    MessagingAppSpec,
)
from ..core.subscription import check_url
from ..core.values import Failures, is_unknown

__all__ = [
    "CREDENTIALS",
    "FIELDS",
    "check_inputs",
    "live_inputs",
    "spec_of",
]

#: Inputs echoed by Bandwidth, each updated in place.
FIELDS = (
    "app_name",
    "inbound_callback_url",
    "outbound_callback_url",
    "inbound_callback_credentials",
    "outbound_callback_credentials",
    "requested_callback_types",
)
#: credentials input -> the URL input it protects.
CREDENTIALS = {
    "inbound_callback_credentials": "inbound_callback_url",
    "outbound_callback_credentials": "outbound_callback_url",
}


def check_inputs(news: Mapping[str, Any]) -> tuple[dict[str, Any], Failures]:
    """Canonical inputs and every failure; unknowns (preview) pass through unchecked."""
    inputs = dict(news)
    failures = Failures()
    name = news.get("app_name")
    if not is_unknown(name) and (not isinstance(name, str) or not name.strip()):
        failures.add("app_name", "app_name is required (Bandwidth error 12806)")
    elif isinstance(name, str):
        inputs["app_name"] = name.strip()
    for prop, required in (("inbound_callback_url", True), ("outbound_callback_url", False)):
        if not is_unknown(news.get(prop)):
            inputs[prop] = check_url(failures, prop, news.get(prop), required=required)
    for prop, url_prop in CREDENTIALS.items():
        inputs[prop] = _check_credentials(failures, prop, news.get(prop), inputs.get(url_prop))
    types = news.get("requested_callback_types")
    inputs["requested_callback_types"] = _check_types(failures, types)
    adopt = news.get("adopt_application_id")
    if adopt is not None and not is_unknown(adopt) and not _is_uuid(adopt):
        # Bandwidth error 23020: "Application ID is not a valid UUID".
        failures.add("adopt_application_id", f"must be an application id (a UUID); got {adopt!r}")
    return {k: v for k, v in inputs.items() if v is not None}, failures


def _check_credentials(failures: Failures, prop: str, value: Any, url: Any) -> Any:
    if value is None or is_unknown(value):
        return value
    if not isinstance(value, Mapping):
        failures.add(prop, f"{prop} must be CallbackCredentials(user_id, password)")
        return None
    user, password = value.get("user_id"), value.get("password")
    for key, given in (("user_id", user), ("password", password)):
        if not is_unknown(given) and (not isinstance(given, str) or not given):
            # 12800 / 12977: Bandwidth saves neither half without the other.
            failures.add(prop, f"{prop} needs both user_id and password; {key} is missing")
    url_prop = CREDENTIALS[prop]
    if url is None:
        failures.add(prop, f"{prop} protects {url_prop}, which is not set")
    elif isinstance(url, str) and not is_unknown(url) and urlsplit(url).scheme.lower() != "https":
        failures.add(
            url_prop,
            f"{url_prop} must be https:// when {prop} is set (Bandwidth error 12812: HTTPS "
            "protocol is required if credentials are present)",
        )
    return {"user_id": user, "password": password}


def _check_types(failures: Failures, value: Any) -> Any:
    if value is None or is_unknown(value):
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) or is_unknown(v) for v in value):
        failures.add("requested_callback_types", f"must be a list of {list(CALLBACK_TYPES)}")
        return value
    if any(is_unknown(v) for v in value):
        return value
    unknown = [v for v in value if v not in CALLBACK_TYPES]
    if unknown:
        failures.add(
            "requested_callback_types",
            f"{unknown} not among Bandwidth's messaging callback types {list(CALLBACK_TYPES)}",
        )
    if len(set(value)) != len(value):
        failures.add("requested_callback_types", f"{value} lists a type twice")
    return sorted(set(value))


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _creds(value: Any) -> CallbackCreds | None:
    if not isinstance(value, Mapping) or not value.get("user_id"):
        return None
    return CallbackCreds(value["user_id"], value.get("password"))


def spec_of(inputs: Mapping[str, Any]) -> MessagingAppSpec:
    """The full request spec (passwords included: PUT replaces every field)."""
    types = inputs.get("requested_callback_types")
    return MessagingAppSpec(
        app_name=inputs["app_name"],
        inbound_callback_url=inputs["inbound_callback_url"],
        outbound_callback_url=inputs.get("outbound_callback_url"),
        inbound_credentials=_creds(inputs.get("inbound_callback_credentials")),
        outbound_credentials=_creds(inputs.get("outbound_callback_credentials")),
        requested_callback_types=tuple(types) if types is not None else None,
    )


def live_inputs(live: MessagingApp, state: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs the live application holds. Passwords are write-only (never echoed), so
    each comes from ``state`` while the live user id is the state's; never diffed from reads."""
    found: dict[str, Any] = {
        "app_name": live.app_name,
        "inbound_callback_url": live.inbound_callback_url,
        "outbound_callback_url": live.outbound_callback_url,
        "requested_callback_types": sorted(live.requested_callback_types) or None,
    }
    for prop, user in (
        ("inbound_callback_credentials", live.inbound_callback_user),
        ("outbound_callback_credentials", live.outbound_callback_user),
    ):
        if user:
            old = state.get(prop)
            creds = {"user_id": user}
            if isinstance(old, Mapping) and old.get("user_id") == user and old.get("password"):
                creds["password"] = old["password"]
            found[prop] = creds
    return {k: v for k, v in found.items() if v is not None}
