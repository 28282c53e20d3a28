"""Pulumi dynamic resource providers for Bandwidth hosted messaging.

Providers are exported here and their ``__module__`` is pinned to ``bw_pulumi``: state pickles
them by reference, so this import path must never change.
"""

from ._preflight import ImportabilityReport, check_importability
from ._sdk_compat import install_serialize_provider_guard
from .resources.application import Application, ApplicationArgs, ApplicationProvider
from .resources.import_tn_order import (
    ImportTnOrder,
    ImportTnOrderArgs,
    ImportTnOrderProvider,
    ServiceAddress,
    Subscriber,
)
from .resources.phone_number import PhoneNumber, PhoneNumberArgs, PhoneNumberProvider
from .resources.subscription import Subscription, SubscriptionArgs, SubscriptionProvider

__version__ = "0.1.0"

install_serialize_provider_guard()  # else stacks of ~900+ resources die with RecursionError

__all__ = [
    "Application",
    "ApplicationArgs",
    "ApplicationProvider",
    "ImportTnOrder",
    "ImportTnOrderArgs",
    "ImportTnOrderProvider",
    "ImportabilityReport",
    "PhoneNumber",
    "PhoneNumberArgs",
    "PhoneNumberProvider",
    "ServiceAddress",
    "Subscriber",
    "Subscription",
    "SubscriptionArgs",
    "SubscriptionProvider",
    "check_importability",
]
