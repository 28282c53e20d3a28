"""A throwaway staging stack per branch: CI creates it, tests against it, and destroys it.

Importable (``program()``) so inline Automation API runs and tests can reuse it.

Stack config (project namespace): ``numbers`` (JSON list, required: the branch's test numbers),
``siteId`` (required), ``messageUrl`` (required: where the branch's app receives inbound SMS),
``loaAuthorizingPerson``, ``waitTimeout``. Credentials are ``bandwidth:*`` config or
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
    stack = pulumi.get_stack()
    numbers: list[str] = cfg.require_object("numbers")

    order = ImportTnOrder(
        "staging-numbers",
        ImportTnOrderArgs(
            telephone_numbers=numbers,
            site_id=cfg.require("siteId"),
            subscriber=Subscriber(
                name=f"Staging {stack}"[:45],
                service_address=ServiceAddress(
                    house_number="900",
                    street_name="Main Campus Dr",
                    city="Raleigh",
                    state_code="NC",
                    zip="27606",
                ),
            ),
            loa_authorizing_person=cfg.get("loaAuthorizingPerson") or "Staging CI",
            wait_timeout=cfg.get_float("waitTimeout"),
        ),
    )
    app = Application(
        "staging-app",
        ApplicationArgs(
            name=f"{pulumi.get_project()}-{stack}",
            incoming_message_url=cfg.require("messageUrl"),
            callback_http_method="POST",
        ),
    )
    # Without allow_partial the order imports every number or fails the `up`, so binding each
    # configured number binds exactly `imported_numbers`. With allow_partial, bind what the
    # order imported instead (examples/hosted_messaging shows how).
    bindings = {}
    for number in numbers:
        name = "number-" + re.sub(r"\D", "", number)[-10:]
        bindings[name] = PhoneNumber(
            name,
            PhoneNumberArgs(number=number, application_id=app.application_id, name=stack),
            opts=pulumi.ResourceOptions(depends_on=[order]),
        )

    pulumi.export("imported_numbers", order.imported_numbers)
    pulumi.export("application_id", app.application_id)
    pulumi.export("number_ids", {name: b.number_id for name, b in bindings.items()})
