"""Config is proven at preview: every provider's ``check`` fails on a missing ``bandwidth:*`` key
or on credentials/base URLs its APIs refuse, with one read-only request per API per process."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi.dynamic import CheckResult, CreateResult
from pulumi.output import Unknown

from bw_pulumi import (
    ApplicationProvider,
    ImportTnOrderProvider,
    PhoneNumberBindingsProvider,
    PhoneNumberProvider,
    SubscriptionProvider,
)
from bw_pulumi.emulator import Emulator
from bw_pulumi.resources._provider import BaseProvider

from .conftest import configured, order_inputs

CHECKS: list[tuple[type[BaseProvider], dict[str, Any]]] = [
    (SubscriptionProvider, {"order_type": "importtnorders", "callback_url": "https://h.test/cb"}),
    (ImportTnOrderProvider, order_inputs(["9195550101"])),
    (ApplicationProvider, {"name": "sms", "incoming_message_url": "https://h.test/sms"}),
    (PhoneNumberProvider, {"number": "9195550101", "application_id": "a-1"}),
    (PhoneNumberBindingsProvider, {"application_id": "a-1", "telephone_numbers": ["9195550101"]}),
]


class NewResourceProvider(BaseProvider):
    """What a new resource writes: its APIs and its own input checks, nothing about config."""

    apis = ("dashboard",)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(dict(news), [])

    def create(self, props: dict[str, Any]) -> CreateResult:
        raise AssertionError("never created in these tests")


@pytest.fixture(autouse=True)
def no_bandwidth_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("BANDWIDTH_ACCOUNT_ID", "BANDWIDTH_PASSWORD", "BANDWIDTH_API_TOKEN"):
        monkeypatch.delenv(var, raising=False)


def _reasons(result: CheckResult) -> list[str]:
    return [f.reason for f in result.failures]


def _requests(emu: Emulator) -> int:
    return sum(emu.control.stats()["requests"].values())


@pytest.mark.parametrize(("provider_cls", "inputs"), CHECKS)
def test_a_missing_key_fails_check_naming_the_key_and_its_variable(
    emu: Emulator, provider_cls: type[BaseProvider], inputs: dict[str, Any]
) -> None:
    unset = "bandwidth:accountId" if "dashboard" in provider_cls.apis else "bandwidth:apiToken"
    provider = configured(provider_cls, emu, **{unset: ""})
    failures = provider.check({}, inputs).failures
    [named] = [f for f in failures if unset in f.reason]
    assert named.reason.startswith(f"missing Bandwidth configuration: {unset} (or env BANDWIDTH_")
    assert named.property == ""  # not an input: the engine prints the reason alone


@pytest.mark.parametrize(("provider_cls", "inputs"), CHECKS)
def test_a_working_config_passes_check_with_unknown_inputs(
    emu: Emulator, provider_cls: type[BaseProvider], inputs: dict[str, Any]
) -> None:
    provider = configured(provider_cls, emu)
    unknowns = {key: Unknown() for key in inputs}
    assert _reasons(provider.check({}, unknowns)) == []
    assert emu.control.state()["applications"] == []  # a check creates nothing


def test_a_wrong_password_fails_every_check_after_one_request(emu: Emulator) -> None:
    wrong = {"bandwidth:password": "wr0ng-pa55"}
    providers = [configured(cls, emu, **wrong) for cls, _ in CHECKS]
    before = _requests(emu)
    with ThreadPoolExecutor(4) as pool:  # the plugin's four threads, checking at once
        inputs = [dict(i) for _, i in CHECKS]
        results = list(pool.map(lambda p, i: p.check({}, i), providers, inputs))
    dashboard_users = [cls for cls, _ in CHECKS if "dashboard" in cls.apis]
    refused = [r for r in map(_reasons, results) if any("HTTP 401" in x for x in r)]
    assert len(refused) == len(dashboard_users)
    assert all("bandwidth:password" in " ".join(r) for r in refused)
    assert all("wr0ng-pa55" not in " ".join(r) for r in refused)
    # One Dashboard probe and one Catapult probe for the whole process, not one per check.
    assert _requests(emu) - before == 2


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("bandwidth:dashboardUrl", "bandwidth:dashboardUrl and bandwidth:accountId"),
        ("bandwidth:catapultUrl", "bandwidth:catapultUrl and bandwidth:userId"),
    ],
)
def test_a_wrong_base_url_fails_check_naming_the_url_key(
    emu: Emulator, key: str, names: str
) -> None:
    url = emu.stack_config()[key] + "/wrong-prefix"
    provider = configured(PhoneNumberBindingsProvider, emu, **{key: url})
    reasons = _reasons(provider.check({}, dict(CHECKS[-1][1])))
    assert [r for r in reasons if names in r] == [
        f"Bandwidth answers 404 for {_where(emu, key)} at {url}, so that account path does not "
        f"exist there: check {names}"
    ]


def _where(emu: Emulator, key: str) -> str:
    return f"account {emu.account_id}" if "dashboard" in key else f"user {emu.user_id}"


def test_a_new_resource_gets_the_proof_by_declaring_its_apis(emu: Emulator) -> None:
    provider = configured(NewResourceProvider, emu, **{"bandwidth:accountId": ""})
    [failure] = provider.check({}, {"anything": Unknown()}).failures
    assert failure.reason.startswith("missing Bandwidth configuration: bandwidth:accountId")
    good = configured(NewResourceProvider, emu)
    assert good.check({}, {}).failures == []


def test_a_provider_that_creates_must_declare_its_apis() -> None:
    with pytest.raises(TypeError, match="must declare the Bandwidth APIs"):

        class Undeclared(BaseProvider):
            def create(self, props: dict[str, Any]) -> CreateResult:
                raise NotImplementedError

    with pytest.raises(TypeError, match="unknown APIs"):

        class Misnamed(BaseProvider):
            apis = ("messaging",)


def test_an_unconfigured_provider_checks_inputs_only(emu: Emulator) -> None:
    before = _requests(emu)
    assert SubscriptionProvider().check({}, dict(CHECKS[0][1])).failures == []
    assert _requests(emu) == before
