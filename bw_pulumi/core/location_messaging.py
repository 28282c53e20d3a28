"""LocationMessaging's lifecycle core: a Location's SMS/MMS features and its assigned
Messaging-V2 application
(``.../sippeers/{id}/products/messaging/{features/sms,features/mms,applicationSettings}``,
bandwidth-api-v2.md 3, steps 3, 4 and 6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.dashboard_apps import DashboardAppsClient
from ..errors import NotFound
from ..resources._location_features import (
    SMS_FIELDS,
    Features,
    PeerRef,
    ensure_mms,
    ensure_sms,
    remove_mms,
    remove_sms,
    undo,
)
from .base import CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import Failures, as_text, diff_props, is_unknown, user_props

__all__ = ["INPUTS", "OUTPUTS", "LocationMessagingCore"]

INPUTS = ("site_id", "sip_peer_id", "application_id", *SMS_FIELDS, "mms")
#: Always true in the inputs (check adds it): read reports SMS switched off as ``false``.
_SMS_ON = "sms_enabled"
#: Which features this resource enabled itself: delete removes those and no others.
_MINE = ("sms_enabled_by_resource", "mms_enabled_by_resource")
OUTPUTS = (_SMS_ON, *_MINE)


class LocationMessagingCore(CoreBase):
    """Messaging set-up of a Location (the LocationMessaging resource)."""

    apis = ("dashboard",)

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
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
        return CheckOutcome({k: v for k, v in inputs.items() if v is not None}, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        # Unset SMS flags accept what the Location has; mms unset means "not asked for".
        return diff_props(
            olds,
            news,
            replace_keys=("site_id", "sip_peer_id"),
            update_keys=("application_id", *SMS_FIELDS, "mms", _SMS_ON),
            accept_server_value=SMS_FIELDS,
            normalize={"mms": bool},
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
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
        return _id(where), _outputs(inputs, mine)

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        state = user_props(props)
        where = _where(id_, state)
        client = self.dashboard_apps()
        try:
            client.get_sip_peer(where.site_id, where.peer_id)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadOutcome(None, {})
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
        return ReadOutcome(id_, _outputs(inputs, mine), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        where = PeerRef(inputs["site_id"], inputs["sip_peer_id"])
        client = self.dashboard_apps()
        mine = Features(bool(olds.get(_MINE[0])), bool(olds.get(_MINE[1])))
        _converge(client, where, inputs, mine)
        if not inputs.get("mms") and mine.mms:
            remove_mms(client, where)  # no longer asked for, and this resource enabled it
            mine.mms = False
        return _outputs(inputs, mine)

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
    outs = {k: inputs[k] for k in (*INPUTS, _SMS_ON) if inputs.get(k) is not None}
    outs[_MINE[0]] = mine.sms
    outs[_MINE[1]] = mine.mms
    return outs
