"""Pulumi dynamic resource providers for Bandwidth hosted messaging.

Providers are exported here and their ``__module__`` is pinned to ``bw_pulumi``: state pickles
them by reference, so this import path must never change. Importing the package patches
nothing; the SDK workaround in ``_sdk_compat`` is installed by the first resource constructed.
"""

from . import _version
from ._preflight import ImportabilityReport, check_importability
from .resources.application import Application, ApplicationArgs, ApplicationProvider
from .resources.import_tn_order import (
    ImportTnOrder,
    ImportTnOrderArgs,
    ImportTnOrderProvider,
    ServiceAddress,
    Subscriber,
)
from .resources.location import Location, LocationArgs, LocationProvider
from .resources.location_messaging import (
    LocationMessaging,
    LocationMessagingArgs,
    LocationMessagingProvider,
)
from .resources.messaging_application import (
    CallbackCredentials,
    MessagingApplication,
    MessagingApplicationArgs,
    MessagingApplicationProvider,
)
from .resources.phone_number import PhoneNumber, PhoneNumberArgs, PhoneNumberProvider
from .resources.phone_number_bindings import (
    PhoneNumberBindings,
    PhoneNumberBindingsArgs,
    PhoneNumberBindingsProvider,
)
from .resources.subscription import Subscription, SubscriptionArgs, SubscriptionProvider


def __getattr__(name: str) -> str:
    if name == "__version__":  # looked up when asked, not at import (see _version)
        return _version.version()
    raise AttributeError(f"module 'bw_pulumi' has no attribute {name!r}")


__all__ = [
    "Application",
    "ApplicationArgs",
    "ApplicationProvider",
    "CallbackCredentials",
    "ImportTnOrder",
    "ImportTnOrderArgs",
    "ImportTnOrderProvider",
    "ImportabilityReport",
    "Location",
    "LocationArgs",
    "LocationMessaging",
    "LocationMessagingArgs",
    "LocationMessagingProvider",
    "LocationProvider",
    "MessagingApplication",
    "MessagingApplicationArgs",
    "MessagingApplicationProvider",
    "PhoneNumber",
    "PhoneNumberArgs",
    "PhoneNumberBindings",
    "PhoneNumberBindingsArgs",
    "PhoneNumberBindingsProvider",
    "PhoneNumberProvider",
    "ServiceAddress",
    "Subscriber",
    "Subscription",
    "SubscriptionArgs",
    "SubscriptionProvider",
    "check_importability",
]
