"""A create whose answer is lost after Bandwidth processed it: resume our object, never another.

A proxy on 127.0.0.1 forwards each request to the emulator and drops the first answer to the
create; the provider sees a transport error exactly as after a network cut.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from bw_pulumi import ApplicationProvider, PhoneNumberProvider, SubscriptionProvider
from bw_pulumi.clients.dashboard import SubscriptionSpec
from bw_pulumi.core.phone_number import _epoch_seconds
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import Conflict

from .conftest import catapult, configured, dashboard
from .lossy_proxy import lose_first, lossy_proxy

TN, E164 = "9195550111", "+19195550111"
HOOK = "https://hooks.example.com/bandwidth"


def _app(emu: Emulator, name: str = "sms") -> str:
    return catapult(emu).create_application({"name": name, "incomingMessageUrl": HOOK})


def _checked(provider: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def _bind_by_hand(emu: Emulator, app_id: str) -> str:
    return catapult(emu).import_number(
        E164, app_id, account_id=emu.account_id, username=emu.username, password=emu.password
    )


def test_lost_answer_to_a_number_import_resumes_the_binding_it_made(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    app_id = _app(emu)
    with lossy_proxy(emu.catapult_url, lose_first("POST", "/phoneNumbers")) as url:
        provider = configured(PhoneNumberProvider, emu, **{"bandwidth:catapultUrl": url})
        created = provider.create(_checked(provider, {"number": TN, "application_id": app_id}))
    [binding] = emu.control.state()["phone_numbers"]
    assert created.id == binding["id"]


def test_lost_answer_never_takes_over_another_stacks_binding(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    theirs, ours = _app(emu, "theirs"), _app(emu, "ours")
    their_binding = _bind_by_hand(emu, theirs)
    with lossy_proxy(emu.catapult_url, lose_first("POST", "/phoneNumbers")) as url:
        provider = configured(PhoneNumberProvider, emu, **{"bandwidth:catapultUrl": url})
        with pytest.raises(Conflict, match="adopt_existing"):
            provider.create(_checked(provider, {"number": TN, "application_id": ours}))
    assert catapult(emu).get_number(their_binding).application_id == theirs


def test_lost_answer_to_an_application_create_resumes_the_application_it_made(
    emu: Emulator,
) -> None:
    with lossy_proxy(emu.catapult_url, lose_first("POST", "/applications")) as url:
        provider = configured(ApplicationProvider, emu, **{"bandwidth:catapultUrl": url})
        created = provider.create(_checked(provider, {"name": "sms", "incoming_message_url": HOOK}))
    assert [app["id"] for app in emu.control.state()["applications"]] == [created.id]
    # One POST and one look-up: no list before the POST spends the 1/s budget.
    apps = {k: v for k, v in emu.control.stats()["requests"].items() if "applications" in k}
    assert sum(apps.values()) == 2, apps


def test_lost_answer_beside_a_look_alike_in_use_makes_its_own_and_leaves_that_one(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=[TN])
    look_alike = _app(emu)
    _bind_by_hand(emu, look_alike)
    with lossy_proxy(emu.catapult_url, lose_first("POST", "/applications")) as url:
        provider = configured(ApplicationProvider, emu, **{"bandwidth:catapultUrl": url})
        created = provider.create(_checked(provider, {"name": "sms", "incoming_message_url": HOOK}))
    ids = {app["id"] for app in emu.control.state()["applications"]}
    assert created.id != look_alike and ids == {look_alike, created.id}


def test_lost_answer_beside_two_unused_look_alikes_takes_neither(emu: Emulator) -> None:
    # Ours and an unused twin cannot be told apart without listing before every POST (which
    # would spend /applications' 1/s twice): with one unused twin already there, the lost
    # POST leaves two, and the create refuses rather than guess.
    twin = _app(emu)
    with lossy_proxy(emu.catapult_url, lose_first("POST", "/applications")) as url:
        provider = configured(ApplicationProvider, emu, **{"bandwidth:catapultUrl": url})
        with pytest.raises(Conflict, match="adopt_application_id") as raised:
            provider.create(_checked(provider, {"name": "sms", "incoming_message_url": HOOK}))
    ids = {app["id"] for app in emu.control.state()["applications"]}
    assert twin in ids and len(ids) == 2
    assert all(i in str(raised.value) for i in ids)


def test_lost_answer_to_a_subscription_create_resumes_it_not_a_look_alike(emu: Emulator) -> None:
    look_alike = dashboard(emu).create_subscription(
        SubscriptionSpec("importtnorders", HOOK, 3600, "hook", "pw")
    )
    with lossy_proxy(emu.dashboard_url, lose_first("POST", "/subscriptions")) as url:
        provider = configured(SubscriptionProvider, emu, **{"bandwidth:dashboardUrl": url})
        created = provider.create(
            _checked(provider, {"order_type": "importtnorders", "callback_url": HOOK})
        )
    ids = {sub["id"] for sub in emu.control.state()["subscriptions"]}
    assert created.id != look_alike
    assert ids == {look_alike, created.id}


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-25T14:00:24Z",
        "2026-11-25T14:00:24.46Z",
        "2026-11-25T14:00:24.460123Z",
        "2026-11-25T16:00:24+0200",
        "2026-11-25T09:00:24-05:00",
        "2026-11-25T14:00:24",
    ],
)
def test_created_time_is_read_in_every_iso_form_on_every_python(written: str) -> None:
    # Python 3.10's fromisoformat rejects several of these; a miss would refuse our own binding.
    expected = datetime(2026, 11, 25, 14, 0, 24, tzinfo=timezone.utc).timestamp()
    assert _epoch_seconds(written) == pytest.approx(expected, abs=0.5)
