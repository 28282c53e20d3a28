"""The messaging products of one Location, switched on and off in the order Bandwidth requires.

bandwidth-api-v2.md 3: SMS (over HTTP) comes before MMS (13623) and before the application can
be assigned (13645); SMS cannot be removed while MMS (13624) or messaging-enabled numbers
(13673) remain. Enabling is a creating POST, so a lost answer is resolved by reading the
feature back (:func:`~._create_retry.create_or_resume`): it was off before the POST, so a
feature found on is the one this POST enabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .._progress import say as log
from ..clients.dashboard_apps import DashboardAppsClient
from ..clients.dashboard_apps_models import SmsFeatureSettings
from ..errors import BandwidthError, NotFound
from ._create_retry import create_or_resume

__all__ = [
    "SMS_FIELDS",
    "Features",
    "PeerRef",
    "ensure_mms",
    "ensure_sms",
    "remove_mms",
    "remove_sms",
    "sms_settings",
    "undo",
]

#: SMS inputs -> ``SmsFeatureSettings`` attributes (the same names).
SMS_FIELDS = tuple(f.name for f in fields(SmsFeatureSettings) if f.name != "protocol")
#: "numbers with messaging remain" and "MMS remains": SMS stays (bandwidth-api-v2.md 3).
_SMS_BLOCKED = frozenset({"13673", "13624"})


@dataclass(frozen=True)
class PeerRef:
    """Which Location, and how errors name it."""

    site_id: str
    peer_id: str

    def __str__(self) -> str:
        return f"Location {self.peer_id} (site {self.site_id})"


def sms_settings(inputs: Mapping[str, Any], live: SmsFeatureSettings | None) -> SmsFeatureSettings:
    """The settings to send: what the program set, else what is live, else the defaults; the
    protocol is always HTTP (the only one HTTP messaging applications work with, 13645)."""
    base = live or SmsFeatureSettings()
    given = {k: bool(inputs[k]) for k in SMS_FIELDS if inputs.get(k) is not None}
    return replace(base, **given, protocol="HTTP")


@dataclass
class Features:
    """Which features this resource enabled itself (recorded in state, so delete removes
    only those)."""

    sms: bool = False
    mms: bool = False


def ensure_sms(
    client: DashboardAppsClient, where: PeerRef, inputs: Mapping[str, Any], mine: Features
) -> None:
    """SMS on over HTTP with the program's settings; enables it when it is off."""
    live = client.get_sms_feature(where.site_id, where.peer_id)
    wanted = sms_settings(inputs, live)
    if live is None:

        def post() -> bool:
            client.create_sms_feature(where.site_id, where.peer_id, wanted)
            return True

        def find() -> bool | None:
            return True if client.get_sms_feature(where.site_id, where.peer_id) else None

        create_or_resume(post, find, f"SMS on {where}")
        mine.sms = True
    elif live != wanted:
        client.update_sms_feature(where.site_id, where.peer_id, wanted)


def ensure_mms(client: DashboardAppsClient, where: PeerRef, mine: Features) -> None:
    """MMS on over HTTP (after SMS); enables it when it is off."""
    live = client.get_mms_feature(where.site_id, where.peer_id)
    if live is None:

        def post() -> bool:
            client.create_mms_feature(where.site_id, where.peer_id)
            return True

        def find() -> bool | None:
            return True if client.get_mms_feature(where.site_id, where.peer_id) else None

        create_or_resume(post, find, f"MMS on {where}")
        mine.mms = True
    elif live.protocol != "HTTP":
        client.update_mms_feature(where.site_id, where.peer_id)


def remove_mms(client: DashboardAppsClient, where: PeerRef) -> None:
    try:
        client.delete_mms_feature(where.site_id, where.peer_id)
    except NotFound:
        pass  # already off: what delete wanted


def remove_sms(client: DashboardAppsClient, where: PeerRef) -> None:
    """Off, or one line saying why Bandwidth keeps it and what to do first."""
    try:
        client.delete_sms_feature(where.site_id, where.peer_id)
    except NotFound:
        pass
    except BandwidthError as exc:
        if not _SMS_BLOCKED & set(exc.codes):
            raise
        raise type(exc)(
            f"SMS stays on {where}: Bandwidth refuses to remove it while messaging numbers (or "
            "MMS) remain there; remove those numbers first (make their ImportTnOrder depend on "
            "this LocationMessaging, so destroy removes the numbers before it), then run destroy "
            "again",
            status=exc.status,
            method=exc.method,
            path=exc.path,
            details=exc.details,
            api=exc.api,
        ) from None


def undo(client: DashboardAppsClient, where: PeerRef, mine: Features) -> None:
    """Best effort after a failed create: switch off what it enabled, MMS before SMS, so state
    (which records nothing of a failed create) is not contradicted by Bandwidth."""
    steps = [(mine.mms, remove_mms), (mine.sms, remove_sms)]
    for enabled, remove in steps:
        if not enabled:
            continue
        try:
            remove(client, where)
        except BandwidthError as exc:
            log(f"{where}: could not undo a feature this failed create enabled: {exc}")
