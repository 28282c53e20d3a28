"""Location's lifecycle core: a SIP peer of a Dashboard Site (``/sites/{siteId}/sippeers``,
bandwidth-api-v2.md 3, step 2), where numbers live and inherit their messaging set-up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.dashboard_apps import DashboardAppsClient
from ..clients.dashboard_apps_models import SipPeerInfo
from ..errors import AdoptionMismatch, Conflict, NotFound
from ..resources._create_retry import create_or_resume
from .base import CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import Failures, as_text, diff_props, is_unknown, user_props

__all__ = ["INPUTS", "OUTPUTS", "LocationCore"]

INPUTS = ("site_id", "peer_name", "is_default_peer", "adopt_sip_peer_id")
#: The API documents no update of a SIP peer (bandwidth-api-v2.md 3), so every change replaces.
_REPLACE = ("site_id", "peer_name", "is_default_peer")


class LocationCore(CoreBase):
    """SIP peer CRUD (the Location resource)."""

    apis = ("dashboard",)

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
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
        return CheckOutcome({k: v for k, v in inputs.items() if v is not None}, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
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

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        client = self.dashboard_apps()
        site_id, name = inputs["site_id"], inputs["peer_name"]
        adopt = inputs.get("adopt_sip_peer_id")
        if adopt:
            live = self._adopt(client, site_id, adopt, inputs)
            return adopt, _outputs(inputs, live)
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
        return peer_id, _outputs(inputs, client.get_sip_peer(site_id, peer_id))

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
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
            return ReadOutcome(None, {})
        inputs: dict[str, Any] = {"site_id": live.site_id, "peer_name": live.peer_name}
        if "is_default_peer" in state or "sip_peer_id" not in state:
            inputs["is_default_peer"] = live.is_default_peer
        if "adopt_sip_peer_id" in state:
            inputs["adopt_sip_peer_id"] = state["adopt_sip_peer_id"]
        inputs = {k: v for k, v in inputs.items() if v is not None}
        return ReadOutcome(id_, _outputs(inputs, live), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        # Only reached for inputs that change nothing on Bandwidth (adoption bookkeeping).
        outs = {**user_props(olds), **user_props(news)}
        return {k: v for k, v in outs.items() if k in (*INPUTS, *OUTPUTS)}

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            self.dashboard_apps().delete_sip_peer(props["site_id"], id_)
        except NotFound:
            self.confirm_gone("dashboard")


OUTPUTS = ("sip_peer_id", "site_id", "is_default")


def _named(client: DashboardAppsClient, site_id: str, name: str) -> set[str]:
    return {p.peer_id for p in client.list_sip_peers(site_id) if p.peer_name == name}


def _outputs(inputs: Mapping[str, Any], live: SipPeerInfo) -> dict[str, Any]:
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs["sip_peer_id"] = live.peer_id
    if live.is_default_peer is not None:
        outs["is_default"] = live.is_default_peer
    return outs
