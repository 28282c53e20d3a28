"""The account's messaging provisioning on the current platform: applications, Sites and SIP
peers (Locations) as plain data (bandwidth-api-v2.md 2-3).

Dashboard objects, kept here at the top because the Messaging API reads them too: a number's
Location names the application its messages belong to (v2 doc 3, [DOCS-STRUCT]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_SITE_ID", "MESSAGING_V2", "VOICE_V2", "DashboardApplication", "SipPeer", "Site"]

MESSAGING_V2 = "Messaging-V2"
VOICE_V2 = "Voice-V2"
#: The emulator's one Site at start: "14", the site id every example and the demo use.
DEFAULT_SITE_ID = "14"


@dataclass
class DashboardApplication:
    """A ``/accounts/{id}/applications`` object; passwords are kept, never echoed (v2 doc 2)."""

    application_id: str
    service_type: str
    app_name: str
    inbound_callback_url: str | None = None
    outbound_callback_url: str | None = None
    inbound_user: str | None = None
    inbound_password: str | None = None
    outbound_user: str | None = None
    outbound_password: str | None = None
    callback_types: list[str] = field(default_factory=list)
    #: The deprecated ``MsgCallbackUrl``/``CallbackUrl`` when the app was made with them.
    legacy_url: str | None = None
    #: Voice-V2 fields, echoed as sent (``CallInitiatedCallbackUrl`` ...).
    voice: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    site_id: str
    name: str
    description: str | None = None


@dataclass
class SipPeer:
    """A Location: its messaging features (``None`` = off) and assigned messaging application."""

    peer_id: str
    site_id: str
    name: str
    is_default: bool = False
    proxy_peer_id: str = ""
    #: ``SipPeerSmsFeatureSettings`` children as sent (``Protocol``, ``Zone1`` ...).
    sms: dict[str, str] | None = None
    #: ``MmsSettings/Protocol`` when MMS is on.
    mms: str | None = None
    application_id: str | None = None
