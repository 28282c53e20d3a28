"""The resources the plugin serves: one row per public resource, tying its ``bandwidth:index``
token to the lifecycle core that runs it and the classes its schema is read from.

What differs between a dynamic program and a native one is said here, once per resource: the
outputs that are secret (the Python constructors list them in ``additional_secret_outputs``).
Inputs a Python constructor derives from the stack and name the core's ``check`` fills in from
the URN (:class:`~bw_pulumi.core.lifecycle.ResourceName`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType

from pulumi.dynamic import ResourceProvider

from ..core.base import CoreBase
from ..resources import (
    application,
    import_tn_order,
    location,
    location_messaging,
    messaging_application,
    phone_number,
    phone_number_bindings,
    subscription,
)

__all__ = ["PACKAGE", "RESOURCES", "ResourceSpec", "by_token", "urn_parts"]

PACKAGE = "bandwidth"


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: its token name, module (the dynamic provider, whose core the plugin drives,
    and the args and resource classes are found there by name), and its secret outputs."""

    name: str
    module: ModuleType
    secrets: frozenset[str] = frozenset()
    extra_types: tuple[str, ...] = field(default=())

    @property
    def token(self) -> str:
        return f"{PACKAGE}:index:{self.name}"

    @property
    def provider_class(self) -> type[ResourceProvider]:
        cls: type[ResourceProvider] = getattr(self.module, f"{self.name}Provider")
        return cls

    @property
    def core_class(self) -> type[CoreBase]:
        """The lifecycle core the plugin drives (the one the dynamic provider adapts)."""
        cls: type[CoreBase] = getattr(self.provider_class, "core_class")  # noqa: B009
        return cls

    @property
    def args_class(self) -> type:
        cls: type = getattr(self.module, f"{self.name}Args")
        return cls

    @property
    def resource_class(self) -> type:
        cls: type = getattr(self.module, self.name)
        return cls


RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec("Subscription", subscription, secrets=frozenset({"callback_password"})),
    ResourceSpec(
        "ImportTnOrder",
        import_tn_order,
        extra_types=("Subscriber", "ServiceAddress"),
    ),
    ResourceSpec("Application", application),
    ResourceSpec("PhoneNumber", phone_number),
    ResourceSpec("PhoneNumberBindings", phone_number_bindings),
    ResourceSpec(
        "MessagingApplication",
        messaging_application,
        secrets=frozenset({"inbound_callback_credentials", "outbound_callback_credentials"}),
        extra_types=("CallbackCredentials",),
    ),
    ResourceSpec("Location", location),
    ResourceSpec("LocationMessaging", location_messaging),
)

_BY_TOKEN: Mapping[str, ResourceSpec] = {spec.token: spec for spec in RESOURCES}


def by_token(token: str) -> ResourceSpec | None:
    return _BY_TOKEN.get(token)


def urn_parts(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, type token, name) of ``urn:pulumi:stack::project::[parent$]type::name``."""
    _, _, rest = urn.partition("urn:pulumi:")
    stack, project, qualified, name = rest.split("::", 3)
    return stack, project, qualified.rsplit("$", 1)[-1], name
