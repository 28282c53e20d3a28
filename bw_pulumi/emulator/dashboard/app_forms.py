"""A Dashboard ``Application`` body as plain data, and the rules Bandwidth checks it against.

Codes from bandwidth-api-v2.md 2 ([DOCS-NUMERR]). The status of each refusal is not documented:
400 for what the request got wrong, 404 for an unknown application (choice). The error envelope
is not documented either (v2 doc 2, "Could not confirm"): the handlers use the common
``ApplicationProvisioningResponse > ResponseStatus`` form (API doc 1.5 shape 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from bw_pulumi import _xml
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.provisioning import MESSAGING_V2, VOICE_V2, DashboardApplication

__all__ = ["ApplicationForm", "CredsForm", "application_form", "apply_form", "refuse"]

#: Spec request examples say ``Messaging``/``Voice`` while responses say ``-V2`` (v2 doc 2).
_SERVICE_TYPES = {
    "messaging-v2": MESSAGING_V2,
    "messaging": MESSAGING_V2,
    "voice-v2": VOICE_V2,
    "voice": VOICE_V2,
}
ALL_CALLBACK_TYPES = ["message-delivered", "message-failed", "message-sending"]
VOICE_FIELDS = (
    "CallInitiatedCallbackUrl",
    "CallInitiatedMethod",
    "CallStatusCallbackUrl",
    "CallStatusMethod",
    "CallbackTimeout",
)


def refuse(code: int, text: str, status: int = 400) -> EmulatorFault:
    return EmulatorFault(status, code, text)


@dataclass
class CredsForm:
    """``{Inbound,Outbound,}CallbackCreds`` as sent (either part may be missing)."""

    user_id: str | None = None
    password: str | None = None


@dataclass
class ApplicationForm:
    """What an ``<Application>`` body sets; ``None`` = the element was absent."""

    service_type: str | None = None
    app_name: str | None = None
    inbound_url: str | None = None
    outbound_url: str | None = None
    inbound_creds: CredsForm | None = None
    outbound_creds: CredsForm | None = None
    callback_types: list[str] | None = None
    msg_callback_url: str | None = None
    callback_url: str | None = None
    callback_creds: CredsForm | None = None
    voice: dict[str, str] = field(default_factory=dict)


def _creds(node: etree._Element, name: str) -> CredsForm | None:
    found = _xml.children_named(node, name)
    if not found:
        return None
    return CredsForm(_xml.child_text(found[0], "UserId"), _xml.child_text(found[0], "Password"))


def application_form(root: etree._Element) -> ApplicationForm:
    node = _xml.find(root, "Application")
    if node is None:
        raise refuse(1003, "Application is required")
    types = _xml.children_named(node, "RequestedCallbackTypes")
    return ApplicationForm(
        service_type=_xml.child_text(node, "ServiceType"),
        app_name=_xml.child_text(node, "AppName"),
        inbound_url=_xml.child_text(node, "InboundCallbackUrl"),
        outbound_url=_xml.child_text(node, "OutboundCallbackUrl"),
        inbound_creds=_creds(node, "InboundCallbackCreds"),
        outbound_creds=_creds(node, "OutboundCallbackCreds"),
        callback_types=_xml.texts(types[0], "CallbackType") if types else None,
        msg_callback_url=_xml.child_text(node, "MsgCallbackUrl"),
        callback_url=_xml.child_text(node, "CallbackUrl"),
        callback_creds=_creds(node, "CallbackCreds") or _creds(node, "MsgCallbackCreds"),
        voice={
            name: text for name in VOICE_FIELDS if (text := _xml.child_text(node, name)) is not None
        },
    )


def _check_url(url: str | None) -> None:
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refuse(12803, f"Invalid URL format: {url}")


def _loopback(url: str) -> bool:
    """An emulator allowance, not Bandwidth's rule: plain-HTTP receivers on this machine may
    take credentials, so tests can run a local receiver without a certificate."""
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def _legacy(form: ApplicationForm) -> None:
    """The deprecated single-URL form (v2 doc 2): it sets both URLs, both creds, all types."""
    if form.callback_url and form.msg_callback_url and form.callback_url != form.msg_callback_url:
        raise refuse(12960, "CallbackUrl and MsgCallbackUrl must not differ")
    url = form.msg_callback_url or form.callback_url
    if url and (form.inbound_url or form.outbound_url):
        raise refuse(13065, "MsgCallbackUrl cannot be combined with Inbound/OutboundCallbackUrl")
    if form.callback_creds and (form.inbound_creds or form.outbound_creds):
        raise refuse(13066, "CallbackCreds cannot be combined with Inbound/OutboundCallbackCreds")
    if url:
        form.inbound_url = form.outbound_url = url
        if form.callback_types is None:
            form.callback_types = list(ALL_CALLBACK_TYPES)
    if form.callback_creds:
        form.inbound_creds = form.outbound_creds = form.callback_creds


def _apply_creds(
    creds: CredsForm | None, old_user: str | None, old_password: str | None
) -> tuple[str | None, str | None]:
    """The (user, password) kept; a password without a user is 12800, a new user without a
    password 12977 (create) or 12976 (a changed user id)."""
    if creds is None:
        return None, None
    if creds.password and not creds.user_id:
        raise refuse(12800, "Can not save password without user name")
    if creds.user_id and not creds.password:
        if old_user is None:
            raise refuse(12977, "Can not save user id without password")
        if creds.user_id != old_user:
            raise refuse(
                12976, "UserId of Application could not be changed without specifying Password"
            )
        return old_user, old_password  # same user, password kept (write-only, never echoed)
    return creds.user_id, creds.password


def apply_form(
    app: DashboardApplication, form: ApplicationForm, *, partial: bool, creating: bool
) -> None:
    """Validate ``form`` and write it onto ``app``: every field (create, PUT) or only the
    fields sent (PATCH). Raises the first rule broken."""
    _legacy(form)
    wanted = _SERVICE_TYPES.get((form.service_type or "").lower())
    if form.service_type is not None or not partial:
        if wanted is None:
            raise refuse(12801, f"Service Type {form.service_type or ''} is not valid".strip())
        if not creating and wanted != app.service_type:
            raise refuse(12964, "Service Type of Application could not be changed")
        app.service_type = wanted
    if form.app_name is not None or not partial:
        if not form.app_name:
            raise refuse(12806, "Application Name required")
        app.app_name = form.app_name
    if form.msg_callback_url or form.callback_url or not partial:
        app.legacy_url = form.msg_callback_url or form.callback_url
    _apply_messaging(app, form, partial)
    if app.service_type == VOICE_V2:
        app.voice = {**app.voice, **form.voice} if partial else dict(form.voice)
        if app.voice.get("CallStatusCallbackUrl", "").lower() == "remove":
            del app.voice["CallStatusCallbackUrl"]  # PATCH clears it with "remove" (v2 doc 2)


def _apply_messaging(app: DashboardApplication, form: ApplicationForm, partial: bool) -> None:
    for url in (form.inbound_url, form.outbound_url):
        _check_url(url)
    if form.inbound_url is not None or not partial:
        app.inbound_callback_url = form.inbound_url
    if form.outbound_url is not None or not partial:
        app.outbound_callback_url = form.outbound_url
    if form.callback_types is not None or not partial:
        app.callback_types = list(form.callback_types or [])
    if form.inbound_creds is not None or not partial:
        app.inbound_user, app.inbound_password = _apply_creds(
            form.inbound_creds, app.inbound_user, app.inbound_password
        )
    if form.outbound_creds is not None or not partial:
        app.outbound_user, app.outbound_password = _apply_creds(
            form.outbound_creds, app.outbound_user, app.outbound_password
        )
    if app.service_type != MESSAGING_V2:
        return
    if not app.inbound_callback_url:
        raise refuse(12802, "Inbound callback URL must be specified")
    for url, user in (
        (app.inbound_callback_url, app.inbound_user),
        (app.outbound_callback_url, app.outbound_user),
    ):
        if user and url and not url.lower().startswith("https://") and not _loopback(url):
            raise refuse(12812, "HTTPS protocol is required if credentials are present")
