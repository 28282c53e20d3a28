"""LocationMessaging: a Location's SMS/MMS features and its assigned Messaging-V2 application
(``.../sippeers/{id}/products/messaging/{features/sms,features/mms,applicationSettings}``,
bandwidth-api-v2.md 3, steps 3, 4 and 6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from .._sdk_compat import install_serialize_provider_guard
from ..clients.dashboard_apps import DashboardAppsClient
from ..errors import NotFound
from ._location_features import (
    SMS_FIELDS,
    Features,
    PeerRef,
    ensure_mms,
    ensure_sms,
    remove_mms,
    remove_sms,
    undo,
)
from ._provider import (
    BaseProvider,
    Failures,
    as_text,
    diff_props,
    get_resource,
    is_unknown,
    user_props,
)

__all__ = ["LocationMessaging", "LocationMessagingArgs", "LocationMessagingProvider"]

_INPUTS = ("site_id", "sip_peer_id", "application_id", *SMS_FIELDS, "mms")
#: Always true in the inputs (check adds it): read reports SMS switched off as ``false``.
_SMS_ON = "sms_enabled"
#: Which features this resource enabled itself: delete removes those and no others.
_MINE = ("sms_enabled_by_resource", "mms_enabled_by_resource")
_OUTPUTS = (_SMS_ON, *_MINE)


class LocationMessagingProvider(BaseProvider):
    """Messaging set-up of a Location. See :class:`LocationMessaging`."""

    apis = ("dashboard",)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures = Failures()
        for prop in ("site_id", "sip_peer_id", "application_id"):
            value = news.get(prop)
            if is_unknown(value):
                continue
            text = as_text(value) if isinstance(value, (str, int, float)) else ""
            if not text or isinstance(value, bool) or "/" in text:
                failures.add(prop, f"{prop} is required (a Bandwidth id); got {value!r}")
            else:
                inputs[prop] = text
        for prop in (*SMS_FIELDS, "mms"):
            value = news.get(prop)
            if value is not None and not is_unknown(value) and not isinstance(value, bool):
                failures.add(prop, f"{prop} must be true or false; got {value!r}")
        if news.get("zone1") is False:
            failures.add("zone1", "zone1 must stay true: Bandwidth requires it for SMS")
        inputs[_SMS_ON] = True
        return CheckResult({k: v for k, v in inputs.items() if v is not None}, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Unset SMS flags accept what the Location has; mms unset means "not asked for".
        return diff_props(
            olds,
            news,
            replace_keys=("site_id", "sip_peer_id"),
            update_keys=("application_id", *SMS_FIELDS, "mms", _SMS_ON),
            accept_server_value=SMS_FIELDS,
            normalize={"mms": bool},
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        where = PeerRef(inputs["site_id"], inputs["sip_peer_id"])
        client = self.dashboard_apps()
        _require_location(client, where)
        mine = Features()
        try:
            _converge(client, where, inputs, mine)
        except BaseException:
            undo(client, where, mine)
            raise
        return CreateResult(_id(where), _outputs(inputs, mine))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = user_props(props)
        where = _where(id_, state)
        client = self.dashboard_apps()
        try:
            client.get_sip_peer(where.site_id, where.peer_id)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadResult(None, {})
        sms = client.get_sms_feature(where.site_id, where.peer_id)
        sms_on = sms is not None and sms.protocol == "HTTP"
        inputs: dict[str, Any] = {
            "site_id": where.site_id,
            "sip_peer_id": where.peer_id,
            "application_id": client.get_app_settings(where.site_id, where.peer_id),
            _SMS_ON: sms_on,
        }
        getting = _SMS_ON not in state  # `get`: every field from Bandwidth
        for prop in SMS_FIELDS:
            if sms is not None and (prop in state or getting):
                inputs[prop] = getattr(sms, prop)
        if state.get("mms") is not None or getting:
            mms = client.get_mms_feature(where.site_id, where.peer_id)
            inputs["mms"] = mms is not None and mms.protocol == "HTTP"
        inputs = {k: v for k, v in inputs.items() if v is not None}
        mine = Features(bool(state.get(_MINE[0])), bool(state.get(_MINE[1])))
        return ReadResult(id_, _outputs(inputs, mine), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        where = PeerRef(inputs["site_id"], inputs["sip_peer_id"])
        client = self.dashboard_apps()
        mine = Features(bool(olds.get(_MINE[0])), bool(olds.get(_MINE[1])))
        _converge(client, where, inputs, mine)
        if not inputs.get("mms") and mine.mms:
            remove_mms(client, where)  # no longer asked for, and this resource enabled it
            mine.mms = False
        return UpdateResult(_outputs(inputs, mine))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        where = _where(id_, props)
        client = self.dashboard_apps()
        try:
            client.assign_application(where.site_id, where.peer_id, None)  # REMOVE
        except NotFound:
            self.confirm_gone("dashboard")
            return  # the Location itself is gone, and its features with it
        # MMS before SMS: Bandwidth keeps SMS while MMS remains (13624).
        if props.get(_MINE[1]):
            remove_mms(client, where)
        if props.get(_MINE[0]):
            remove_sms(client, where)


LocationMessagingProvider.__module__ = "bw_pulumi"


def _converge(
    client: DashboardAppsClient, where: PeerRef, inputs: Mapping[str, Any], mine: Features
) -> None:
    """SMS first, then MMS, then the application (the order bandwidth-api-v2.md 3 requires)."""
    ensure_sms(client, where, inputs, mine)
    if inputs.get("mms"):
        ensure_mms(client, where, mine)
    if client.get_app_settings(where.site_id, where.peer_id) != inputs["application_id"]:
        client.assign_application(where.site_id, where.peer_id, inputs["application_id"])


def _require_location(client: DashboardAppsClient, where: PeerRef) -> None:
    try:
        client.get_sip_peer(where.site_id, where.peer_id)
    except NotFound:
        raise NotFound(
            f"{where} does not exist; check site_id and sip_peer_id (a Location resource's "
            "sip_peer_id and site_id outputs)"
        ) from None


def _id(where: PeerRef) -> str:
    return f"{where.site_id}/{where.peer_id}"


def _where(id_: str, props: Mapping[str, Any]) -> PeerRef:
    if props.get("site_id") and props.get("sip_peer_id"):
        return PeerRef(str(props["site_id"]), str(props["sip_peer_id"]))
    site_id, _, peer_id = id_.partition("/")
    if not site_id or not peer_id:
        raise NotFound(f"LocationMessaging id {id_!r} is not '<site_id>/<sip_peer_id>'")
    return PeerRef(site_id, peer_id)


def _outputs(inputs: Mapping[str, Any], mine: Features) -> dict[str, Any]:
    outs = {k: inputs[k] for k in (*_INPUTS, _SMS_ON) if inputs.get(k) is not None}
    outs[_MINE[0]] = mine.sms
    outs[_MINE[1]] = mine.mms
    return outs


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
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
        props.update(dict.fromkeys(_OUTPUTS))
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
            (*_INPUTS, *_OUTPUTS),
            opts,
        )
