"""The flagship hosted-messaging program, importable so inline Automation API runs can reuse it.

Stack config (project namespace): ``numbers`` (JSON list, required), ``siteId`` (required),
``sipPeerId``, ``callbackUrl`` (required: order callbacks), ``messageUrl`` (inbound SMS, default
``callbackUrl``), ``callbackUser`` and ``callbackPassword`` (secret), ``subscriberName``,
``houseNumber``, ``streetName``, ``city``, ``stateCode``, ``zip``, ``loaAuthorizingPerson``,
``allowPartial``, ``waitTimeout``, ``applicationName``. Credentials are ``bandwidth:*`` config.

Bindings follow the order's ``imported_numbers``, not the configured list: with
``allowPartial=true`` a number Bandwidth refuses is recorded in ``failed_numbers`` and left
unbound, and ``up`` succeeds (binding it would fail with ``NumberNotInService``). Each number
keeps its own ``PhoneNumber`` named after it, as before, so existing stacks see no replacement.

They are registered inside an ``apply``, which Pulumi discourages because a preview cannot run
it while the value is unknown, and then shows existing bindings as deleted. The ``apply`` here
runs with unknowns: while the order is still to be created or changed, the preview plans one
binding per configured number (the order's outcome is not known before it runs), so ``preview``
shows the bindings a successful ``up`` creates, and a number that then fails is merely not
bound. Once the order is settled, preview and ``up`` bind exactly its ``imported_numbers``.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi

from bw_pulumi import (
    Application,
    ApplicationArgs,
    ImportTnOrder,
    ImportTnOrderArgs,
    PhoneNumber,
    PhoneNumberArgs,
    ServiceAddress,
    Subscriber,
    Subscription,
    SubscriptionArgs,
)


def _resource_suffix(number: str) -> str:
    """A stable resource name per number whatever form the user wrote it in."""
    digits = re.sub(r"\D", "", number)
    return digits[-10:] if len(digits) >= 10 else digits


def _bind_imported(
    numbers: list[str], order: ImportTnOrder, app: Application
) -> pulumi.Output[dict[str, str]]:
    """A PhoneNumber for each configured number the order imported; ``{name: number_id}``."""

    def bind(imported: Any) -> Any:
        # Unknown only in a preview of an order still to run: plan every configured number.
        planned = set(imported) if isinstance(imported, list) else None
        bindings = {}
        for number in numbers:
            suffix = _resource_suffix(number)
            if planned is not None and suffix not in planned:
                continue  # failed_numbers has it (allowPartial): nothing to bind
            bindings[f"number-{suffix}"] = PhoneNumber(
                f"number-{suffix}",
                PhoneNumberArgs(number=number, application_id=app.application_id),
                opts=pulumi.ResourceOptions(depends_on=[order]),
            )
        if not bindings:
            return {}
        return pulumi.Output.all(**{name: b.number_id for name, b in bindings.items()})

    return order.imported_numbers.apply(bind, run_with_unknowns=True)


def program() -> None:
    cfg = pulumi.Config()
    numbers: list[str] = cfg.require_object("numbers")
    callback_url = cfg.require("callbackUrl")

    callbacks = Subscription(
        "import-callbacks",
        SubscriptionArgs(
            order_type="importtnorders",
            callback_url=callback_url,
            callback_user=cfg.get("callbackUser"),
            callback_password=cfg.get_secret("callbackPassword"),
        ),
    )
    order = ImportTnOrder(
        "numbers",
        ImportTnOrderArgs(
            telephone_numbers=numbers,
            site_id=cfg.require("siteId"),
            sip_peer_id=cfg.get("sipPeerId"),
            subscriber=Subscriber(
                name=cfg.get("subscriberName") or "Hosted Messaging Customer",
                service_address=ServiceAddress(
                    house_number=cfg.get("houseNumber") or "900",
                    street_name=cfg.get("streetName") or "Main Campus Dr",
                    city=cfg.get("city") or "Raleigh",
                    state_code=cfg.get("stateCode") or "NC",
                    zip=cfg.get("zip") or "27606",
                ),
            ),
            loa_authorizing_person=cfg.get("loaAuthorizingPerson") or "Jane Doe",
            allow_partial=cfg.get_bool("allowPartial"),
            wait_timeout=cfg.get_float("waitTimeout"),
        ),
        # Subscribe first so the order's callbacks reach us.
        opts=pulumi.ResourceOptions(depends_on=[callbacks]),
    )
    app = Application(
        "sms-app",
        ApplicationArgs(
            name=cfg.get("applicationName") or f"{pulumi.get_project()}-{pulumi.get_stack()}",
            incoming_message_url=cfg.get("messageUrl") or callback_url,
            callback_http_method="POST",
        ),
    )
    number_ids = _bind_imported(numbers, order, app)

    pulumi.export("subscription_id", callbacks.subscription_id)
    pulumi.export("order_id", order.order_id)
    pulumi.export("order_status", order.processing_status)
    pulumi.export("imported_numbers", order.imported_numbers)
    pulumi.export("application_id", app.application_id)
    pulumi.export("failed_numbers", order.failed_numbers)
    pulumi.export("number_ids", number_ids)
