"""Application: a Catapult (v1) messaging application (``/v1/users/{userId}/applications``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.application import INPUTS, ApplicationCore
from ._provider import BaseProvider, get_resource

__all__ = ["Application", "ApplicationArgs", "ApplicationProvider"]


class ApplicationProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.application`."""

    core_class = ApplicationCore


ApplicationProvider.__module__ = "bw_pulumi"


@dataclass
class ApplicationArgs:
    """Inputs of :class:`Application`; every one updates in place.

    Optional inputs left unset keep whatever Catapult applies (its default, or a portal edit).

    Attributes:
        name: Required. Application name. Updates.
        incoming_message_url: Required. Where Catapult delivers inbound SMS events. Updates.
        incoming_message_url_callback_timeout: Callback timeout in ms (1..10000); default
            Catapult's. Updates.
        incoming_message_fallback_url: Tried when ``incoming_message_url`` fails; default
            none. Updates.
        callback_http_method: ``GET`` or ``POST``, any case; default Catapult's (POST).
            Updates.
        incoming_call_url: Where Catapult delivers inbound call events; default none. Updates.
        incoming_call_fallback_url: Tried when ``incoming_call_url`` fails; default none.
            Updates.
        auto_answer: Answer incoming calls automatically; default Catapult's (true). Updates.
        adopt_application_id: Take over this existing application; destroy then deletes it.
            Default none; read only at create.
    """

    name: pulumi.Input[str]
    """Application name."""
    incoming_message_url: pulumi.Input[str]
    """Where Catapult delivers inbound SMS events."""
    incoming_message_url_callback_timeout: pulumi.Input[int] | None = None
    """Callback timeout in milliseconds (1..10000)."""
    incoming_message_fallback_url: pulumi.Input[str] | None = None
    """Tried when ``incoming_message_url`` fails."""
    callback_http_method: pulumi.Input[str] | None = None
    """``GET`` or ``POST`` (any case; Catapult's default is POST)."""
    incoming_call_url: pulumi.Input[str] | None = None
    """Where Catapult delivers inbound call events."""
    incoming_call_fallback_url: pulumi.Input[str] | None = None
    """Tried when ``incoming_call_url`` fails."""
    auto_answer: pulumi.Input[bool] | None = None
    """Answer incoming calls automatically (Catapult's default is true)."""
    adopt_application_id: pulumi.Input[str] | None = None
    """Take over this existing application; destroy then deletes it."""


class Application(Resource, module="bandwidth", name="Application"):
    """A Catapult (v1) messaging application that receives a number's inbound SMS.

    Manages ``/v1/users/{userId}/applications/{id}``; every input updates in place (Catapult's
    partial POST update, changed fields only). Refresh reports an application deleted outside
    Pulumi (the next ``up`` re-creates it) and fields edited in the portal (the next ``up`` puts
    them back). Inputs left unset accept whatever default Catapult applies.

    Outputs:
        application_id: Catapult's id (``a-...``, also the resource id): what bindings take.
        name: The application's name.
        incoming_message_url: Where Catapult delivers inbound SMS events.
        incoming_message_url_callback_timeout: Callback timeout in milliseconds, if set.
        incoming_message_fallback_url: Tried when ``incoming_message_url`` fails, if set.
        callback_http_method: ``GET`` or ``POST`` (upper case), if set.
        incoming_call_url: Where Catapult delivers inbound call events, if set.
        incoming_call_fallback_url: Tried when ``incoming_call_url`` fails, if set.
        auto_answer: Whether incoming calls are answered automatically, if set.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_application_id`` to take over an existing application: create converges it to these
    inputs, and ``pulumi destroy`` then deletes it.
    """

    application_id: pulumi.Output[str]
    """Catapult's id of the application (``a-...``, also the resource id): what
    :class:`PhoneNumber` bindings take as ``application_id``."""
    name: pulumi.Output[str]
    """Application name."""
    incoming_message_url: pulumi.Output[str | None]
    """Where Catapult delivers inbound SMS events."""
    incoming_message_url_callback_timeout: pulumi.Output[int | None]
    """Callback timeout in milliseconds, if set."""
    incoming_message_fallback_url: pulumi.Output[str | None]
    """Tried when ``incoming_message_url`` fails, if set."""
    callback_http_method: pulumi.Output[str | None]
    """``GET`` or ``POST`` (upper case, whatever case was given), if set."""
    incoming_call_url: pulumi.Output[str | None]
    """Where Catapult delivers inbound call events, if set."""
    incoming_call_fallback_url: pulumi.Output[str | None]
    """Tried when ``incoming_call_url`` fails, if set."""
    auto_answer: pulumi.Output[bool | None]
    """Whether incoming calls are answered automatically, if set."""

    def __init__(
        self, resource_name: str, args: ApplicationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """A Catapult (v1) messaging application that receives a number's inbound SMS.

        ``help(Application)`` lists its outputs, ``help(ApplicationArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`ApplicationArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props["application_id"] = None
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(ApplicationProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Application:
        """Look up an existing Application by id, read-only: every field comes from Bandwidth, the
        state marks it external and ``destroy`` leaves it alone."""
        return get_resource(
            Application,
            ApplicationProvider(),
            resource_name,
            id,
            (*INPUTS, "application_id"),
            opts,
        )
