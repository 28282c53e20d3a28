"""Subscription: a Dashboard order-status callback subscription (``/subscriptions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.subscription import DEFAULT_EXPIRY, INPUTS, SubscriptionCore
from ._provider import BaseProvider, get_resource

__all__ = ["DEFAULT_EXPIRY", "Subscription", "SubscriptionArgs", "SubscriptionProvider"]


class SubscriptionProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.subscription`."""

    core_class = SubscriptionCore


SubscriptionProvider.__module__ = "bw_pulumi"


@dataclass
class SubscriptionArgs:
    """Inputs of :class:`Subscription`.

    ``order_type`` and ``order_id`` replace the subscription when changed; every other input is
    updated in place (a full PUT that resends the password).

    Attributes:
        order_type: Required. ``importtnorders``, ``removeImportedTnOrders``, ... (any case).
            Changing it replaces the subscription.
        callback_url: Required. Where Bandwidth POSTs ``Notification`` documents. Updates.
        expiry: Lifetime in seconds; default 3122064000 (~99 years). Updates; Bandwidth's
            countdown never shows as drift.
        callback_user: Basic-auth user for the callback; default none. Give it with
            ``callback_password`` or neither. Updates.
        callback_password: Basic-auth password for the callback; default none. Secret in
            state, never returned by Bandwidth. Updates.
        public_key: Base64 certificate for mutual TLS; default none. Updates.
        order_id: Notify about this one order (UUID) only; default all orders of the type.
            Changing it replaces the subscription.
        adopt_subscription_id: Take over this existing subscription at create; destroy then
            deletes it. Default none; read only at create.
    """

    order_type: pulumi.Input[str]
    """Order type to notify: ``importtnorders`` or ``removeImportedTnOrders`` (any case)."""
    callback_url: pulumi.Input[str]
    """Where Bandwidth POSTs ``Notification`` documents (http or https)."""
    expiry: pulumi.Input[int] | None = None
    """Lifetime in seconds (default ~99 years). Bandwidth counts it down, but state keeps this
    value and refresh never compares it, so it never shows as drift; only a subscription that
    expires and disappears is reported (gone), and the next ``up`` re-creates it."""
    callback_user: pulumi.Input[str] | None = None
    """Basic-auth user Bandwidth answers the callback challenge with."""
    callback_password: pulumi.Input[str] | None = None
    """Basic-auth password; always secret in state, never returned by Bandwidth."""
    public_key: pulumi.Input[str] | None = None
    """Base64 certificate for mutual TLS on the callback."""
    order_id: pulumi.Input[str] | None = None
    """Limit notifications to one order (UUID)."""
    adopt_subscription_id: pulumi.Input[str] | None = None
    """Take over this existing subscription instead of creating one; destroy then deletes it."""


class Subscription(Resource, module="bandwidth", name="Subscription"):
    """A Bandwidth Dashboard callback subscription for order-status notifications.

    Manages ``/accounts/{accountId}/subscriptions/{id}``. Changing ``order_type`` or ``order_id``
    replaces it; everything else updates in place. Refresh reports a subscription deleted outside
    Pulumi (the next ``up`` re-creates it) and edits to its URL, user or order filter; neither
    the expiry Bandwidth counts down nor the write-only password ever shows as drift.

    Outputs:
        subscription_id: Bandwidth's id of the subscription (also the resource id).
        order_type: The order type notified, as Bandwidth spells it.
        callback_url: Where Bandwidth POSTs notifications.
        expiry: The lifetime in seconds that was set (not Bandwidth's countdown).
        callback_user: Basic-auth user of the callback, if any.
        callback_password: Basic-auth password of the callback, if any; secret.
        public_key: Base64 certificate for mutual TLS, if any.
        order_id: The one order notified about, if limited to one.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_subscription_id`` to take over an existing subscription: create converges it to these
    inputs, and ``pulumi destroy`` then deletes it.
    """

    subscription_id: pulumi.Output[str]
    """Bandwidth's id of the subscription (also the resource id)."""
    order_type: pulumi.Output[str]
    """The order type notified, as Bandwidth reports it."""
    callback_url: pulumi.Output[str]
    """Where Bandwidth POSTs notifications; refresh reports an edit made outside Pulumi."""
    expiry: pulumi.Output[int]
    """The lifetime in seconds that was set, not Bandwidth's countdown (never drift)."""
    callback_user: pulumi.Output[str | None]
    """Basic-auth user of the callback, if any."""
    callback_password: pulumi.Output[str | None]
    """Basic-auth password, secret; carried from the inputs since Bandwidth never returns it."""
    public_key: pulumi.Output[str | None]
    """Base64 certificate for mutual TLS on the callback, if any."""
    order_id: pulumi.Output[str | None]
    """The one order notified about, if the subscription is limited to one."""

    def __init__(
        self, resource_name: str, args: SubscriptionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """A Dashboard callback subscription for order-status notifications.

        ``help(Subscription)`` lists its outputs, ``help(SubscriptionArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`SubscriptionArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        if props["expiry"] is None:
            props["expiry"] = DEFAULT_EXPIRY
        if props["callback_password"] is not None:
            props["callback_password"] = pulumi.Output.secret(props["callback_password"])
        props["subscription_id"] = None
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["callback_password"])
        )
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(SubscriptionProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Subscription:
        """Look up an existing Subscription by id, read-only: every field comes from Bandwidth, the
        state marks it external and ``destroy`` leaves it alone."""
        return get_resource(
            Subscription,
            SubscriptionProvider(),
            resource_name,
            id,
            (*INPUTS, "subscription_id"),
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=["callback_password"])
            ),
        )
