"""PhoneNumber: a Dashboard number bound to a Catapult application (Catapult ``/phoneNumbers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.phone_number import INPUTS, NumberNotInService, PhoneNumberCore
from ._provider import BaseProvider, get_resource

__all__ = ["NumberNotInService", "PhoneNumber", "PhoneNumberArgs", "PhoneNumberProvider"]


class PhoneNumberProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.phone_number`."""

    core_class = PhoneNumberCore


PhoneNumberProvider.__module__ = "bw_pulumi"


@dataclass
class PhoneNumberArgs:
    """Inputs of :class:`PhoneNumber`. ``number`` replaces; the others update in place.

    Attributes:
        number: Required. The number in any common form (stored as E.164); it must be in
            service on the Dashboard account. Replaces (the old binding is deleted first).
        application_id: Required. The Catapult application that receives its messages.
            Updates (the number moves in place).
        name: A label shown in Catapult; default none (Catapult's label stands). Updates.
        adopt_existing: Take over the number if it is already on the Catapult user; destroy
            then releases it. Default false; read only at create.
    """

    number: pulumi.Input[str]
    """The number, in any common form (stored as E.164)."""
    application_id: pulumi.Input[str]
    """The Catapult application that receives this number's messages."""
    name: pulumi.Input[str] | None = None
    """A label shown in Catapult."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over the number if it is already on the Catapult user; destroy then releases it."""


class PhoneNumber(Resource, module="bandwidth", name="PhoneNumber"):
    """Binds one hosted number to a Catapult application (a ``bandwidth-dashboard`` import).

    Create requires the number in service on the Dashboard account (import it with
    :class:`ImportTnOrder` first) and paces itself to Catapult's documented import budget.
    Changing ``number`` replaces the binding (delete first); ``application_id`` and ``name``
    update in place. Refresh reports a binding deleted outside Pulumi (re-created by the next
    ``up``), a number moved to another application (no longer this stack's: forgotten, left
    bound there by destroy, taken back only with ``adopt_existing``), and ``in_service`` from
    the Dashboard. The PhoneNumbers of one application read their binding from one shared, paged
    Catapult list per refresh (pages of 1000), not one request each.

    Outputs:
        number_id: Catapult's id of the number (``n-...``, also the resource id).
        number: The number in E.164 form (``+1`` and ten digits).
        national_number: The number in national format, ``(919) 555-0100``.
        application_id: The Catapult application that receives its messages.
        name: The label shown in Catapult, if set.
        in_service: Whether the Dashboard had the number in service when last checked.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_existing=True`` to take over a number already on the Catapult user; ``pulumi
    destroy`` then releases it.
    """

    number_id: pulumi.Output[str]
    """Catapult's id of the number (``n-...``, also the resource id)."""
    number: pulumi.Output[str]
    """The number in E.164 form (``+1`` and ten digits)."""
    national_number: pulumi.Output[str]
    """The number in national format, ``(919) 555-0100``."""
    application_id: pulumi.Output[str]
    """The Catapult application that receives this number's messages."""
    name: pulumi.Output[str | None]
    """The label shown in Catapult, if set."""
    in_service: pulumi.Output[bool]
    """Whether the Dashboard had the number in service when last created or refreshed."""

    def __init__(
        self, resource_name: str, args: PhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """One hosted number bound to a Catapult application.

        ``help(PhoneNumber)`` lists its outputs, ``help(PhoneNumberArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`PhoneNumberArgs`).
            opts: Pulumi resource options (``depends_on`` on the ImportTnOrder, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props.update(number_id=None, national_number=None, in_service=None)
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(PhoneNumberProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> PhoneNumber:
        """Look up an existing PhoneNumber by id, read-only: every field comes from Bandwidth, the
        state marks it external and ``destroy`` leaves it alone."""
        return get_resource(
            PhoneNumber,
            PhoneNumberProvider(),
            resource_name,
            id,
            (*INPUTS, "number_id", "national_number", "in_service"),
            opts,
        )
