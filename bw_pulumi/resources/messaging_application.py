"""MessagingApplication: a Messaging-V2 application on the Dashboard API
(``/accounts/{accountId}/applications``, bandwidth-api-v2.md 2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.messaging_application import INPUTS, SECRET, MessagingApplicationCore
from ._provider import BaseProvider, get_resource

__all__ = [
    "CallbackCredentials",
    "MessagingApplication",
    "MessagingApplicationArgs",
    "MessagingApplicationProvider",
]


class MessagingApplicationProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.messaging_application`."""

    core_class = MessagingApplicationCore


MessagingApplicationProvider.__module__ = "bw_pulumi"


def _credentials_props(value: Any) -> Any:
    """Dataclasses are not serializable as inputs (pulumi-dynamic-providers.md 1.1): a dict,
    wholly secret (it carries the password)."""
    if value is None:
        return None
    if isinstance(value, CallbackCredentials):
        value = {"user_id": value.user_id, "password": value.password}
    return pulumi.Output.secret(value)


@dataclass
class CallbackCredentials:
    """Basic-auth credentials Bandwidth answers a callback's 401 challenge with (HTTPS only).

    Attributes:
        user_id: Required. User id Bandwidth sends.
        password: Required. Password Bandwidth sends; secret in state, never returned.
    """

    user_id: pulumi.Input[str]
    """User id Bandwidth sends."""
    password: pulumi.Input[str]
    """Password Bandwidth sends; write-only on Bandwidth, secret in state."""


@dataclass
class MessagingApplicationArgs:
    """Inputs of :class:`MessagingApplication`; every one updates in place.

    Attributes:
        app_name: Required. Application name (Bandwidth does not require it unique). Updates.
        inbound_callback_url: Required. Where Bandwidth POSTs inbound messages
            (``message-received``). Updates.
        outbound_callback_url: Where Bandwidth POSTs status callbacks (``message-delivered``,
            ``message-failed``, ...); default none. Updates.
        inbound_callback_credentials: :class:`CallbackCredentials` for the inbound URL (then
            ``https://``); default none. Secret in state. Updates.
        outbound_callback_credentials: :class:`CallbackCredentials` for the outbound URL (then
            ``https://``); default none. Secret in state. Updates.
        requested_callback_types: Any of ``message-delivered``, ``message-failed``,
            ``message-sending``; default Bandwidth's. Updates.
        adopt_application_id: Take over this existing Messaging-V2 application; destroy then
            deletes it. Default none; read only at create.
    """

    app_name: pulumi.Input[str]
    """Application name (Bandwidth does not require it to be unique)."""
    inbound_callback_url: pulumi.Input[str]
    """Where Bandwidth POSTs inbound messages (``message-received``)."""
    outbound_callback_url: pulumi.Input[str] | None = None
    """Where Bandwidth POSTs status callbacks (``message-delivered``, ``message-failed``...)."""
    inbound_callback_credentials: CallbackCredentials | None = None
    """Credentials for the inbound URL (which must then be https://)."""
    outbound_callback_credentials: CallbackCredentials | None = None
    """Credentials for the outbound URL (which must then be https://)."""
    requested_callback_types: pulumi.Input[list[str]] | None = None
    """Status callbacks wanted: ``message-delivered``, ``message-failed``,
    ``message-sending``; Bandwidth's default when unset."""
    adopt_application_id: pulumi.Input[str] | None = None
    """Take over this existing Messaging-V2 application; destroy then deletes it."""


class MessagingApplication(Resource, module="bandwidth", name="MessagingApplication"):
    """A Messaging-V2 application (current platform) that receives the messages of the numbers
    in the Locations it is assigned to (see :class:`LocationMessaging`).

    Manages ``/accounts/{accountId}/applications/{id}``; every input updates in place with a full
    PUT (passwords resent from state, since Bandwidth never returns them). Refresh reports an
    application deleted outside Pulumi and every echoed field edited there; passwords are never
    compared with a read. Destroy is refused while a Location still uses the application, naming
    the Location.

    Outputs:
        application_id: Bandwidth's ``ApplicationId`` (a UUID, also the resource id): what
            LocationMessaging takes.
        app_name: The application's name.
        inbound_callback_url: Where inbound messages are delivered.
        outbound_callback_url: Where status callbacks are delivered, if set.
        inbound_callback_credentials: ``{user_id, password}`` for the inbound URL, if set;
            secret.
        outbound_callback_credentials: ``{user_id, password}`` for the outbound URL, if set;
            secret.
        requested_callback_types: Status callback types requested, sorted, if set.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_application_id`` to take over an existing application: create converges it to these
    inputs, and ``pulumi destroy`` then deletes it.
    """

    application_id: pulumi.Output[str]
    """Bandwidth's ``ApplicationId`` (a UUID, also the resource id): what LocationMessaging and
    the Messages API take as ``application_id``."""
    app_name: pulumi.Output[str]
    """Application name."""
    inbound_callback_url: pulumi.Output[str]
    """Where inbound messages are delivered."""
    outbound_callback_url: pulumi.Output[str | None]
    """Where status callbacks are delivered, if set."""
    inbound_callback_credentials: pulumi.Output[dict[str, Any] | None]
    """``{user_id, password}`` for the inbound URL, secret, if set."""
    outbound_callback_credentials: pulumi.Output[dict[str, Any] | None]
    """``{user_id, password}`` for the outbound URL, secret, if set."""
    requested_callback_types: pulumi.Output[list[str] | None]
    """Status callback types requested, sorted, if set."""

    def __init__(
        self,
        resource_name: str,
        args: MessagingApplicationArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A Messaging-V2 application, for the numbers of the Locations it is assigned to.

        ``help(MessagingApplication)`` lists its outputs,
        ``help(MessagingApplicationArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`MessagingApplicationArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        for prop in SECRET:
            props[prop] = _credentials_props(props[prop])
        props["application_id"] = None
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=SECRET)
        )
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(MessagingApplicationProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> MessagingApplication:
        """Look up an existing MessagingApplication by id, read-only: every field comes from
        Bandwidth (passwords excepted, which it never returns), the state marks it external and
        ``destroy`` leaves it alone."""
        return get_resource(
            MessagingApplication,
            MessagingApplicationProvider(),
            resource_name,
            id,
            (*INPUTS, "application_id"),
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=SECRET)
            ),
        )
