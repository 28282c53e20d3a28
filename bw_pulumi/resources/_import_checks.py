"""Input validation for ImportTnOrder, as ``CheckFailure``s by field.

No network: ``check`` runs on every preview. Unknown values (preview) pass through untouched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from .._numbers import to_ten_digits
from ..core.values import Failures, as_text, check_number_list, is_unknown

__all__ = [
    "ADDRESS_REQUIRED",
    "COID",
    "MAX_SUBSCRIBER_NAME",
    "check_ids",
    "check_numbers",
    "check_order_inputs",
    "check_subscriber",
    "positive_id",
]

ADDRESS_REQUIRED = ("house_number", "street_name", "city", "state_code", "zip")
#: Bandwidth's limit on the subscriber name (bandwidth-api.md 4.1).
MAX_SUBSCRIBER_NAME = 45
#: Bandwidth: letters, digits, dashes and spaces, at most 40 characters (bandwidth-api.md 4.1).
COID = re.compile(r"^[A-Za-z0-9 -]{1,40}$")
_DIGITS = re.compile(r"[0-9]+")
_ID_NAMES = {"site_id": "site (sub-account)", "sip_peer_id": "SIP peer (location)"}


def check_numbers(failures: Failures, value: Any, checked: Any = None) -> Any:
    """Normalize to sorted 10-digit numbers (the Dashboard's form); at least one. ``checked``:
    the list as the last check returned it."""
    return check_number_list(failures, value, to_ten_digits, checked=checked)


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


def positive_id(value: Any) -> str | None:
    """The text of a positive whole-number id, or ``None`` when ``value`` is not one.

    Dashboard site and SIP peer ids are integers. Bandwidth refuses anything else only in the
    import order itself (7309), after ``up`` has created the stack's other resources, so
    ``check`` refuses it first. Whole floats count: protobuf turns a program's ``14`` into 14.0.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value > 0 else None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and value > 0 else None
    if isinstance(value, str):
        text = value.strip()
        return text if _DIGITS.fullmatch(text) and int(text) > 0 else None
    return None


def check_ids(failures: Failures, news: Mapping[str, Any], inputs: dict[str, Any]) -> None:
    """``site_id`` (required) and ``sip_peer_id`` (optional): positive whole numbers, as text."""
    for prop, required in (("site_id", True), ("sip_peer_id", False)):
        value = news.get(prop)
        if is_unknown(value) or (value is None and not required):
            continue
        if required and (value is None or not as_text(value)):
            failures.add(prop, f"{prop} is required")
            continue
        text = positive_id(value)
        if text is None:
            failures.add(
                prop,
                f"{prop} must be a positive whole number (a Dashboard {_ID_NAMES[prop]} id such "
                f"as 14); got {value!r}",
            )
        else:
            inputs[prop] = text


def check_order_inputs(
    news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], Failures]:
    """Every ImportTnOrder input checked and normalized; failures name the input."""
    inputs = dict(news)
    failures = Failures()
    checked = (olds or {}).get("telephone_numbers")
    inputs["telephone_numbers"] = check_numbers(failures, news.get("telephone_numbers"), checked)
    inputs["subscriber"] = check_subscriber(failures, news.get("subscriber"))
    check_ids(failures, news, inputs)
    person = news.get("loa_authorizing_person")
    if not is_unknown(person) and (person is None or not as_text(person)):
        failures.add("loa_authorizing_person", "loa_authorizing_person is required")
    elif not is_unknown(person):
        inputs["loa_authorizing_person"] = as_text(person)
    _check_options(failures, news)
    return inputs, failures


def _check_options(failures: Failures, news: Mapping[str, Any]) -> None:
    """The inputs that only shape later orders: customer order id, timeout, flags, LOA file."""
    coid = news.get("customer_order_id")
    if coid is not None and not is_unknown(coid) and not COID.match(str(coid)):
        failures.add(
            "customer_order_id",
            f"customer_order_id must be 1-40 letters, digits, dashes or spaces; got {coid!r}",
        )
    timeout = news.get("wait_timeout")
    bad_timeout = isinstance(timeout, bool) or not isinstance(timeout, (int, float))
    if timeout is not None and not is_unknown(timeout) and (bad_timeout or timeout <= 0):
        failures.add("wait_timeout", f"wait_timeout must be positive seconds; got {timeout!r}")
    for flag in ("check_importability", "allow_partial"):
        value = news.get(flag)
        if value is not None and not is_unknown(value) and not isinstance(value, bool):
            failures.add(flag, f"{flag} must be true or false; got {value!r}")
    loa = news.get("loa_file")
    if loa is not None and not is_unknown(loa) and not os.path.isfile(str(loa)):
        failures.add("loa_file", f"loa_file {loa!r} is not a readable file")
