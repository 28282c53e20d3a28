"""Provider methods called directly against an in-process emulator over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pytest_mock import MockerFixture

from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.dashboard import DashboardClient
from bw_pulumi.emulator import Emulator
from bw_pulumi.resources import _create_retry
from bw_pulumi.resources._provider import BaseProvider
from tests.fake_clock import FakeClock

P = TypeVar("P", bound=BaseProvider)

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


@pytest.fixture(autouse=True)
def create_retry_clock(mocker: MockerFixture) -> FakeClock:
    """The backoff between creating POSTs, recorded instead of slept (it is not what these
    tests prove; the emulator's state does not move with time)."""
    clock = FakeClock()
    mocker.patch.object(_create_retry, "time", clock)
    return clock


@pytest.fixture
def emu() -> Iterator[Emulator]:
    # Orders settle as soon as they are read: provider tests never wait on a wall clock.
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


def configured(provider_cls: type[P], emu: Emulator, **overrides: str) -> P:
    """A provider configured the way the engine does it: whole stack config, namespaced keys."""
    provider = provider_cls()
    config = {**emu.stack_config(), **overrides}
    provider.configure(ConfigureRequest(Config(config, "bw-pulumi-tests")))
    return provider


def dashboard(emu: Emulator) -> DashboardClient:
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def catapult(emu: Emulator) -> CatapultClient:
    return CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)


def order_inputs(numbers: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "telephone_numbers": numbers,
        "site_id": "14",
        "subscriber": SUBSCRIBER,
        "loa_authorizing_person": "Jane Doe",
        "customer_order_id": "bwp-tests-order",
        **extra,
    }
