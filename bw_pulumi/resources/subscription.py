"""Subscription: a Dashboard order-status callback subscription (``/subscriptions``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pulumi.runtime.rpc import wrap_rpc_secret

from .._sdk_compat import install_serialize_provider_guard
from ..clients.dashboard import SubscriptionInfo, SubscriptionSpec
from ..errors import AdoptionMismatch, Conflict, NotFound
from ._create_retry import create_or_resume
from ._provider import BaseProvider, Failures, diff_props, get_resource, is_unknown, user_props

__all__ = ["DEFAULT_EXPIRY", "Subscription", "SubscriptionArgs", "SubscriptionProvider"]

#: ~99 years, as Bandwidth's guides recommend (bandwidth-api.md 2.1); the API default is one day.
DEFAULT_EXPIRY = 3122064000

# Exact spellings matter: `importtnorders` is all lowercase, `removeImportedTnOrders` camelCase
# (bandwidth-api.md 2.1 and 14.3). Users may write any case; we send the canonical one. The SPEC
# enum plus the two voice-import types only MDX-SUBS lists (2.1).
_ORDER_TYPES = {
    name.lower(): name
    for name in (
        "portins",
        "orders",
        "portouts",
        "disconnects",
        "dldas",
        "lsrorders",
        "e911s",
        "tnoptions",
        "externalTns",
        "lidb",
        "bulkPortins",
        "importtnorders",
        "removeImportedTnOrders",
        "csrs",
        "emergencyNotificationGroup",
        "emergencyEndpointGroup",
        "tollfreePortingValidations",
        "importVoiceTnOrders",
        "removeImportedVoiceTnOrders",
    )
}

_INPUTS = (
    "order_type",
    "callback_url",
    "expiry",
    "callback_user",
    "callback_password",
    "public_key",
    "order_id",
    "adopt_subscription_id",
)
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def check_url(failures: Failures, prop: str, value: Any, *, required: bool) -> str | None:
    """Validate and strip an http(s) URL input; record a failure naming ``prop``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            failures.add(prop, f"{prop} is required")
        return None
    if not isinstance(value, str) or not _URL.match(value.strip()):
        failures.add(prop, f"{prop} must be an http:// or https:// URL; got {value!r}")
        return value if isinstance(value, str) else None
    return value.strip()


class SubscriptionProvider(BaseProvider):
    """Dashboard subscription CRUD. See :class:`Subscription`."""

    apis = ("dashboard",)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures = Failures()
        order_type = news.get("order_type")
        if not is_unknown(order_type):
            canonical = _ORDER_TYPES.get(str(order_type or "").lower())
            if canonical is None:
                failures.add(
                    "order_type",
                    f"unknown order_type {order_type!r}; use e.g. 'importtnorders' or "
                    f"'removeImportedTnOrders' (one of {sorted(_ORDER_TYPES.values())})",
                )
            else:
                inputs["order_type"] = canonical
        if not is_unknown(news.get("callback_url")):
            inputs["callback_url"] = check_url(
                failures, "callback_url", news.get("callback_url"), required=True
            )
        expiry = news.get("expiry", DEFAULT_EXPIRY)
        if not is_unknown(expiry):
            if isinstance(expiry, bool) or not isinstance(expiry, (int, float)) or expiry <= 0:
                failures.add(
                    "expiry", f"expiry must be a positive number of seconds; got {expiry!r}"
                )
            elif int(expiry) != expiry:
                failures.add("expiry", f"expiry must be whole seconds; got {expiry!r}")
            else:
                inputs["expiry"] = int(expiry)
        user, password = news.get("callback_user"), news.get("callback_password")
        if not (is_unknown(user) or is_unknown(password)) and bool(user) != bool(password):
            # Bandwidth error 14505: Basic auth needs both a username and a password.
            failures.add(
                "callback_password" if user else "callback_user",
                "callback_user and callback_password must be given together",
            )
        for prop in ("order_id", "adopt_subscription_id"):
            value = news.get(prop)
            if value is not None and not is_unknown(value) and not _is_uuid(value):
                failures.add(prop, f"{prop} must be a Bandwidth id (a UUID); got {value!r}")
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Expiry is compared against the *requested* value kept in state, never the countdown the
        # API returns, and the password against the last one we sent (GET never returns it).
        return diff_props(
            olds,
            news,
            replace_keys=("order_type", "order_id"),
            update_keys=(
                "callback_url",
                "expiry",
                "callback_user",
                "callback_password",
                "public_key",
            ),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        spec = _spec(inputs)
        adopt = inputs.get("adopt_subscription_id")
        if adopt:
            self._adopt(adopt, spec)
            return CreateResult(adopt, _outputs(inputs, adopt))
        client = self.dashboard()
        # Listed first so that, if the POST's answer is lost, the subscription it created can be
        # told apart from a look-alike that another stack (or a person) already owns.
        before = set(_matching(client, spec))

        def post() -> str:
            try:
                return client.create_subscription(spec)
            except Conflict as exc:
                raise _conflict(spec, before, exc) from None

        def find() -> str | None:
            # Ours is the one matching subscription that was not there before the first POST.
            new = set(_matching(client, spec)) - before
            if len(new) > 1:
                raise Conflict(
                    f"several subscriptions for {spec.order_type} -> {spec.callback_url} appeared "
                    f"while this one was being created ({', '.join(sorted(new))}); set "
                    f"adopt_subscription_id to take one over (destroy will then delete it)"
                )
            return new.pop() if new else None

        sub_id = create_or_resume(post, find, f"subscription for {spec.order_type}")
        return CreateResult(sub_id, _outputs(inputs, sub_id))

    def _adopt(self, adopt: str, spec: SubscriptionSpec) -> None:
        client = self.dashboard()
        try:
            live = client.get_subscription(adopt)
        except NotFound:
            raise NotFound(
                f"adopt_subscription_id {adopt} does not exist on account "
                f"{self.settings.account_id}; remove the input to create a new subscription"
            ) from None
        _check_adoptable(adopt, live, spec)
        client.update_subscription(adopt, spec)  # converge the adopted object to the program

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self.dashboard().get_subscription(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadResult(None, {})
        state = user_props(props)
        inputs = {k: state[k] for k in _INPUTS if k in state}
        for key, value in (
            ("callback_url", live.callback_url),
            ("callback_user", live.callback_user),
            (
                "order_type",
                live.order_type and _ORDER_TYPES.get(live.order_type.lower(), live.order_type),
            ),
            ("order_id", live.order_id),
        ):
            if value is not None or key in inputs:
                inputs[key] = value
        # Expiry is left as requested: Bandwidth answers the seconds remaining, counting down
        # (bandwidth-api.md 2.4 and 14.1), which must never read as drift.
        inputs = {k: v for k, v in inputs.items() if v is not None}
        outs = _outputs(inputs, id_)
        if "callback_password" in inputs:
            # The engine re-marks secrets only from old inputs, which a `get` does not have:
            # mark the write-only password secret ourselves so it never lands in plain text.
            inputs["callback_password"] = wrap_rpc_secret(inputs["callback_password"])
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        # PUT is a full replace on Bandwidth: resend every field, the password included.
        self.dashboard().update_subscription(id_, _spec(inputs))
        return UpdateResult(_outputs(inputs, id_))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            self.dashboard().delete_subscription(id_)
        except NotFound:
            self.confirm_gone("dashboard")


SubscriptionProvider.__module__ = "bw_pulumi"


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _conflict(spec: SubscriptionSpec, existing: set[str], exc: Conflict) -> Conflict:
    hint = f" (existing: {', '.join(sorted(existing))})" if existing else ""
    return Conflict(
        f"a subscription for {spec.order_type} -> {spec.callback_url} already exists{hint}; "
        f"set adopt_subscription_id to take it over (destroy will then delete it)",
        status=exc.status,
        method=exc.method,
        path=exc.path,
        details=exc.details,
    )


def _check_adoptable(sub_id: str, live: SubscriptionInfo, spec: SubscriptionSpec) -> None:
    """Refuse what the PUT that converges the rest could not make true: order type and order."""
    mismatches = []
    if (live.order_type or "").lower() != spec.order_type.lower():
        mismatches.append(f"order_type is {live.order_type!r} on Bandwidth but {spec.order_type!r}")
    if _uuid_key(live.order_id) != _uuid_key(spec.order_id):
        mismatches.append(f"order_id is {live.order_id!r} on Bandwidth but {spec.order_id!r}")
    if mismatches:
        raise AdoptionMismatch(
            f"cannot adopt subscription {sub_id}: "
            + "; ".join(f"{m} in the program" for m in mismatches)
            + ". These fields only change by replacing the subscription; set them to its values"
        )


def _spec(inputs: Mapping[str, Any]) -> SubscriptionSpec:
    return SubscriptionSpec(
        order_type=inputs["order_type"],
        callback_url=inputs["callback_url"],
        expiry=int(inputs.get("expiry", DEFAULT_EXPIRY)),
        callback_user=inputs.get("callback_user"),
        callback_password=inputs.get("callback_password"),
        public_key=inputs.get("public_key"),
        order_id=inputs.get("order_id"),
    )


def _matching(client: Any, spec: SubscriptionSpec) -> list[str]:
    return [
        s.subscription_id
        for s in client.list_subscriptions(order_type=spec.order_type, order_id=spec.order_id)
        if s.callback_url == spec.callback_url and _uuid_key(s.order_id) == _uuid_key(spec.order_id)
    ]


def _uuid_key(value: str | None) -> str | None:
    """UUIDs compare without regard to case (how Bandwidth cases them is not documented)."""
    return value.lower() if value else None


def _outputs(inputs: Mapping[str, Any], sub_id: str) -> dict[str, Any]:
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs.setdefault("expiry", DEFAULT_EXPIRY)
    outs["subscription_id"] = sub_id
    return outs


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
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
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
            (*_INPUTS, "subscription_id"),
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=["callback_password"])
            ),
        )
