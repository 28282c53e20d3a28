// The flagship hosted-messaging stack: order callbacks, the import order, a Catapult
// application and the bindings of the imported numbers, with the generated SDK (./sdk).
import * as pulumi from "@pulumi/pulumi";
import * as bandwidth from "./sdk";

export function hostedMessaging() {
    const cfg = new pulumi.Config();
    const callbackUrl = cfg.require("callbackUrl");
    const numbers = cfg.require("numbers").split(",");

    const callbacks = new bandwidth.Subscription("import-callbacks", {
        orderType: "importtnorders",
        callbackUrl,
    });
    const order = new bandwidth.ImportTnOrder("order", {
        telephoneNumbers: numbers,
        siteId: cfg.require("siteId"),
        subscriber: {
            name: "Hosted Messaging Customer",
            serviceAddress: {
                houseNumber: "900",
                streetName: "Main Campus Dr",
                city: "Raleigh",
                stateCode: "NC",
                zip: "27606",
            },
        },
        loaAuthorizingPerson: "Jane Doe",
    }, { dependsOn: [callbacks] });
    const app = new bandwidth.Application("sms-app", {
        name: `${pulumi.getProject()}-${pulumi.getStack()}`,
        incomingMessageUrl: callbackUrl,
        callbackHttpMethod: "POST",
    // One level under the callbacks, as the order is: Pulumi destroys a level at a time, so the
    // application is deleted while the removal order runs rather than after it.
    }, { dependsOn: [callbacks] });
    const bindings = new bandwidth.PhoneNumberBindings("bindings", {
        applicationId: app.applicationId,
        telephoneNumbers: order.importedNumbers,
    });
    return {
        applicationId: app.applicationId,
        importedNumbers: order.importedNumbers,
        numberIds: bindings.numberIds,
    };
}
