"""PhoneNumberBindings: many Dashboard numbers bound to one Catapult application, one resource."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from ..core.phone_number_bindings import INPUTS, OUTPUTS, PhoneNumberBindingsCore
from ._provider import BaseProvider, get_resource

__all__ = ["PhoneNumberBindings", "PhoneNumberBindingsArgs", "PhoneNumberBindingsProvider"]


class PhoneNumberBindingsProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.phone_number_bindings`."""

    core_class = PhoneNumberBindingsCore


PhoneNumberBindingsProvider.__module__ = "bw_pulumi"


@dataclass
class PhoneNumberBindingsArgs:
    """Inputs of :class:`PhoneNumberBindings`; every change updates in place.

    Attributes:
        application_id: Required. The Catapult application every number is bound to.
            Updates: a new one moves every number to it in place.
        telephone_numbers: Required. Numbers in service on the Dashboard account, any common
            form (stored sorted as E.164). Updates: added ones bound, dropped ones unbound.
        name_prefix: Catapult label of each binding: the prefix and the 10-digit number;
            default none (no label sent). Updates (relabels every number).
        allow_partial: Succeed when some numbers fail, listing them in ``failed_numbers``;
            default false (undo the step and fail). Updates.
        adopt_existing: Take over numbers already on the Catapult user; destroy then
            releases them. Default false; read at the next step that binds.
        wait_timeout: Seconds a create or update may spend binding (paced to Catapult's
            import budget); default no limit. Read at the next step, never a diff.
    """

    application_id: pulumi.Input[str]
    """The Catapult application every number is bound to; a new one moves them in place."""
    telephone_numbers: pulumi.Input[list[str]]
    """Numbers in service on the Dashboard account, in any common form (stored as E.164)."""
    name_prefix: pulumi.Input[str] | None = None
    """Catapult label of each binding: the prefix and the 10-digit number."""
    allow_partial: pulumi.Input[bool] | None = None
    """Succeed when some numbers fail, listing them in ``failed_numbers``; else undo and fail."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over numbers already on the Catapult user; destroy then releases them."""
    wait_timeout: pulumi.Input[float] | None = None
    """Seconds a create or update may spend binding (paced to Catapult's import budget)."""


class PhoneNumberBindings(Resource, module="bandwidth", name="PhoneNumberBindings"):
    """Binds many hosted numbers to one Catapult application in one engine step.

    Numbers are bound many at once within Catapult's import budget (burst 800, then 100 per
    minute), each confirmed in service on the Dashboard first. Updates bind only added numbers,
    unbind only dropped ones, and move every number in place to a new ``application_id``. A
    failed or interrupted step leaves nothing unrecorded: it undoes what it bound (unless
    ``allow_partial``), and the next ``up`` resumes an interrupted one. Refresh reports numbers
    unbound, moved to another application (no longer this stack's: forgotten, and left bound
    there by destroy) or out of service; the next ``up`` repairs the bindings that are ours.

    The id is the application id at creation: ``PhoneNumberBindings.get(name, application_id)``
    reads every number bound to that application (read-only; destroy leaves them alone).

    Outputs:
        application_id: The Catapult application every number is bound to (the id at create).
        telephone_numbers: The numbers to bind, sorted, in E.164 form.
        name_prefix: The prefix of each binding's Catapult label, if set.
        allow_partial: Whether a step succeeds with some numbers failed, if set.
        number_ids: Catapult's id of each bound number (``n-...``), keyed by E.164 number.
        in_service: Whether the Dashboard had each bound number in service, keyed likewise.
        failed_numbers: ``{number, code, description}`` per number the last step could not
            bind (with ``allow_partial``).
    """

    application_id: pulumi.Output[str]
    """The Catapult application every number is bound to (the resource id at creation)."""
    telephone_numbers: pulumi.Output[list[str]]
    """The numbers to bind, sorted, in E.164 form (``+1`` and ten digits)."""
    name_prefix: pulumi.Output[str | None]
    """The prefix of each binding's Catapult label (the prefix and the 10-digit number), if set."""
    allow_partial: pulumi.Output[bool | None]
    """Whether a step succeeds with some numbers failed (listed in ``failed_numbers``)."""
    number_ids: pulumi.Output[dict[str, str]]
    """Catapult's id of each bound number (``n-...``), keyed by the E.164 number."""
    in_service: pulumi.Output[dict[str, bool]]
    """Whether the Dashboard had each bound number in service when last bound or refreshed."""
    failed_numbers: pulumi.Output[list[dict[str, str]]]
    """Numbers the last step could not bind (``allow_partial``): ``number``, ``code``,
    ``description``."""

    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberBindingsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Many hosted numbers bound to one Catapult application, in one engine step.

        ``help(PhoneNumberBindings)`` lists its outputs,
        ``help(PhoneNumberBindingsArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`PhoneNumberBindingsArgs`).
            opts: Pulumi resource options (``depends_on`` on the ImportTnOrder, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props.update(dict.fromkeys(OUTPUTS))
        super().__init__(PhoneNumberBindingsProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> PhoneNumberBindings:
        """Every number bound to application ``id``, read-only (the state marks it external)."""
        return get_resource(
            PhoneNumberBindings,
            PhoneNumberBindingsProvider(),
            resource_name,
            id,
            (*INPUTS, *OUTPUTS),
            opts,
        )
