"""Input validation for ImportTnOrder: numbers and subscriber, as ``CheckFailure``s by field.

No network: ``check`` runs on every preview. Unknown values (preview) pass through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._numbers import InvalidNumber, to_ten_digits
from ._provider import Failures, as_text, is_unknown

__all__ = ["ADDRESS_REQUIRED", "MAX_SUBSCRIBER_NAME", "check_numbers", "check_subscriber"]

ADDRESS_REQUIRED = ("house_number", "street_name", "city", "state_code", "zip")
#: Bandwidth's limit on the subscriber name (bandwidth-api.md 4.1).
MAX_SUBSCRIBER_NAME = 45


def check_numbers(failures: Failures, value: Any) -> Any:
    """Normalize to sorted 10-digit numbers; invalid and duplicate entries are failures."""
    if is_unknown(value) and not isinstance(value, list):
        return value
    if not isinstance(value, list) or not value:
        failures.add("telephone_numbers", "telephone_numbers must be a non-empty list of numbers")
        return value
    if any(is_unknown(v) for v in value):
        return value
    seen: dict[str, str] = {}
    for raw in value:
        try:
            tn = to_ten_digits(raw if isinstance(raw, str) else as_text(raw))
        except InvalidNumber as exc:
            failures.add("telephone_numbers", str(exc))
            continue
        if tn in seen:
            failures.add("telephone_numbers", f"{raw!r} duplicates {seen[tn]!r} (both are {tn})")
        seen.setdefault(tn, raw)
    return sorted(seen)


def check_subscriber(failures: Failures, sub: Any) -> Any:
    """Require name and address parts; upper-case a two-letter state code."""
    if is_unknown(sub):
        return sub
    if not isinstance(sub, Mapping):
        failures.add("subscriber", "subscriber (name and service_address) is required")
        return sub
    name = sub.get("name")
    if not is_unknown(name) and (not isinstance(name, str) or not name.strip()):
        failures.add("subscriber.name", "subscriber.name is required")
    elif isinstance(name, str) and len(name) > MAX_SUBSCRIBER_NAME:
        failures.add("subscriber.name", f"subscriber.name is over {MAX_SUBSCRIBER_NAME} characters")
    address = sub.get("service_address")
    if is_unknown(address):
        return sub
    if not isinstance(address, Mapping):
        failures.add("subscriber.service_address", "subscriber.service_address is required")
        return sub
    clean = dict(address)
    for part in ADDRESS_REQUIRED:
        value = address.get(part)
        if is_unknown(value):
            continue
        if value is None or not as_text(value):
            failures.add(f"subscriber.service_address.{part}", f"{part} is required")
        else:
            clean[part] = as_text(value)
    state = clean.get("state_code")
    if isinstance(state, str) and state:
        if not re.fullmatch(r"[A-Za-z]{2}", state):
            failures.add(
                "subscriber.service_address.state_code",
                f"state_code must be two letters such as 'NC'; got {state!r}",
            )
        else:
            clean["state_code"] = state.upper()
    return {**sub, "service_address": clean}
