"""The flagship hosted-messaging program, importable so inline Automation API runs can reuse it.

Stack config (project namespace): ``numbers`` (JSON list, required), ``siteId`` (required),
``sipPeerId``, ``callbackUrl`` (required: order callbacks), ``messageUrl`` (inbound SMS, default
``callbackUrl``), ``callbackUser`` and ``callbackPassword`` (secret), ``subscriberName``,
``houseNumber``, ``streetName``, ``city``, ``stateCode``, ``zip``, ``loaAuthorizingPerson``,
``allowPartial``, ``waitTimeout``, ``applicationName``. Credentials are ``bandwidth:*`` config.
"""

from __future__ import annotations

import re

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
    bindings = {
        f"number-{_resource_suffix(number)}": PhoneNumber(
            f"number-{_resource_suffix(number)}",
            PhoneNumberArgs(number=number, application_id=app.application_id),
            opts=pulumi.ResourceOptions(depends_on=[order]),
        )
        for number in numbers
    }

    pulumi.export("subscription_id", callbacks.subscription_id)
    pulumi.export("order_id", order.order_id)
    pulumi.export("order_status", order.processing_status)
    pulumi.export("imported_numbers", order.imported_numbers)
    pulumi.export("application_id", app.application_id)
    pulumi.export("number_ids", {name: b.number_id for name, b in bindings.items()})
