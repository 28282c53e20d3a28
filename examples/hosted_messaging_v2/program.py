"""The flagship for Bandwidth's current platform: numbers you own, imported into a Location of
their own, whose messaging goes to a Messaging-V2 application.

Stack config (project namespace): ``numbers`` (JSON list, required), ``siteId`` (required),
``callbackUrl`` (required: order callbacks), ``messageUrl`` (inbound messages, default
``callbackUrl``), ``statusUrl`` (delivery callbacks, default ``messageUrl``), ``peerName``
(default ``<project>-<stack>``), ``applicationName`` (default the same), ``mms`` (true/false),
``subscriberName``, ``loaAuthorizingPerson``, ``allowPartial``, ``waitTimeout``. Credentials
are ``bandwidth:*`` config (OAuth2 ``clientId``/``clientSecret`` or the Dashboard login).

There is no per-number binding on this platform: every number imported into the Location uses
its messaging set-up. The import depends on the ``LocationMessaging`` so that ``destroy``
removes the numbers before the Location's SMS feature (Bandwidth keeps SMS while messaging
numbers remain).
"""

from __future__ import annotations

import pulumi

from bw_pulumi import (
    ImportTnOrder,
    ImportTnOrderArgs,
    Location,
    LocationArgs,
    LocationMessaging,
    LocationMessagingArgs,
    MessagingApplication,
    MessagingApplicationArgs,
    ServiceAddress,
    Subscriber,
    Subscription,
    SubscriptionArgs,
)


def program() -> None:
    cfg = pulumi.Config()
    numbers: list[str] = cfg.require_object("numbers")
    site_id = cfg.require("siteId")
    callback_url = cfg.require("callbackUrl")
    message_url = cfg.get("messageUrl") or callback_url
    default_name = f"{pulumi.get_project()}-{pulumi.get_stack()}"

    callbacks = Subscription(
        "import-callbacks",
        SubscriptionArgs(order_type="importtnorders", callback_url=callback_url),
    )
    location = Location(
        "location", LocationArgs(site_id=site_id, peer_name=cfg.get("peerName") or default_name)
    )
    app = MessagingApplication(
        "messaging-app",
        MessagingApplicationArgs(
            app_name=cfg.get("applicationName") or default_name,
            inbound_callback_url=message_url,
            outbound_callback_url=cfg.get("statusUrl") or message_url,
            requested_callback_types=["message-delivered", "message-failed"],
        ),
    )
    messaging = LocationMessaging(
        "location-messaging",
        LocationMessagingArgs(
            site_id=location.site_id,
            sip_peer_id=location.sip_peer_id,
            application_id=app.application_id,
            mms=cfg.get_bool("mms"),
        ),
    )
    order = ImportTnOrder(
        "numbers",
        ImportTnOrderArgs(
            telephone_numbers=numbers,
            site_id=location.site_id,
            sip_peer_id=location.sip_peer_id,
            subscriber=Subscriber(
                name=cfg.get("subscriberName") or "Hosted Messaging Customer",
                service_address=ServiceAddress(
                    house_number="900",
                    street_name="Main Campus Dr",
                    city="Raleigh",
                    state_code="NC",
                    zip="27606",
                ),
            ),
            loa_authorizing_person=cfg.get("loaAuthorizingPerson") or "Jane Doe",
            allow_partial=cfg.get_bool("allowPartial"),
            wait_timeout=cfg.get_float("waitTimeout"),
        ),
        # Callbacks first; messaging set up before the numbers arrive and removed after they
        # leave (SMS cannot be removed while they remain).
        opts=pulumi.ResourceOptions(depends_on=[callbacks, messaging]),
    )

    pulumi.export("sip_peer_id", location.sip_peer_id)
    pulumi.export("application_id", app.application_id)
    pulumi.export("location_messaging_id", messaging.id)
    pulumi.export("order_id", order.order_id)
    pulumi.export("imported_numbers", order.imported_numbers)
