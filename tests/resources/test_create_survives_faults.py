"""Every create survives a fault on its creating POST, and two in a row, on the first attempt.

A loopback proxy in front of the emulator fails scripted requests over real HTTP: a 503 or a
reset before Bandwidth saw the POST (it must be sent again), a lost answer or a reset after the
POST was processed (the object must be resumed, not created twice), and the two in a row, the
second fault striking the retried POST or the look-up after a lost answer. Each test then finds
exactly one object: nothing duplicated, nothing orphaned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi.dynamic import CreateResult

from bw_pulumi.clients.catapult import RATE_SCALE_ENV
from bw_pulumi.clients.dashboard import SubscriptionSpec
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import BandwidthError, Conflict, ServerError, TransportError
from bw_pulumi.resources._provider import BaseProvider
from bw_pulumi.resources.application import ApplicationProvider
from bw_pulumi.resources.phone_number import PhoneNumberProvider
from bw_pulumi.resources.subscription import SubscriptionProvider

from .conftest import catapult, configured, dashboard
from .lossy_proxy import Action, Script, Step, lossy_proxy

TN, E164 = "9195550111", "+19195550111"
HOOK = "https://hooks.example.com/bandwidth"

#: (method, action) in order; the path is the resource's collection.
FAULTS: dict[str, list[tuple[str, Action]]] = {
    "503": [("POST", "503")],
    "reset": [("POST", "reset")],
    "lost_answer": [("POST", "lose-answer")],
    "reset_after_processing": [("POST", "forward-reset")],
    "503_then_lost_answer": [("POST", "503"), ("POST", "lose-answer")],
    "reset_then_reset_after_processing": [("POST", "reset"), ("POST", "forward-reset")],
    "lost_answer_then_503_on_the_look_up": [("POST", "lose-answer"), ("GET", "503")],
    "reset_after_processing_then_reset_on_the_look_up": [
        ("POST", "forward-reset"),
        ("GET", "reset"),
    ],
}
fault_cases = pytest.mark.parametrize("faults", list(FAULTS.values()), ids=list(FAULTS))


@dataclass(frozen=True)
class Kind:
    provider: type[BaseProvider]
    fragment: str  # the collection's path segment, in the POST and in the look-up
    collection: str  # key of the emulator's state
    catapult: bool
    inputs: Callable[[Emulator], dict[str, Any]]


def _app(emu: Emulator, name: str = "sms") -> str:
    return catapult(emu).create_application({"name": name, "incomingMessageUrl": HOOK})


def _binding_inputs(emu: Emulator) -> dict[str, Any]:
    emu.control.numbers(in_service=[TN])
    return {"number": TN, "application_id": _app(emu)}


KINDS = {
    "subscription": Kind(
        SubscriptionProvider,
        "/subscriptions",
        "subscriptions",
        False,
        lambda _: {"order_type": "importtnorders", "callback_url": HOOK},
    ),
    "application": Kind(
        ApplicationProvider,
        "/applications",
        "applications",
        True,
        lambda _: {"name": "sms", "incoming_message_url": HOOK},
    ),
    "phone_number": Kind(
        PhoneNumberProvider, "/phoneNumbers", "phone_numbers", True, _binding_inputs
    ),
}


@pytest.fixture(autouse=True)
def unpaced(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh provider process with pacing sped up: the emulator enforces no budgets here."""
    monkeypatch.setenv(RATE_SCALE_ENV, "100")
    yield


def _create(emu: Emulator, kind: Kind, script: Script, inputs: dict[str, Any]) -> CreateResult:
    upstream = emu.catapult_url if kind.catapult else emu.dashboard_url
    key = "bandwidth:catapultUrl" if kind.catapult else "bandwidth:dashboardUrl"
    with lossy_proxy(upstream, script) as url:
        provider = configured(kind.provider, emu, **{key: url})
        checked = provider.check({}, inputs)
        assert checked.failures == [], [(f.property, f.reason) for f in checked.failures]
        return provider.create(dict(checked.inputs))


def _survives(emu: Emulator, name: str, faults: list[tuple[str, Action]]) -> None:
    kind = KINDS[name]
    inputs = kind.inputs(emu)
    script = Script(*(Step(method, kind.fragment, action) for method, action in faults))
    created = _create(emu, kind, script, inputs)
    assert script.pending == []  # every scripted fault struck
    [only] = emu.control.state()[kind.collection]
    assert created.id == only["id"]


@fault_cases
def test_subscription_create_survives(emu: Emulator, faults: list[tuple[str, Action]]) -> None:
    _survives(emu, "subscription", faults)


@fault_cases
def test_application_create_survives(emu: Emulator, faults: list[tuple[str, Action]]) -> None:
    _survives(emu, "application", faults)


@fault_cases
def test_phone_number_create_survives(emu: Emulator, faults: list[tuple[str, Action]]) -> None:
    _survives(emu, "phone_number", faults)


@pytest.mark.parametrize("name", list(KINDS))
@pytest.mark.parametrize(
    ("action", "error", "advice"),
    [
        pytest.param("503", ServerError, "run pulumi up again later", id="503"),
        pytest.param("reset", TransportError, "Check the base URL and network", id="reset"),
    ],
)
def test_create_gives_up_after_three_failed_posts_and_leaves_nothing(
    emu: Emulator, name: str, action: Action, error: type[BandwidthError], advice: str
) -> None:
    kind = KINDS[name]
    inputs = kind.inputs(emu)
    script = Script(*(Step("POST", kind.fragment, action) for _ in range(4)))
    with pytest.raises(error) as raised:
        _create(emu, kind, script, inputs)
    assert len(script.pending) == 1  # three POSTs, the fourth never sent
    message = str(raised.value)
    assert "3 attempts (" in message and "nothing was created" in message
    assert advice in message and "after 1 attempt" not in message
    assert emu.control.state()[kind.collection] == []


@pytest.mark.parametrize("name", ["subscription", "application"])
def test_create_retried_after_a_503_makes_its_own_object_beside_a_look_alike(
    emu: Emulator, name: str
) -> None:
    kind = KINDS[name]
    if name == "subscription":
        look_alike = dashboard(emu).create_subscription(
            SubscriptionSpec("importtnorders", HOOK, 3600)
        )
    else:
        # In use by a number: another stack's, so never the one a failed POST just made.
        emu.control.numbers(in_service=[TN])
        look_alike = _app(emu)
        catapult(emu).import_number(
            E164,
            look_alike,
            account_id=emu.account_id,
            username=emu.username,
            password=emu.password,
        )
    script = Script(Step("POST", kind.fragment, "503"))
    created = _create(emu, kind, script, kind.inputs(emu))
    assert script.pending == []
    ids = {item["id"] for item in emu.control.state()[kind.collection]}
    assert created.id != look_alike and ids == {look_alike, created.id}


def test_phone_number_create_after_a_503_never_takes_over_another_stacks_binding(
    emu: Emulator,
) -> None:
    inputs = _binding_inputs(emu)
    theirs = _app(emu, "theirs")
    their_binding = catapult(emu).import_number(
        E164, theirs, account_id=emu.account_id, username=emu.username, password=emu.password
    )
    script = Script(Step("POST", "/phoneNumbers", "503"))
    with pytest.raises(Conflict, match="adopt_existing"):
        _create(emu, KINDS["phone_number"], script, inputs)
    assert script.pending == []
    [binding] = emu.control.state()["phone_numbers"]
    assert binding["id"] == their_binding
    assert catapult(emu).get_number(their_binding).application_id == theirs


def test_phone_number_create_resumes_its_binding_when_the_retry_answers_duplicate_number(
    emu: Emulator,
) -> None:
    # The look-up after the lost answer misses the binding (404), so the POST is sent again and
    # Catapult refuses it as a duplicate: the binding this call made is looked up and resumed.
    script = Script(
        Step("POST", "/phoneNumbers", "lose-answer"), Step("GET", "/phoneNumbers", "404")
    )
    created = _create(emu, KINDS["phone_number"], script, _binding_inputs(emu))
    assert script.pending == []
    [binding] = emu.control.state()["phone_numbers"]
    assert created.id == binding["id"]
