"""Location: a SIP peer of a Dashboard Site (``/sites/{siteId}/sippeers``,
bandwidth-api-v2.md 3, step 2), where numbers live and inherit their messaging set-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.location import INPUTS, OUTPUTS, LocationCore
from ._provider import BaseProvider, get_resource

__all__ = ["Location", "LocationArgs", "LocationProvider"]


class LocationProvider(BaseProvider):
    """SIP peer CRUD (:class:`~bw_pulumi.core.location.LocationCore`). See :class:`Location`."""

    core_class = LocationCore


LocationProvider.__module__ = "bw_pulumi"


@dataclass
class LocationArgs:
    """Inputs of :class:`Location`; Bandwidth documents no update of a SIP peer, so changing
    any of them replaces the Location (created first, then the old one deleted).

    Attributes:
        site_id: Required. Dashboard Site (sub-account) the Location belongs to. Replaces.
        peer_name: Required. Name of the Location (SIP peer). Replaces.
        is_default_peer: Make it the site's default Location (where numbers ordered for the
            site land); default Bandwidth's choice. Replaces when set or changed.
        adopt_sip_peer_id: Take over this existing SIP peer of the site (its name must
            match); destroy then deletes it. Default none; read only at create.
    """

    site_id: pulumi.Input[str]
    """Dashboard Site (sub-account) the Location belongs to."""
    peer_name: pulumi.Input[str]
    """Name of the Location (SIP peer)."""
    is_default_peer: pulumi.Input[bool] | None = None
    """Make it the site's default Location (where numbers ordered for the site land)."""
    adopt_sip_peer_id: pulumi.Input[str] | None = None
    """Take over this existing SIP peer of the site; destroy then deletes it."""


class Location(Resource, module="bandwidth", name="Location"):
    """A Location (SIP peer) in a Dashboard Site: numbers imported into it inherit its messaging
    set-up (:class:`LocationMessaging`).

    For stacks that own a throwaway Location (staging): import numbers into it with
    ``ImportTnOrder(sip_peer_id=location.sip_peer_id)`` and ``destroy`` removes both. Production
    stacks usually pass an existing SIP peer id instead. Refresh reports a Location deleted or
    renamed outside Pulumi.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_sip_peer_id`` to take over an existing SIP peer; ``pulumi destroy`` then deletes it.
    ``Location.get(name, sip_peer_id)`` reads one without owning it (``"<site_id>/<id>"`` saves
    looking for its Site).

    Outputs:
        sip_peer_id: Bandwidth's SIP peer id (also the resource id): what ImportTnOrder and
            LocationMessaging take.
        site_id: The Site the Location belongs to.
        peer_name: The Location's name.
        is_default_peer: Whether the program asked for the site's default, if it said.
        is_default: Whether Bandwidth reports it as the site's default Location.
    """

    sip_peer_id: pulumi.Output[str]
    """Bandwidth's SIP peer id (also the resource id): what ImportTnOrder and LocationMessaging
    take as ``sip_peer_id``."""
    site_id: pulumi.Output[str]
    """The Site the Location belongs to."""
    peer_name: pulumi.Output[str]
    """Name of the Location."""
    is_default_peer: pulumi.Output[bool | None]
    """Whether the program asked for the site's default Location, if it said."""
    is_default: pulumi.Output[bool | None]
    """Whether Bandwidth reports it as the site's default Location."""

    def __init__(
        self, resource_name: str, args: LocationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """A Location (SIP peer) in a Dashboard Site; every change replaces it.

        ``help(Location)`` lists its outputs, ``help(LocationArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`LocationArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props.update(dict.fromkeys(("sip_peer_id", "is_default")))
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(LocationProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Location:
        """Look up an existing Location by SIP peer id (or ``"<site_id>/<sip_peer_id>"``),
        read-only: every field comes from Bandwidth, the state marks it external and
        ``destroy`` leaves it alone."""
        return get_resource(
            Location,
            LocationProvider(),
            resource_name,
            id,
            (*INPUTS, *OUTPUTS),
            opts,
        )
