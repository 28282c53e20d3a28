"""Bring numbers someone imported by hand (portal or API) under a stack, without re-importing.

Importable (``program()``) so inline Automation API runs and tests can reuse it.

Adoption takes over the live objects: ``pulumi destroy`` then REMOVES the numbers from the
account, unbinds them from Catapult and deletes the application, exactly as if the stack had
created them.

Stack config (project namespace): ``adoptOrderId`` (required: the import order that brought the
numbers in), ``numbers`` (JSON list, required: the numbers of that order to keep; listing fewer
removes the others on ``up``), ``siteId`` (required), ``applicationName`` and ``messageUrl``
(required), ``applicationId`` (optional: adopt this Catapult application instead of creating
one), ``subscriberName``, ``loaAuthorizingPerson``. Credentials are ``bandwidth:*`` config or
``BANDWIDTH_*`` environment variables.
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
)


def program() -> None:
    cfg = pulumi.Config()
    numbers: list[str] = cfg.require_object("numbers")

    order = ImportTnOrder(
        "adopted-numbers",
        ImportTnOrderArgs(
            telephone_numbers=numbers,
            adopt_order_id=cfg.require("adoptOrderId"),
            site_id=cfg.require("siteId"),
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
        ),
    )
    # Create converges an adopted application to these inputs (a partial update of the fields
    # that differ), so write the values it should keep.
    app = Application(
        "adopted-app",
        ApplicationArgs(
            name=cfg.require("applicationName"),
            incoming_message_url=cfg.require("messageUrl"),
            adopt_application_id=cfg.get("applicationId"),
        ),
    )
    # Without allow_partial, adoption imports the listed numbers the adopted order does not
    # hold (all of them or the `up` fails), so every listed number is in service to bind.
    bindings = {}
    for number in numbers:
        name = "number-" + re.sub(r"\D", "", number)[-10:]
        bindings[name] = PhoneNumber(
            name,
            # adopt_existing takes the binding over if the number is already on the Catapult
            # user (moving it to this application); otherwise it binds it as usual.
            PhoneNumberArgs(number=number, application_id=app.application_id, adopt_existing=True),
            opts=pulumi.ResourceOptions(depends_on=[order]),
        )

    pulumi.export("order_id", order.order_id)
    pulumi.export("imported_numbers", order.imported_numbers)
    pulumi.export("application_id", app.application_id)
    pulumi.export("number_ids", {name: b.number_id for name, b in bindings.items()})
