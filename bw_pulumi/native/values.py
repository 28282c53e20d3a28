"""Values between the engine's wire form and the plain dicts the lifecycle code works on.

The lifecycle cores see snake_case keys, plain Python values, and the core's ``UNKNOWN`` for a
value not known in preview (a read names the keys it returns as secret). The engine and
generated SDKs see the schema's camelCase names and :class:`PropertyValue`. Conversion is exact
both ways for every name the resources use (``incoming_message_url`` <-> ``incomingMessageUrl``,
``zone1`` <-> ``zone1``).

Map-valued properties (``number_ids``: number -> id) keep their keys: they are data, not names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference
from pulumi.runtime import rpc

from ..core.lifecycle import UNKNOWN, UnknownValue

__all__ = [
    "from_property_map",
    "snake_case",
    "to_camel",
    "to_property_map",
    "to_snake",
]

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def camel_case(name: str) -> str:
    """``incoming_message_url`` -> ``incomingMessageUrl``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake_case(name: str) -> str:
    """``incomingMessageUrl`` -> ``incoming_message_url`` (the inverse of :func:`camel_case`)."""
    return _UPPER.sub(lambda m: "_" + m[1].lower(), name)


def _convert(value: Any, rename: Any, maps: Collection[str], path: str = "") -> Any:
    if isinstance(value, Mapping):
        if path in maps:
            return {k: _convert(v, rename, maps, path + ".*") for k, v in value.items()}
        return {
            rename(k): _convert(v, rename, maps, f"{path}.{snake_case(k)}".lstrip("."))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_convert(v, rename, maps, path + "[]") for v in value]
    return value


def to_camel(props: Mapping[str, Any], maps: Collection[str] = ()) -> dict[str, Any]:
    """snake_case keys (at every depth) to camelCase; ``maps`` names map-valued paths."""
    return dict(_convert(dict(props), camel_case, maps))


def to_snake(props: Mapping[str, Any], maps: Collection[str] = ()) -> dict[str, Any]:
    """camelCase keys (at every depth) to snake_case; ``maps`` names map-valued paths."""
    return dict(_convert(dict(props), snake_case, maps))


def _plain(value: PropertyValue) -> Any:
    # Numbers stay floats, as the dynamic server hands them over (protobuf has only doubles):
    # the providers' checks already take whole floats for ints.
    inner = value.value
    # Without acceptOutputs the engine sends an unknown as the SDK's sentinel string, which
    # PropertyValue.unmarshal keeps as a string.
    if isinstance(inner, Computed) or inner == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(inner, (list, tuple)):
        return [_plain(v) for v in inner]
    if isinstance(inner, Mapping):
        return {k: _plain(v) for k, v in inner.items()}
    if isinstance(inner, ResourceReference):
        return _plain(inner.resource_id) if inner.resource_id is not None else inner.urn
    return inner


def from_property_map(props: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Engine values to plain ones: secrets unwrapped (the engine re-marks outputs from secret
    inputs, and the schema's secret flags mark the rest), unknowns as ``UNKNOWN``."""
    return {k: _plain(v) for k, v in props.items()}


def _value(value: Any, secret: bool = False) -> PropertyValue:
    if isinstance(value, UnknownValue):
        # PropertyValue.computed() cannot be marshalled; the wire's unknown sentinel can.
        pv = PropertyValue(rpc.UNKNOWN)
    elif isinstance(value, Mapping):
        pv = PropertyValue({k: _value(v) for k, v in value.items() if v is not None})
    elif isinstance(value, (list, tuple)):
        pv = PropertyValue([_value(v) for v in value])
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        pv = PropertyValue(value) if value is not None else PropertyValue.null()
    elif isinstance(value, (int, float)):
        pv = PropertyValue(float(value))
    else:
        pv = PropertyValue(str(value))
    return pv.with_secret(True) if secret else pv


def to_property_map(
    props: Mapping[str, Any], secrets: Collection[str] = ()
) -> dict[str, PropertyValue]:
    """Plain values to engine values, ``None`` dropped; the named top-level keys marked secret."""
    return {k: _value(v, k in secrets) for k, v in props.items() if v is not None}
