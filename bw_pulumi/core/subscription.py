"""Subscription's lifecycle core: a Dashboard order-status callback subscription
(``/subscriptions``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from ..clients.dashboard import SubscriptionInfo, SubscriptionSpec
from ..errors import AdoptionMismatch, Conflict, NotFound
from ..resources._create_retry import create_or_resume
from .base import CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import (
    Failures,
    FailureSink,
    diff_props,
    is_unknown,
    user_props,
)

__all__ = ["DEFAULT_EXPIRY", "INPUTS", "SubscriptionCore", "check_url"]

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

INPUTS = (
    "order_type",
    "callback_url",
    "expiry",
    "callback_user",
    "callback_password",
    "public_key",
    "order_id",
    "adopt_subscription_id",
)
_SECRET = frozenset({"callback_password"})
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def check_url(failures: FailureSink, prop: str, value: Any, *, required: bool) -> str | None:
    """Validate and strip an http(s) URL input; record a failure naming ``prop``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            failures.add(prop, f"{prop} is required")
        return None
    if not isinstance(value, str) or not _URL.match(value.strip()):
        failures.add(prop, f"{prop} must be an http:// or https:// URL; got {value!r}")
        return value if isinstance(value, str) else None
    return value.strip()


class SubscriptionCore(CoreBase):
    """Dashboard subscription CRUD."""

    apis = ("dashboard",)

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
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
        return CheckOutcome(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
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

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        spec = _spec(inputs)
        adopt = inputs.get("adopt_subscription_id")
        if adopt:
            self._adopt(adopt, spec)
            return adopt, _outputs(inputs, adopt)
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
        return sub_id, _outputs(inputs, sub_id)

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        try:
            live = self.dashboard().get_subscription(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadOutcome(None, {})
        state = user_props(props)
        inputs = {k: state[k] for k in INPUTS if k in state}
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
        # The engine re-marks secrets only from old inputs, which a `get` does not have: the
        # write-only password is named secret here so it never lands in plain text.
        return ReadOutcome(id_, outs, inputs, secrets=_SECRET & inputs.keys())

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        # PUT is a full replace on Bandwidth: resend every field, the password included.
        self.dashboard().update_subscription(id_, _spec(inputs))
        return _outputs(inputs, id_)

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            self.dashboard().delete_subscription(id_)
        except NotFound:
            self.confirm_gone("dashboard")


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
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs.setdefault("expiry", DEFAULT_EXPIRY)
    outs["subscription_id"] = sub_id
    return outs
