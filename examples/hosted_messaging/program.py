"""The flagship hosted-messaging program, importable so inline Automation API runs can reuse it.

Stack config (project namespace): ``numbers`` (JSON list, required), ``siteId`` (required),
``sipPeerId``, ``callbackUrl`` (required: order callbacks), ``messageUrl`` (inbound SMS, default
``callbackUrl``), ``callbackUser`` and ``callbackPassword`` (secret), ``subscriberName``,
``houseNumber``, ``streetName``, ``city``, ``stateCode``, ``zip``, ``loaAuthorizingPerson``,
``allowPartial``, ``waitTimeout``, ``applicationName``, ``adoptExistingBindings`` (take over
numbers already bound on the Catapult user). Credentials are ``bandwidth:*`` config.

The numbers are bound by one ``PhoneNumberBindings`` ("bindings"), which follows the order's
``imported_numbers``, not the configured list: with ``allowPartial=true`` a number Bandwidth
refuses is recorded in the order's ``failed_numbers`` and left unbound, and ``up`` succeeds
(binding it would fail: not in service). One engine step binds every number, many at once
within Catapult's import budget, instead of one ``PhoneNumber`` step per number. While the
order is still to run, the preview shows the bindings as created or updated (their numbers are
not known yet), never as deleted.

Stacks made before this change hold one ``PhoneNumber`` ("number-<10 digits>") per number. To
move one without unbinding anything: ``pulumi state delete`` each ``number-...`` resource (the
bindings stay on Catapult), ``pulumi config set adoptExistingBindings true``, then ``pulumi up``
(the new "bindings" resource adopts them).
"""

from __future__ import annotations

import pulumi

from bw_pulumi import (
    Application,
    ApplicationArgs,
    ImportTnOrder,
    ImportTnOrderArgs,
    PhoneNumberBindings,
    PhoneNumberBindingsArgs,
    ServiceAddress,
    Subscriber,
    Subscription,
    SubscriptionArgs,
)


def hosted_messaging(cfg: pulumi.Config) -> tuple[Subscription, ImportTnOrder, Application]:
    """Everything but the bindings: the callbacks, the import order and the application.

    Apart from :func:`program` so a stack can bind the numbers its own way (the benchmark's
    per-number variant binds them with one ``PhoneNumber`` each).
    """
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
        # Pulumi destroys a level of the dependency graph at a time, from the deepest: beside
        # the order (one level under the callbacks) the application is deleted while the
        # removal order runs, instead of after it. Its create waits only for the subscription.
        opts=pulumi.ResourceOptions(depends_on=[callbacks]),
    )
    return callbacks, order, app


def program() -> None:
    cfg = pulumi.Config()
    callbacks, order, app = hosted_messaging(cfg)
    bindings = PhoneNumberBindings(
        "bindings",
        PhoneNumberBindingsArgs(
            application_id=app.application_id,
            telephone_numbers=order.imported_numbers,
            adopt_existing=cfg.get_bool("adoptExistingBindings"),
        ),
    )

    pulumi.export("subscription_id", callbacks.subscription_id)
    pulumi.export("order_id", order.order_id)
    pulumi.export("order_status", order.processing_status)
    pulumi.export("imported_numbers", order.imported_numbers)
    pulumi.export("application_id", app.application_id)
    pulumi.export("failed_numbers", order.failed_numbers)
    pulumi.export("number_ids", bindings.number_ids)
