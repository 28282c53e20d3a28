"""The flagship stack on the native plugin: the generated SDK's camelCase-free Python names
(``incoming_message_url``) over the schema's ``bandwidth:index:*`` resources."""

import bw_pulumi_bandwidth as bandwidth
import pulumi

cfg = pulumi.Config()
callback_url = cfg.require("callbackUrl")

callbacks = bandwidth.Subscription(
    "import-callbacks", order_type="importtnorders", callback_url=callback_url
)
order = bandwidth.ImportTnOrder(
    "order",
    telephone_numbers=cfg.require("numbers").split(","),
    site_id=cfg.require("siteId"),
    subscriber=bandwidth.SubscriberArgs(
        name="Hosted Messaging Customer",
        service_address=bandwidth.ServiceAddressArgs(
            house_number="900",
            street_name="Main Campus Dr",
            city="Raleigh",
            state_code="NC",
            zip="27606",
        ),
    ),
    loa_authorizing_person="Jane Doe",
    opts=pulumi.ResourceOptions(depends_on=[callbacks]),
)
app = bandwidth.Application(
    "sms-app",
    name=f"{pulumi.get_project()}-{pulumi.get_stack()}",
    incoming_message_url=callback_url,
    callback_http_method="POST",
    # One level under the callbacks, as the order is: Pulumi destroys a level at a time, so the
    # application is deleted while the removal order runs rather than after it.
    opts=pulumi.ResourceOptions(depends_on=[callbacks]),
)
bindings = bandwidth.PhoneNumberBindings(
    "bindings", application_id=app.application_id, telephone_numbers=order.imported_numbers
)
pulumi.export("applicationId", app.application_id)
pulumi.export("importedNumbers", order.imported_numbers)
pulumi.export("numberIds", bindings.number_ids)
