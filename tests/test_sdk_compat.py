"""The SDK's serialize_provider leak is neutralised once the guard is installed."""

from __future__ import annotations

from pulumi.dynamic import dynamic

from bw_pulumi import SubscriptionProvider
from bw_pulumi._sdk_compat import install_serialize_provider_guard


def test_pickling_two_thousand_providers_neither_recurses_nor_changes_the_bytes() -> None:
    # Unguarded, SDK 3.272 raises RecursionError near the 980th call in one process.
    install_serialize_provider_guard()  # as the first resource constructed does
    provider = SubscriptionProvider()
    first = dynamic.serialize_provider(provider)
    for _ in range(2000):
        assert dynamic.serialize_provider(provider) == first


def test_installing_the_guard_twice_wraps_once() -> None:
    install_serialize_provider_guard()
    guarded = dynamic.serialize_provider
    install_serialize_provider_guard()
    assert dynamic.serialize_provider is guarded
