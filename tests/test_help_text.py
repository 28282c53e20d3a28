"""What ``help()`` shows for the public resources: every input and output named and described."""

from __future__ import annotations

import dataclasses
import pydoc
import re

import pytest

import bw_pulumi
from bw_pulumi.native.schema import schema

RESOURCES = [
    getattr(bw_pulumi, name)
    for name in bw_pulumi.__all__
    if f"{name}Args" in bw_pulumi.__all__ and f"{name}Provider" in bw_pulumi.__all__
]
INPUT_TYPES = [
    *(getattr(bw_pulumi, f"{cls.__name__}Args") for cls in RESOURCES),
    bw_pulumi.Subscriber,
    bw_pulumi.ServiceAddress,
    bw_pulumi.CallbackCredentials,
]


def _help(obj: object) -> str:
    return pydoc.render_doc(obj, renderer=pydoc.plaintext)


def _section(text: str, title: str) -> dict[str, str]:
    """The ``name: description`` entries of a Google-style section, continuation lines joined."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip(" |") == f"{title}:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip(" |"))
    entries: dict[str, str] = {}
    name = ""
    for line in lines[start + 1 :]:
        body = line.lstrip(" |")
        depth = len(line) - len(body)
        if not body or depth < indent:
            break
        entry = re.fullmatch(r"(\w+): (.+)", body)
        if depth == indent and entry:
            name = entry[1]
            entries[name] = entry[2]
        else:
            entries[name] += " " + body
    return entries


def _outputs(cls: type) -> list[str]:
    return [k for k, v in cls.__annotations__.items() if str(v).startswith("pulumi.Output[")]


def test_the_public_resources_are_all_found() -> None:
    assert sorted(cls.__name__ for cls in RESOURCES) == [
        "Application",
        "ImportTnOrder",
        "Location",
        "LocationMessaging",
        "MessagingApplication",
        "PhoneNumber",
        "PhoneNumberBindings",
        "Subscription",
    ]


@pytest.mark.parametrize("cls", INPUT_TYPES, ids=lambda c: c.__name__)
def test_help_of_an_input_type_describes_exactly_its_fields(cls: type) -> None:
    described = _section(_help(cls), "Attributes")
    assert sorted(described) == sorted(f.name for f in dataclasses.fields(cls))
    assert all(len(text.split()) >= 3 for text in described.values()), described


@pytest.mark.parametrize("cls", INPUT_TYPES, ids=lambda c: c.__name__)
def test_signature_help_finds_each_field_at_its_own_entry(cls: type) -> None:
    # Pyright (Pylance) shows, for the argument being typed, the first docstring line that
    # contains "<name>: " (its docStringUtils.extractParameterDocumentation): that must be
    # the field's own entry, not prose that happens to mention it.
    lines = [line.strip() for line in (cls.__doc__ or "").splitlines()]
    for field in dataclasses.fields(cls):
        first = next(line for line in lines if f"{field.name}: " in line)
        assert first.startswith(f"{field.name}: "), (field.name, first)


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_help_of_a_resource_describes_exactly_its_outputs(cls: type) -> None:
    described = _section(_help(cls), "Outputs")
    assert sorted(described) == sorted(_outputs(cls))
    assert all(len(text.split()) >= 3 for text in described.values()), described


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_help_of_a_resource_shows_its_own_constructor_not_pulumis(cls: type) -> None:
    text = _help(cls)
    assert "__provider" not in text
    assert ":param str provider" not in text
    args = _section(_help(cls.__init__), "Args")
    assert sorted(args) == ["args", "opts", "resource_name"]
    assert f"{cls.__name__}Args" in args["args"]


def test_every_input_says_whether_a_change_replaces_or_updates() -> None:
    undecided = {
        f"{cls.__name__}.{name}": text
        for cls in INPUT_TYPES
        if cls.__name__.endswith("Args")
        for name, text in _section(_help(cls), "Attributes").items()
        if not re.search(r"[Rr]eplace|[Uu]pdate|only at create|next step", text)
    }
    assert undecided == {}


def test_secret_inputs_say_they_are_secret() -> None:
    secrets = {
        "SubscriptionArgs": ["callback_password"],
        "MessagingApplicationArgs": [
            "inbound_callback_credentials",
            "outbound_callback_credentials",
        ],
        "CallbackCredentials": ["password"],
    }
    for cls in INPUT_TYPES:
        described = _section(_help(cls), "Attributes")
        for name in secrets.get(cls.__name__, []):
            assert "secret" in described[name].lower(), (cls.__name__, name)


def test_schema_descriptions_leave_the_field_sections_to_the_properties() -> None:
    doc = schema()
    described = [*doc["resources"].values(), *doc["types"].values()]
    assert described
    for spec in described:
        assert not re.search(r"^(Attributes|Outputs):", spec["description"], re.MULTILINE)
        assert "\n\n\n" not in spec["description"]
    for resource in doc["resources"].values():
        props = {**resource["inputProperties"], **resource["properties"]}
        assert all(prop["description"] for prop in props.values())
