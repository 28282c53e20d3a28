"""Typed inputs and results of the current platform's Dashboard objects (plain dataclasses, no
XML): Messaging-V2 applications, Sites, SIP peers (Locations) and their messaging products."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CALLBACK_TYPES",
    "MESSAGING_V2",
    "AssociatedSipPeer",
    "CallbackCreds",
    "MessagingApp",
    "MessagingAppSpec",
    "MmsFeatureInfo",
    "SipPeerInfo",
    "SiteInfo",
    "SmsFeatureSettings",
]

#: The only service type these clients create (bandwidth-api-v2.md 1, 2).
MESSAGING_V2 = "Messaging-V2"
#: ``RequestedCallbackTypes/CallbackType`` values for messaging (bandwidth-api-v2.md 2).
CALLBACK_TYPES = ("message-delivered", "message-failed", "message-sending")


@dataclass(frozen=True)
class CallbackCreds:
    """Basic-auth credentials Bandwidth answers a callback challenge with; the password is
    write-only (never echoed, bandwidth-api-v2.md 2), so reads carry ``None``."""

    user_id: str
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class MessagingAppSpec:
    """Everything a POST or PUT sends for a ``Messaging-V2`` application (PUT is a full
    replace, so an update sends this whole, passwords included)."""

    app_name: str
    inbound_callback_url: str
    outbound_callback_url: str | None = None
    inbound_credentials: CallbackCreds | None = None
    outbound_credentials: CallbackCreds | None = None
    #: ``None`` leaves the element out (Bandwidth's default applies).
    requested_callback_types: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MessagingApp:
    """An application as Bandwidth echoes it (passwords never included)."""

    application_id: str
    service_type: str | None
    app_name: str | None
    inbound_callback_url: str | None = None
    outbound_callback_url: str | None = None
    inbound_callback_user: str | None = None
    outbound_callback_user: str | None = None
    requested_callback_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssociatedSipPeer:
    """A Location that uses an application (``associatedsippeers``)."""

    site_id: str | None
    site_name: str | None
    peer_id: str | None
    peer_name: str | None

    def __str__(self) -> str:
        peer = f"{self.peer_name!r} (sip peer {self.peer_id})" if self.peer_name else self.peer_id
        return f"{peer} in site {self.site_id}"


@dataclass(frozen=True)
class SiteInfo:
    site_id: str
    name: str | None


@dataclass(frozen=True)
class SipPeerInfo:
    """A Location (SIP peer) of a Site."""

    peer_id: str
    peer_name: str | None
    is_default_peer: bool | None
    site_id: str | None = None


@dataclass(frozen=True)
class SmsFeatureSettings:
    """``SipPeerSmsFeatureSettings`` (bandwidth-api-v2.md 3, step 3). Zone1 is mandatory."""

    toll_free: bool = False
    short_code: bool = False
    zone1: bool = True
    zone2: bool = False
    zone3: bool = False
    zone4: bool = False
    zone5: bool = False
    protocol: str = "HTTP"


@dataclass(frozen=True)
class MmsFeatureInfo:
    """What a Location's MMS feature says (only its protocol matters here)."""

    protocol: str | None
