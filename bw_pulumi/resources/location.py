"""Location: a SIP peer of a Dashboard Site (``/sites/{siteId}/sippeers``,
bandwidth-api-v2.md 3, step 2), where numbers live and inherit their messaging set-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from .._sdk_compat import install_serialize_provider_guard
from ..clients.dashboard_apps import DashboardAppsClient
from ..clients.dashboard_apps_models import SipPeerInfo
from ..errors import AdoptionMismatch, Conflict, NotFound
from ._create_retry import create_or_resume
from ._provider import (
    BaseProvider,
    Failures,
    as_text,
    diff_props,
    get_resource,
    is_unknown,
    user_props,
)

__all__ = ["Location", "LocationArgs", "LocationProvider"]

_INPUTS = ("site_id", "peer_name", "is_default_peer", "adopt_sip_peer_id")
#: The API documents no update of a SIP peer (bandwidth-api-v2.md 3), so every change replaces.
_REPLACE = ("site_id", "peer_name", "is_default_peer")


class LocationProvider(BaseProvider):
    """SIP peer CRUD. See :class:`Location`."""

    apis = ("dashboard",)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures = Failures()
        for prop in ("site_id", "peer_name", "adopt_sip_peer_id"):
            value = news.get(prop)
            if value is None or is_unknown(value):
                if value is None and prop != "adopt_sip_peer_id":
                    failures.add(prop, f"{prop} is required")
                continue
            text = as_text(value) if isinstance(value, (str, int, float)) else ""
            if not text or isinstance(value, bool):
                failures.add(prop, f"{prop} must be a non-empty string; got {value!r}")
            else:
                inputs[prop] = text
        default = news.get("is_default_peer")
        if default is not None and not is_unknown(default) and not isinstance(default, bool):
            failures.add(
                "is_default_peer", f"is_default_peer must be true or false; got {default!r}"
            )
        return CheckResult({k: v for k, v in inputs.items() if v is not None}, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Unset, is_default_peer accepts whatever Bandwidth decided (the first peer of a site
        # may be made the default). A Location holding numbers cannot be deleted first, so a
        # replacement creates the new one before deleting the old.
        return diff_props(
            olds,
            news,
            update_keys=(),
            replace_keys=_REPLACE,
            accept_server_value=["is_default_peer"],
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        client = self.dashboard_apps()
        site_id, name = inputs["site_id"], inputs["peer_name"]
        adopt = inputs.get("adopt_sip_peer_id")
        if adopt:
            live = self._adopt(client, site_id, adopt, inputs)
            return CreateResult(adopt, _outputs(inputs, live))
        # Peer names are not documented as unique either; the same set difference as for
        # applications tells our peer apart after a lost answer (see MessagingApplication).
        before = _named(client, site_id, name)

        def find() -> str | None:
            new = _named(client, site_id, name) - before
            if len(new) > 1:
                raise Conflict(
                    f"several Locations named {name!r} appeared in site {site_id} while this one "
                    f"was being created ({', '.join(sorted(new))}); set adopt_sip_peer_id to take "
                    "one over (destroy will then delete it)"
                )
            return new.pop() if new else None

        peer_id = create_or_resume(
            lambda: client.create_sip_peer(site_id, name, inputs.get("is_default_peer")),
            find,
            f"Location {name!r} in site {site_id}",
        )
        return CreateResult(peer_id, _outputs(inputs, client.get_sip_peer(site_id, peer_id)))

    def _adopt(
        self, client: DashboardAppsClient, site_id: str, adopt: str, inputs: Mapping[str, Any]
    ) -> SipPeerInfo:
        try:
            live = client.get_sip_peer(site_id, adopt)
        except NotFound:
            raise NotFound(
                f"adopt_sip_peer_id {adopt} does not exist in site {site_id}; remove the input "
                "to create a new Location"
            ) from None
        if live.peer_name != inputs["peer_name"]:
            raise AdoptionMismatch(
                f"cannot adopt Location {adopt}: its peer_name is {live.peer_name!r} on Bandwidth "
                f"but {inputs['peer_name']!r} in the program; set it to Bandwidth's value"
            )
        return live

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = user_props(props)
        client = self.dashboard_apps()
        site_id, peer_id = state.get("site_id"), id_
        if not site_id and "/" in id_:  # `get` by "<site_id>/<sip_peer_id>"
            site_id, peer_id = id_.split("/", 1)
        try:
            if site_id:
                live: SipPeerInfo | None = client.get_sip_peer(site_id, peer_id)
            else:  # `get` by the SIP peer id alone: look for the Site that holds it
                live = client.find_sip_peer(peer_id)
        except NotFound:
            live = None
        if live is None:
            self.confirm_gone("dashboard")
            return ReadResult(None, {})
        inputs: dict[str, Any] = {"site_id": live.site_id, "peer_name": live.peer_name}
        if "is_default_peer" in state or "sip_peer_id" not in state:
            inputs["is_default_peer"] = live.is_default_peer
        if "adopt_sip_peer_id" in state:
            inputs["adopt_sip_peer_id"] = state["adopt_sip_peer_id"]
        inputs = {k: v for k, v in inputs.items() if v is not None}
        return ReadResult(id_, _outputs(inputs, live), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only reached for inputs that change nothing on Bandwidth (adoption bookkeeping).
        outs = {**user_props(olds), **user_props(news)}
        return UpdateResult({k: v for k, v in outs.items() if k in (*_INPUTS, *_OUTPUTS)})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            self.dashboard_apps().delete_sip_peer(props["site_id"], id_)
        except NotFound:
            self.confirm_gone("dashboard")


LocationProvider.__module__ = "bw_pulumi"

_OUTPUTS = ("sip_peer_id", "site_id", "is_default")


def _named(client: DashboardAppsClient, site_id: str, name: str) -> set[str]:
    return {p.peer_id for p in client.list_sip_peers(site_id) if p.peer_name == name}


def _outputs(inputs: Mapping[str, Any], live: SipPeerInfo) -> dict[str, Any]:
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs["sip_peer_id"] = live.peer_id
    if live.is_default_peer is not None:
        outs["is_default"] = live.is_default_peer
    return outs


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
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
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
            (*_INPUTS, *_OUTPUTS),
            opts,
        )
