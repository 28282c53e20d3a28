"""Dashboard operations of the current messaging platform: applications, Sites, SIP peers
(Locations) and their messaging products (bandwidth-api-v2.md 2 and 3).

Like :class:`.backend.DashboardBackend`: plain forms in, copies of models out, every refusal an
:class:`EmulatorFault` with Bandwidth's code; never sees HTTP or XML.
"""

from __future__ import annotations

import copy
import secrets

from bw_pulumi.emulator.common import new_uuid
from bw_pulumi.emulator.dashboard.app_forms import ApplicationForm, apply_form, refuse
from bw_pulumi.emulator.dashboard.forms import is_uuid
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.models import World
from bw_pulumi.emulator.provisioning import MESSAGING_V2, DashboardApplication, SipPeer, Site
from bw_pulumi.emulator.store import Store

__all__ = ["PlatformBackend"]

#: The keyword that unassigns a Location's messaging application (v2 doc 3 step 6).
REMOVE_KEYWORD = "REMOVE"


def _not_found(what: str) -> EmulatorFault:
    """Unknown Site or SIP peer: 404 without a code (API doc 1.5 shape 2; no source shows it)."""
    return EmulatorFault(404, None, f"{what} not found")


def _peer_id(world: World) -> str:
    """Six digits, like the SipPeerIds in the fixtures (``303716``)."""
    while True:
        candidate = str(100000 + secrets.randbelow(900000))
        if candidate not in world.sip_peers:
            return candidate


class PlatformBackend:
    """Applications, Sites and Locations of the one Dashboard account, over the shared store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- applications (v2 doc 2) ---------------------------------------------------------

    def _app(self, world: World, application_id: str) -> DashboardApplication:
        if not is_uuid(application_id):
            raise refuse(23020, f"Application ID {application_id} is not a valid UUID")
        app = world.dashboard_applications.get(application_id)
        if app is None:
            account = self.store.accounts.account_id
            raise refuse(
                23019, f"Application with ID {application_id} not found on account {account}", 404
            )
        return app

    def create_application(self, form: ApplicationForm) -> DashboardApplication:
        app = DashboardApplication(application_id=new_uuid(), service_type="", app_name="")
        apply_form(app, form, partial=False, creating=True)
        # Duplicate AppNames are accepted: no uniqueness error is documented (v2 doc 6).
        with self.store.write() as world:
            world.dashboard_applications[app.application_id] = app
        return copy.deepcopy(app)

    def list_applications(self) -> list[DashboardApplication]:
        with self.store.read() as world:
            return copy.deepcopy(list(world.dashboard_applications.values()))

    def get_application(self, application_id: str) -> DashboardApplication:
        with self.store.read() as world:
            return copy.deepcopy(self._app(world, application_id))

    def update_application(
        self, application_id: str, form: ApplicationForm, *, partial: bool
    ) -> DashboardApplication:
        """PUT replaces every field, PATCH only those sent (v2 doc 2)."""
        with self.store.write() as world:
            app = copy.deepcopy(self._app(world, application_id))
            apply_form(app, form, partial=partial, creating=False)
            world.dashboard_applications[application_id] = app
            return copy.deepcopy(app)

    def delete_application(self, application_id: str) -> None:
        with self.store.write() as world:
            self._app(world, application_id)
            users = self._users(world, application_id)
            if users:
                # 12107 (v2 doc 2); its status is undocumented (400, choice). The text names
                # the Locations so a refused delete says what to change.
                names = ", ".join(
                    f"{p.name} (SIP peer {p.peer_id}, site {p.site_id})" for p in users
                )
                raise refuse(
                    12107,
                    f"Application {application_id} cannot be removed: it is associated with "
                    f"the Location(s) {names}",
                )
            del world.dashboard_applications[application_id]

    def associated_peers(self, application_id: str) -> list[tuple[Site | None, SipPeer]]:
        with self.store.read() as world:
            self._app(world, application_id)
            return copy.deepcopy(
                [(world.sites.get(p.site_id), p) for p in self._users(world, application_id)]
            )

    @staticmethod
    def _users(world: World, application_id: str) -> list[SipPeer]:
        return [p for p in world.sip_peers.values() if p.application_id == application_id]

    # -- sites (v2 doc 3 step 1) ---------------------------------------------------------

    def create_site(self, name: str | None, description: str | None) -> Site:
        if not name:
            raise EmulatorFault(400, 1003, "Name is required")
        with self.store.write() as world:
            numeric = [int(s) for s in world.sites if s.isdigit()]
            site = Site(str(max(numeric, default=0) + 1), name, description)
            world.sites[site.site_id] = site
            return copy.deepcopy(site)

    def list_sites(self) -> list[Site]:
        with self.store.read() as world:
            return copy.deepcopy(list(world.sites.values()))

    def get_site(self, site_id: str) -> Site:
        with self.store.read() as world:
            site = world.sites.get(site_id)
            if site is None:
                raise _not_found(f"Site {site_id}")
            return copy.deepcopy(site)

    # -- SIP peers (v2 doc 3 step 2) -----------------------------------------------------

    def _peer(self, world: World, site_id: str, peer_id: str) -> SipPeer:
        if site_id not in world.sites:
            raise _not_found(f"Site {site_id}")
        peer = world.sip_peers.get(peer_id)
        if peer is None or peer.site_id != site_id:
            raise _not_found(f"SIP peer {peer_id} in site {site_id}")
        return peer

    def create_peer(self, site_id: str, name: str | None, is_default: bool) -> SipPeer:
        with self.store.write() as world:
            if site_id not in world.sites:
                raise _not_found(f"Site {site_id}")
            if not name:
                raise EmulatorFault(400, 1003, "PeerName is required")
            in_site = [p for p in world.sip_peers.values() if p.site_id == site_id]
            # The first peer of a site is its default; a new default takes over the flag.
            is_default = is_default or not in_site
            if is_default:
                for other in in_site:
                    other.is_default = False
            peer = SipPeer(
                _peer_id(world), site_id, name, is_default, proxy_peer_id=_peer_id(world)
            )
            world.sip_peers[peer.peer_id] = peer
            return copy.deepcopy(peer)

    def list_peers(self, site_id: str) -> list[SipPeer]:
        with self.store.read() as world:
            if site_id not in world.sites:
                raise _not_found(f"Site {site_id}")
            return copy.deepcopy([p for p in world.sip_peers.values() if p.site_id == site_id])

    def get_peer(self, site_id: str, peer_id: str) -> SipPeer:
        with self.store.read() as world:
            return copy.deepcopy(self._peer(world, site_id, peer_id))

    def delete_peer(self, site_id: str, peer_id: str) -> None:
        # No source gives a refusal for deleting a Location that still holds numbers (neither
        # API doc): the tolerant choice is to allow it; its numbers then have no Location.
        with self.store.write() as world:
            self._peer(world, site_id, peer_id)
            del world.sip_peers[peer_id]

    # -- messaging products (v2 doc 3 steps 3, 4, 6) -------------------------------------

    def set_sms(
        self, site_id: str, peer_id: str, settings: dict[str, str], *, creating: bool
    ) -> SipPeer:
        """POST enables, PUT updates. A POST on an enabled feature updates it too: what the
        real API answers then is undocumented, so the tolerant choice (a retried POST works)."""
        with self.store.write() as world:
            peer = self._peer(world, site_id, peer_id)
            if peer.sms is None and not creating:
                raise _not_found(f"SMS feature of SIP peer {peer_id}")
            peer.sms = {**(peer.sms or {}), **settings} if not creating else dict(settings)
            peer.sms.setdefault("Protocol", "HTTP")
            return copy.deepcopy(peer)

    def delete_sms(self, site_id: str, peer_id: str) -> None:
        with self.store.write() as world:
            peer = self._peer(world, site_id, peer_id)
            if peer.sms is None:
                raise _not_found(f"SMS feature of SIP peer {peer_id}")
            # 13624 / 13673 (v2 doc 3 step 3): which code is which is not stated; the MMS one
            # is taken as 13624 (next to 13623, MMS without SMS), the numbers one as 13673.
            if peer.mms is not None:
                raise refuse(13624, "SMS cannot be deleted while the MMS feature is enabled")
            numbers = sorted(tn for tn, p in world.in_service_peers.items() if p == peer_id)
            if numbers:
                raise refuse(
                    13673,
                    f"SMS cannot be deleted while {len(numbers)} messaging-enabled telephone "
                    f"numbers remain on SIP peer {peer_id}",
                )
            peer.sms = None

    def set_mms(self, site_id: str, peer_id: str, protocol: str, *, creating: bool) -> SipPeer:
        with self.store.write() as world:
            peer = self._peer(world, site_id, peer_id)
            if peer.sms is None:
                raise refuse(13623, "MMS cannot be enabled before the SMS feature")
            if peer.mms is None and not creating:
                raise _not_found(f"MMS feature of SIP peer {peer_id}")
            peer.mms = protocol or "HTTP"
            return copy.deepcopy(peer)

    def delete_mms(self, site_id: str, peer_id: str) -> None:
        with self.store.write() as world:
            peer = self._peer(world, site_id, peer_id)
            if peer.mms is None:
                raise _not_found(f"MMS feature of SIP peer {peer_id}")
            peer.mms = None

    def assign(self, site_id: str, peer_id: str, app_id: str | None) -> SipPeer:
        """``app_id`` ``REMOVE`` unassigns; errors 13628/13629/13645/13648 (v2 doc 3 step 6)."""
        with self.store.write() as world:
            peer = self._peer(world, site_id, peer_id)
            if not app_id:
                raise refuse(13628, "HttpMessagingV2AppId must be a valid string or REMOVE")
            if app_id.upper() == REMOVE_KEYWORD:
                peer.application_id = None
                return copy.deepcopy(peer)
            if peer.sms is None or peer.sms.get("Protocol", "HTTP").upper() != "HTTP":
                raise refuse(13645, "SMS must be set to HTTP before associating the application")
            app = world.dashboard_applications.get(app_id)
            if app is None:
                raise refuse(13629, f"Application with id {app_id} not found")
            if app.service_type != MESSAGING_V2:
                raise refuse(13648, f"Service type {app.service_type} is not allowed here")
            peer.application_id = app_id
            return copy.deepcopy(peer)

    def default_proxy_peer(self) -> str:
        """The account-level HTTP messaging feature: always present in the emulator (so 13609
        never arises), with a fixed DefaultProxyPeerId."""
        return "500001"
