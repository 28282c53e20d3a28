"""The plugin's Pulumi package schema, read off the Python resources themselves.

Each resource's inputs are its ``XArgs`` dataclass fields, its outputs the ``pulumi.Output``
annotations of its class, their descriptions the attribute docstrings beside them: the schema
cannot drift from what the dynamic resources accept and return. Names become camelCase
(``incoming_message_url`` -> ``incomingMessageUrl``); generated SDKs turn them back into each
language's convention (snake_case in Python).
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import re
import textwrap
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from .._version import version
from ..config import SETTINGS_KEYS
from .registry import PACKAGE, RESOURCES, ResourceSpec
from .values import camel_case

__all__ = ["map_paths", "schema", "schema_json"]

_SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
_ANY = {"$ref": "pulumi.json#/Any"}
_SECRET_CONFIG = {"password", "api_token", "api_secret", "client_secret"}
_DYNAMIC_IMPORT = re.compile(r"\n\s*Import: .*", re.DOTALL)
#: The docstrings' per-field sections for help(): the schema describes each property instead.
_FIELD_SECTION = re.compile(r"\n\n(?:Attributes|Outputs):(?:\n .*)+")
Spec = dict[str, Any]


def _type_token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


def _strip(node: ast.expr) -> tuple[ast.expr, bool]:
    """The annotation without ``pulumi.Input[...]``/``pulumi.Output[...]`` and ``| None``; and
    whether ``None`` was allowed."""
    optional = False
    while True:
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.BitOr)
            and isinstance(node.right, ast.Constant)
            and node.right.value is None
        ):
            node, optional = node.left, True
            continue
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) in (
            "pulumi.Input",
            "pulumi.Output",
        ):
            node = node.slice
            continue
        return node, optional


def _type_of(node: ast.expr, module: Any) -> Spec:
    node, _ = _strip(node)
    if isinstance(node, ast.Name):
        if node.id in _SCALARS:
            return {"type": _SCALARS[node.id]}
        if is_dataclass(getattr(module, node.id, None)):
            return {"$ref": f"#/types/{_type_token(node.id)}"}
        return dict(_ANY)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        outer, inner = node.value.id, node.slice
        if outer in ("list", "Sequence"):
            return {"type": "array", "items": _type_of(inner, module)}
        if outer in ("dict", "Mapping") and isinstance(inner, ast.Tuple):
            value = _type_of(inner.elts[1], module)
            return {"type": "object", "additionalProperties": value} if value != _ANY else _ANY
    return dict(_ANY)


def _attributes(cls: type) -> dict[str, tuple[ast.expr, str]]:
    """Each annotated attribute of ``cls``: its annotation and the docstring under it."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    found: dict[str, tuple[ast.expr, str]] = {}
    for i, stmt in enumerate(body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            nxt = body[i + 1] if i + 1 < len(body) else None
            doc = ""
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                doc = inspect.cleandoc(str(nxt.value.value))
            found[stmt.target.id] = (stmt.annotation, doc)
    return found


def _description(cls: type) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    return _DYNAMIC_IMPORT.sub("", _FIELD_SECTION.sub("", doc)).strip()


def _object(cls: type, module: Any, secrets: frozenset[str] = frozenset()) -> Spec:
    attrs = _attributes(cls)
    props: Spec = {}
    for name, (annotation, doc) in attrs.items():
        prop = {**_type_of(annotation, module), "description": doc}
        if name in secrets or "password" in name:
            prop["secret"] = True
        props[camel_case(name)] = prop
    required = [
        camel_case(f.name)
        for f in fields(cls)
        if f.default is MISSING and f.default_factory is MISSING
    ]
    return {
        "type": "object",
        "description": _description(cls),
        "properties": props,
        "required": required,
    }


def _resource(spec: ResourceSpec) -> Spec:
    module = spec.module
    inputs = _object(spec.args_class, module, spec.secrets)
    outputs: Spec = {}
    required: list[str] = []
    for name, (annotation, doc) in _attributes(spec.resource_class).items():
        key = camel_case(name)
        prop = dict(inputs["properties"].get(key) or _type_of(annotation, module))
        prop["description"] = doc or prop.get("description", "")
        if name in spec.secrets or "password" in name:
            prop["secret"] = True
        outputs[key] = prop
        if not _strip(annotation)[1] and not _optional_inner(annotation):
            required.append(key)
    description = _description(spec.resource_class) + (
        f"\n\nImport: `pulumi import {spec.token} <name> <id>`; the id is the one this "
        "resource's state carries."
    )
    return {
        "description": description,
        "inputProperties": inputs["properties"],
        "requiredInputs": inputs["required"],
        "properties": outputs,
        "required": required,
    }


def _optional_inner(annotation: ast.expr) -> bool:
    """``pulumi.Output[str | None]``: optional inside the Output."""
    if isinstance(annotation, ast.Subscript):
        return _strip(annotation.slice)[1]
    return False


def _config() -> Spec:
    variables: Spec = {}
    for attr, (key, env) in SETTINGS_KEYS.items():
        prop: Spec = {
            "type": "string",
            "description": f"`{key}`; environment variable `{env}` when unset.",
        }
        if attr in _SECRET_CONFIG:
            prop["secret"] = True
        variables[key.split(":", 1)[1]] = prop
    return variables


@functools.lru_cache(maxsize=1)
def schema() -> Spec:
    """The whole package schema (cached: it is read off source once per process)."""
    types: Spec = {}
    for spec in RESOURCES:
        for name in spec.extra_types:
            cls = getattr(spec.module, name)
            types[_type_token(name)] = _object(cls, spec.module)
    config = _config()
    return {
        "name": PACKAGE,
        "displayName": "Bandwidth",
        "version": version(),
        "description": "Bandwidth hosted messaging (Dashboard, Catapult and the current "
        "platform) as Pulumi resources, served by bw-pulumi's native plugin.",
        "repository": "https://github.com/bw-pulumi/bw-pulumi",
        "config": {"variables": config},
        "provider": {
            "description": "Bandwidth credentials and API base URLs.",
            "inputProperties": config,
        },
        "types": types,
        "resources": {spec.token: _resource(spec) for spec in RESOURCES},
        "language": {
            "nodejs": {"packageName": "@bw-pulumi/bandwidth"},
            "python": {"packageName": "bw_pulumi_bandwidth"},
        },
    }


def schema_json() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True)


def map_paths(spec: ResourceSpec) -> frozenset[str]:
    """snake_case names of the resource's map-valued properties (their keys are data)."""
    res = schema()["resources"][spec.token]
    props = {**res["inputProperties"], **res["properties"]}
    return frozenset(
        re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m[1].lower(), key)
        for key, prop in props.items()
        if "additionalProperties" in prop
    )
