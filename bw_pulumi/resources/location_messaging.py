"""LocationMessaging: a Location's SMS/MMS features and its assigned Messaging-V2 application
(``.../sippeers/{id}/products/messaging/{features/sms,features/mms,applicationSettings}``,
bandwidth-api-v2.md 3, steps 3, 4 and 6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.location_messaging import INPUTS, OUTPUTS, LocationMessagingCore
from ._provider import BaseProvider, get_resource

__all__ = ["LocationMessaging", "LocationMessagingArgs", "LocationMessagingProvider"]


class LocationMessagingProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.location_messaging`."""

    core_class = LocationMessagingCore


LocationMessagingProvider.__module__ = "bw_pulumi"


@dataclass
class LocationMessagingArgs:
    """Inputs of :class:`LocationMessaging`. ``site_id`` and ``sip_peer_id`` replace it; the
    rest update in place. SMS flags left unset keep what the Location has (new SMS: zone1 only).

    Attributes:
        site_id: Required. Dashboard Site of the Location. Replaces.
        sip_peer_id: Required. The Location (SIP peer) whose numbers get messaging. Replaces.
        application_id: Required. The MessagingApplication assigned to the Location. Updates.
        toll_free: SMS to and from toll-free numbers; default: as the Location has it.
            Updates.
        short_code: SMS to and from short codes; default: as the Location has it. Updates.
        zone1: SMS zone 1 (the US and Canada); Bandwidth requires it, so never false.
            Default: as the Location has it (on). Updates.
        zone2: SMS zone 2; default: as the Location has it (off when SMS is new). Updates.
        zone3: SMS zone 3; default: as the Location has it (off when SMS is new). Updates.
        zone4: SMS zone 4; default: as the Location has it (off when SMS is new). Updates.
        zone5: SMS zone 5; default: as the Location has it (off when SMS is new). Updates.
        mms: Also enable MMS over HTTP; default not asked for (MMS this resource did not
            enable stays as it is). Updates.
    """

    site_id: pulumi.Input[str]
    """Dashboard Site of the Location."""
    sip_peer_id: pulumi.Input[str]
    """The Location (SIP peer) whose numbers get messaging."""
    application_id: pulumi.Input[str]
    """The MessagingApplication (``application_id``) assigned to the Location."""
    toll_free: pulumi.Input[bool] | None = None
    """SMS to and from toll-free numbers."""
    short_code: pulumi.Input[bool] | None = None
    """SMS to and from short codes."""
    zone1: pulumi.Input[bool] | None = None
    """SMS zone 1 (the US and Canada); Bandwidth requires it, so it cannot be false."""
    zone2: pulumi.Input[bool] | None = None
    """SMS zone 2."""
    zone3: pulumi.Input[bool] | None = None
    """SMS zone 3."""
    zone4: pulumi.Input[bool] | None = None
    """SMS zone 4."""
    zone5: pulumi.Input[bool] | None = None
    """SMS zone 5."""
    mms: pulumi.Input[bool] | None = None
    """Also enable MMS (over HTTP)."""


class LocationMessaging(Resource, module="bandwidth", name="LocationMessaging"):
    """Messaging for every number in a Location: SMS (and optionally MMS) over HTTP, and the
    Messaging-V2 application their messages go to.

    Create enables what is missing (SMS, then MMS) and assigns the application; it records which
    features it enabled itself. Refresh reports the application unassigned or changed and a
    feature switched off; the next ``up`` puts them back. Destroy unassigns the application
    (``REMOVE``) and removes only the features this resource enabled, MMS before SMS; Bandwidth
    keeps SMS while messaging numbers remain, so make the ImportTnOrder of those numbers depend
    on this resource.

    Import: the id is ``"<site_id>/<sip_peer_id>"``; ``LocationMessaging.get(name, id)`` reads it
    without owning it. Creating one over a Location already set up takes it over without
    recording its features as its own, so destroy leaves them.

    Outputs:
        site_id: Dashboard Site of the Location.
        sip_peer_id: The Location (SIP peer) whose numbers get messaging.
        application_id: The assigned application (``None`` after refresh if unassigned).
        toll_free: SMS toll-free flag, if set.
        short_code: SMS short-code flag, if set.
        zone1: SMS zone 1 flag, if set.
        zone2: SMS zone 2 flag, if set.
        zone3: SMS zone 3 flag, if set.
        zone4: SMS zone 4 flag, if set.
        zone5: SMS zone 5 flag, if set.
        mms: Whether MMS is on, if asked for.
        sms_enabled: Whether SMS is on over HTTP (``false`` after refresh if switched off).
        sms_enabled_by_resource: Whether this resource enabled SMS (destroy then removes it).
        mms_enabled_by_resource: Whether this resource enabled MMS (destroy then removes it).
    """

    site_id: pulumi.Output[str]
    """Dashboard Site of the Location."""
    sip_peer_id: pulumi.Output[str]
    """The Location (SIP peer)."""
    application_id: pulumi.Output[str | None]
    """The assigned application (``None`` after refresh when it was unassigned)."""
    toll_free: pulumi.Output[bool | None]
    """SMS toll-free flag, if set."""
    short_code: pulumi.Output[bool | None]
    """SMS short-code flag, if set."""
    zone1: pulumi.Output[bool | None]
    """SMS zone 1, if set."""
    zone2: pulumi.Output[bool | None]
    """SMS zone 2, if set."""
    zone3: pulumi.Output[bool | None]
    """SMS zone 3, if set."""
    zone4: pulumi.Output[bool | None]
    """SMS zone 4, if set."""
    zone5: pulumi.Output[bool | None]
    """SMS zone 5, if set."""
    mms: pulumi.Output[bool | None]
    """Whether MMS is on (if asked for)."""
    sms_enabled: pulumi.Output[bool]
    """Whether SMS is on over HTTP (refresh reports ``false`` when it was switched off)."""
    sms_enabled_by_resource: pulumi.Output[bool]
    """Whether this resource enabled SMS (then destroy removes it)."""
    mms_enabled_by_resource: pulumi.Output[bool]
    """Whether this resource enabled MMS (then destroy removes it)."""

    def __init__(
        self,
        resource_name: str,
        args: LocationMessagingArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """SMS (and MMS) and the Messaging-V2 application of every number in a Location.

        ``help(LocationMessaging)`` lists its outputs, ``help(LocationMessagingArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`LocationMessagingArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props.update(dict.fromkeys(OUTPUTS))
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(LocationMessagingProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> LocationMessaging:
        """Look up a Location's messaging set-up by ``"<site_id>/<sip_peer_id>"``, read-only:
        every field comes from Bandwidth, the state marks it external and ``destroy`` leaves it
        alone."""
        return get_resource(
            LocationMessaging,
            LocationMessagingProvider(),
            resource_name,
            id,
            (*INPUTS, *OUTPUTS),
            opts,
        )
