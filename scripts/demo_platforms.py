"""What differs between the two demos behind `scripts/demo`: `--platform catapult` (default) and
`--platform v2`.

``catapult`` runs the repository's root project (``Pulumi.yaml``: ``examples/hosted_messaging``)
on the stack ``demo`` with the Dashboard and Catapult credentials, and ends with a Catapult SMS
out and one in. ``v2`` runs ``examples/hosted_messaging_v2`` (a Location, a Messaging-V2
application, the LocationMessaging that assigns it, the import into that Location) on the stack
``demo-v2`` with OAuth2 client credentials, as current accounts use, and ends with a Messages
API v2 message out and a ``message-received`` webhook in. Each has its own stack, stack config
file and numbers, so both can live in the one emulator world of ``$BW_PULUMI_HOME``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo_emulator import BackgroundEmulator
from demo_messages import receiver, round_trip, round_trip_v2

from bw_pulumi._numbers import to_e164
from bw_pulumi._oauth import TokenSource
from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.messaging import MessagingClient
from bw_pulumi.emulator import Accounts
from bw_pulumi.emulator.oauth import TOKEN_PATH

__all__ = ["CATAPULT", "PLATFORMS", "V2", "Platform"]

REPO = Path(__file__).resolve().parents[1]
#: The emulator's well-known credentials (`python -m bw_pulumi.emulator` prints them).
ACCOUNTS = Accounts()
#: Both demos use the emulator's one Site.
DEMO_SITE_ID = "14"
#: Nothing listens there: the emulator records each order callback attempt as refused.
DEMO_CALLBACK_URL = "http://127.0.0.1:9/bandwidth/callbacks"

Settings = tuple[dict[str, str], dict[str, str]]


@dataclass(frozen=True)
class Platform:
    """One demo: where `pulumi` runs, on which stack, with what config, and its last step."""

    name: str
    stack: str
    #: The project directory (its Pulumi.yaml); `pulumi` runs there.
    project_dir: Path
    #: Provider config keys holding the emulator's URLs (a moved emulator needs --run-program).
    url_keys: tuple[str, ...]
    default_numbers: tuple[str, ...]
    #: (emulator base URL, project name, inbound message URL) -> (plaintext, secret) config.
    settings: Callable[[str, str, str], Settings]
    summary: Callable[[dict[str, Any]], list[str]]
    #: (emulator, receiver port, stack outputs) -> the "Messages" block's lines.
    messages: Callable[[BackgroundEmulator, int, dict[str, Any]], list[str]]
    #: What `destroy` removes, for the next-steps hint.
    removes: str

    @property
    def command(self) -> str:
        return "scripts/demo" if self.name == "catapult" else f"scripts/demo --platform {self.name}"

    @property
    def stack_config_file(self) -> Path:
        return self.project_dir / f"Pulumi.{self.stack}.yaml"


def _project(project: str, message_url: str) -> dict[str, str]:
    return {
        f"{project}:siteId": DEMO_SITE_ID,
        f"{project}:callbackUrl": DEMO_CALLBACK_URL,
        f"{project}:messageUrl": message_url,
    }


# -- Catapult (legacy accounts) ----------------------------------------------------------------


def _catapult_settings(base_url: str, project: str, message_url: str) -> Settings:
    plain = {
        "bandwidth:dashboardUrl": f"{base_url}/api",
        "bandwidth:catapultUrl": base_url,
        "bandwidth:accountId": ACCOUNTS.account_id,
        "bandwidth:username": ACCOUNTS.username,
        "bandwidth:userId": ACCOUNTS.user_id,
        "bandwidth:apiToken": ACCOUNTS.api_token,
        **_project(project, message_url),
    }
    secret = {"bandwidth:password": ACCOUNTS.password, "bandwidth:apiSecret": ACCOUNTS.api_secret}
    return plain, secret


def _catapult_summary(state: dict[str, Any]) -> list[str]:
    bound = {n["number"]: n.get("application_id") for n in state["phone_numbers"]}
    apps, subs = len(state["applications"]), len(state["subscriptions"])
    return [
        f"  numbers in service: {', '.join(state['in_service']) or 'none'}",
        "  numbers bound to applications: "
        + (", ".join(f"{n} -> {a}" for n, a in sorted(bound.items())) or "none"),
        f"  applications: {apps}, subscriptions: {subs}",
    ]


def _catapult_messages(emu: BackgroundEmulator, port: int, outputs: dict[str, Any]) -> list[str]:
    """One SMS out from the first bound number, one in to it, as Bandwidth's Hosted Messaging
    guide ends."""
    numbers = sorted(n["number"] for n in emu.state()["phone_numbers"])
    if not numbers:
        return []
    a = ACCOUNTS
    client = CatapultClient(emu.base_url, a.user_id, a.api_token, a.api_secret)
    with receiver(port) as inbox:
        lines = round_trip(client, emu.base_url, inbox, numbers[0])
    return ["Messages (Catapult /messages out, the application's incomingMessageUrl in):", *lines]


CATAPULT = Platform(
    name="catapult",
    stack="demo",
    project_dir=REPO,
    url_keys=("bandwidth:dashboardUrl", "bandwidth:catapultUrl"),
    default_numbers=("+19195550100", "+19195550101", "+19195550102"),
    settings=_catapult_settings,
    summary=_catapult_summary,
    messages=_catapult_messages,
    removes="the bindings, application, subscription, numbers",
)


# -- the current platform (Messaging-V2, Locations, OAuth2) ------------------------------------


def _v2_settings(base_url: str, project: str, message_url: str) -> Settings:
    # OAuth2 client credentials (bandwidth-api-v2.md 4), as current accounts use: the Dashboard
    # and Messaging APIs get bearer tokens; no Dashboard login, no Catapult user.
    plain = {
        "bandwidth:dashboardUrl": f"{base_url}/api",
        "bandwidth:messagingUrl": f"{base_url}/api/v2",
        "bandwidth:oauthTokenUrl": base_url + TOKEN_PATH,
        "bandwidth:accountId": ACCOUNTS.account_id,
        "bandwidth:clientId": ACCOUNTS.client_id,
        **_project(project, message_url),
    }
    return plain, {"bandwidth:clientSecret": ACCOUNTS.client_secret}


def _v2_summary(state: dict[str, Any]) -> list[str]:
    apps = {a["id"]: a for a in state["dashboard_applications"]}
    lines = [f"  numbers in service: {', '.join(state['in_service']) or 'none'}"]
    by_peer: dict[str, list[str]] = {}
    for tn, peer in sorted(state["in_service_peers"].items()):
        by_peer.setdefault(peer, []).append(tn)
    for peer in state["sip_peers"]:
        app = apps.get(peer.get("application_id") or "")
        assigned = f"application {app['id']} ({app['app_name']})" if app else "no application"
        sms = "SMS on" if peer.get("sms") is not None else "SMS off"
        lines.append(
            f"  Location {peer['id']} {peer['name']!r} (site {peer['site_id']}): {sms}, "
            f"{assigned}, {len(by_peer.get(peer['id'], []))} numbers"
        )
    if not state["sip_peers"]:
        lines.append("  Locations: none")
    lines.append(
        f"  messaging applications: {len(apps)}, subscriptions: {len(state['subscriptions'])}"
    )
    return lines


def _v2_messages(emu: BackgroundEmulator, port: int, outputs: dict[str, Any]) -> list[str]:
    """One message out through the Messages API v2 (OAuth2), one `message-received` in."""
    # The order's outputs hold the Dashboard's 10-digit form; the Messages API takes E.164.
    numbers = sorted(to_e164(str(n)) for n in outputs.get("imported_numbers") or [])
    app_id = outputs.get("application_id")
    if not numbers or not app_id:
        return []
    a = ACCOUNTS
    tokens = TokenSource(emu.base_url + TOKEN_PATH, a.client_id, a.client_secret)
    client = MessagingClient(f"{emu.base_url}/api/v2", a.account_id, tokens)
    try:
        with receiver(port) as inbox:
            lines = round_trip_v2(client, str(app_id), emu.base_url, inbox, numbers[0])
    finally:
        client.transport.close()
        tokens.close()
    head = "Messages (Messages API v2 out, JSON webhooks to the application's callback URLs in):"
    return [head, *lines]


V2 = Platform(
    name="v2",
    stack="demo-v2",
    project_dir=REPO / "examples" / "hosted_messaging_v2",
    url_keys=("bandwidth:dashboardUrl", "bandwidth:messagingUrl", "bandwidth:oauthTokenUrl"),
    default_numbers=("+19195550110", "+19195550111", "+19195550112"),
    settings=_v2_settings,
    summary=_v2_summary,
    messages=_v2_messages,
    removes="the numbers, Location, application, subscription",
)

PLATFORMS = {p.name: p for p in (CATAPULT, V2)}
