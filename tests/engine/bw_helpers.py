"""Inputs, out-of-band clients and leak checks shared by the bw-pulumi engine-protocol tests."""

from __future__ import annotations

import base64
from typing import Any

from harness import PROVIDER_KEY, Engine, Resource, Secret, reveal

from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.dashboard import DashboardClient
from bw_pulumi.emulator import Emulator

BW_PASSWORD = "dash-pw-7f3a91c0"
BW_API_SECRET = "cat-secret-2b8c44d1"
CALLBACK_PASSWORD = "cb-pw-5d1e77aa"
CREDENTIALS = (BW_PASSWORD, BW_API_SECRET, CALLBACK_PASSWORD)

SUBSCRIBER = {
    "name": "Acme Staging",
    "service_address": {
        "house_number": "900",
        "street_name": "Main Campus Dr",
        "city": "Raleigh",
        "state_code": "NC",
        "zip": "27606",
    },
}


def bw_stack_config(emu: Emulator) -> dict[str, Any]:
    """The emulator's stack config as the engine sends it: the two credentials are secrets."""
    config: dict[str, Any] = dict(emu.stack_config())
    for key in ("bandwidth:password", "bandwidth:apiSecret"):
        config[key] = Secret(config[key])
    return config


def dashboard(emu: Emulator) -> DashboardClient:
    """The Dashboard API as a person in the portal would use it (out-of-band changes)."""
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def catapult(emu: Emulator) -> CatapultClient:
    return CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)


def subscription_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "order_type": "ImportTnOrders",  # any case; check canonicalizes it
        "callback_url": "https://hooks.example.com/orders",
        "callback_user": "hook-user",
        "callback_password": Secret(CALLBACK_PASSWORD),  # the constructor's Output.secret
        **extra,
    }


def application_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "name": "hosted-sms",
        "incoming_message_url": "https://hooks.example.com/sms",
        "callback_http_method": "post",
        **extra,
    }


def order_inputs(numbers: Any, **extra: Any) -> dict[str, Any]:
    return {
        "telephone_numbers": numbers,
        "site_id": "14",
        "subscriber": SUBSCRIBER,
        "loa_authorizing_person": "Jane Doe",
        "customer_order_id": "bwp-engine-order",
        **extra,
    }


def pickled_provider(resource: Resource) -> bytes:
    return base64.b64decode(resource.output(PROVIDER_KEY))


def assert_no_credentials(text: str) -> None:
    for credential in CREDENTIALS:
        assert credential not in text, "a credential leaked"


def assert_state_is_clean(resource: Resource) -> None:
    """No credential in the pickled provider; the callback password only ever as a secret."""
    pickled = pickled_provider(resource)
    for credential in CREDENTIALS:
        assert credential.encode() not in pickled
    for props in (resource.inputs, resource.outputs):
        plain = {k: v for k, v in props.items() if not isinstance(v, Secret)}
        assert_no_credentials(str(reveal(plain)))
        if "callback_password" in props:
            assert isinstance(props["callback_password"], Secret)


def assert_stack_secrets_only_in_configure(engine: Engine) -> None:
    """The stack's password and API secret reach the plugin through Configure and nothing else."""
    for method, request in engine.sent:
        if method != "Configure":
            assert BW_PASSWORD not in str(request), method
            assert BW_API_SECRET not in str(request), method
