"""The soak's current-platform seeds: ``examples/hosted_messaging_v2`` instead of the root project.

The same steps as the Catapult flagship's (``up``, ``refresh``, a number change and ``up``,
``destroy``), through the same fault proxy, with OAuth2 client credentials (token requests go
through the proxy too). What is checked differs: there is no binding per number, so a number is
held when it is in service *in the stack's Location*, and that Location has SMS on and the
stack's Messaging-V2 application assigned (bandwidth-api-v2.md 3).

``--platform both`` (the default) gives odd seeds to the Catapult flagship and even seeds to this
one, so a seed always runs the same stack and a pair of seeds covers both.
"""

from __future__ import annotations

from typing import Any

from bw_pulumi.emulator import Emulator
from bw_pulumi.emulator.oauth import TOKEN_PATH

from .fault_proxy import FaultProxy
from .soak_cli import REPO

__all__ = ["PLATFORMS", "V2_PROJECT", "check_holdings_v2", "seed_platform", "v2_config"]

PLATFORMS = ("catapult", "v2", "both")
V2_PROJECT = REPO / "examples" / "hosted_messaging_v2"
#: Sent as ``--secret``: the OAuth2 client secret.
V2_SECRET_KEYS = frozenset({"bandwidth:clientSecret"})


def seed_platform(seed: int, choice: str) -> str:
    """The stack a seed runs: ``choice``, or with ``both`` the Catapult flagship on odd seeds
    and the current platform's on even ones."""
    if choice not in PLATFORMS:
        raise ValueError(f"unknown platform {choice!r}; known: {', '.join(PLATFORMS)}")
    if choice != "both":
        return choice
    return "catapult" if seed % 2 else "v2"


def v2_config(emu: Emulator, proxy: FaultProxy) -> dict[str, str]:
    """A current account's provider config, every URL through the proxy: no Catapult user, no
    Dashboard login, OAuth2 bearer tokens for the Dashboard and Messaging APIs."""
    return {
        "bandwidth:accountId": emu.account_id,
        "bandwidth:dashboardUrl": proxy.dashboard_url,
        "bandwidth:messagingUrl": proxy.base_url + "/api/v2",
        "bandwidth:oauthTokenUrl": proxy.base_url + TOKEN_PATH,
        "bandwidth:clientId": emu.client_id,
        "bandwidth:clientSecret": emu.client_secret,
    }


def check_holdings_v2(
    state: dict[str, Any], outputs: dict[str, Any], wanted: set[str], step: str
) -> tuple[list[str], list[str], list[str]]:
    """``(lost, missing, stray)`` after a successful step: every wanted number in service in
    the stack's Location, which has SMS on and the stack's application; nothing else there."""
    app_id, peer_id = outputs.get("application_id"), outputs.get("sip_peer_id")
    in_service = set(state["in_service"])
    peers = {p["id"]: p for p in state["sip_peers"]}
    apps = {a["id"] for a in state["dashboard_applications"]}
    where = state.get("in_service_peers") or {}
    lost = [
        f"after {step}: {tn} "
        + ("not in service" if tn not in in_service else f"not in Location {peer_id}")
        for tn in sorted(wanted)
        if tn not in in_service or where.get(tn) != peer_id
    ]
    missing: list[str] = []
    peer = peers.get(str(peer_id))
    if peer is None:
        missing.append(f"after {step}: Location {peer_id} of the stack is not on the emulator")
    elif peer.get("sms") is None or peer.get("application_id") != app_id:
        missing.append(
            f"after {step}: Location {peer_id} has SMS {'on' if peer.get('sms') else 'off'} "
            f"and application {peer.get('application_id')}, not {app_id}"
        )
    if app_id not in apps:
        missing.append(f"after {step}: application {app_id} of the stack is not on the emulator")
    if len(state["subscriptions"]) != 1:
        missing.append(f"after {step}: {len(state['subscriptions'])} subscriptions, not 1")
    held = set(outputs.get("imported_numbers") or ())
    if held != wanted:
        missing.append(
            f"after {step}: the stack holds {sorted(held)}, config wants {sorted(wanted)}"
        )
    stray = [f"after {step}: application {a}" for a in sorted(apps - {app_id})]
    stray += [f"after {step}: Location {p}" for p in sorted(set(peers) - {peer_id})]
    stray += [f"after {step}: {tn} in service" for tn in sorted(in_service - wanted)]
    stray += [f"after {step}: Catapult application {a['id']}" for a in state["applications"]]
    return lost, missing, stray
