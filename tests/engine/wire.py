"""Property values as the engine sees them: secret markers, unknowns, and their wire form.

Plain Python data stands for property values, with `Secret(...)` marking a secret and `UNKNOWN`
a value not known during preview. `annotate_secrets` and `mark_secret` are the engine's rules
for carrying secretness from inputs to outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format, struct_pb2

# Wire markers from pulumi/runtime/rpc.py (the engine uses the same constants).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@dataclass(frozen=True)
class Secret:
    value: Any


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def secret(value: Any) -> Secret:
    return Secret(value)


def contains_secrets(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, dict):
        return any(contains_secrets(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secrets(v) for v in value)
    return False


def reveal(value: Any) -> Any:
    """The value without secret markers (what a provider with acceptSecrets=false gets)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def annotate_secrets(outs: Mapping[str, Any], ins: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's annotateSecrets: same-named outputs become secret when the input held one."""
    result = dict(outs)
    for key, in_value in ins.items():
        if key not in result:
            continue
        out_value = result[key]
        if isinstance(out_value, dict) and isinstance(in_value, dict):
            result[key] = annotate_secrets(out_value, in_value)
        elif not isinstance(out_value, Secret) and contains_secrets(in_value):
            result[key] = Secret(reveal(out_value))
    return result


def mark_secret(props: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The step executor's handling of `additional_secret_outputs` (top-level keys)."""
    result = dict(props)
    for key in keys:
        if key in result and not isinstance(result[key], Secret):
            result[key] = Secret(result[key])
    return result


def _encode(value: Any, keep_secrets: bool) -> Any:
    if isinstance(value, Secret):
        inner = _encode(value.value, keep_secrets)
        return {SIG_KEY: SECRET_SIG, "value": inner} if keep_secrets else inner
    if value is UNKNOWN:
        return UNKNOWN_WIRE
    if isinstance(value, dict):
        return {k: _encode(v, keep_secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v, keep_secrets) for v in value]
    return value


def to_struct(props: Mapping[str, Any], *, keep_secrets: bool) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    # The SDK never sends None-valued properties (rpc.serialize_properties drops them).
    struct.update({k: _encode(v, keep_secrets) for k, v in props.items() if v is not None})
    return struct


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return Secret(_decode(value.get("value")))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if value == UNKNOWN_WIRE:
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def from_struct(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    if struct is None:
        return {}
    decoded = _decode(json_format.MessageToDict(struct))
    assert isinstance(decoded, dict)
    return decoded
