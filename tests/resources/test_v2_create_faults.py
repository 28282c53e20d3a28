"""The current platform's creates survive a fault on their creating POST, and two in a row.

The same faults as ``test_create_survives_faults`` (a loopback proxy in front of the emulator
over real HTTP): a POST Bandwidth never saw is sent again, a POST whose answer was lost is
resumed, never repeated; each test then finds exactly one object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi.dynamic import CreateResult

from bw_pulumi import LocationMessagingProvider, LocationProvider, MessagingApplicationProvider
from bw_pulumi.clients.dashboard_apps_models import MessagingAppSpec
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import ServerError
from bw_pulumi.resources._provider import BaseProvider

from .conftest import configured
from .lossy_proxy import Action, Script, Step, lossy_proxy
from .test_create_survives_faults import fault_cases
from .test_messaging_application import app_inputs, apps, checked

SITE = "14"


@dataclass(frozen=True)
class Kind:
    provider: type[BaseProvider]
    fragment: str  # in the creating POST's path and in its look-up's
    inputs: Callable[[Emulator], dict[str, Any]]
    count: Callable[[Emulator], int]  # objects of this kind now on Bandwidth


def _messaging_inputs(emu: Emulator) -> dict[str, Any]:
    peer = apps(emu).create_sip_peer(SITE, "staging", None)
    app = apps(emu).create_application(MessagingAppSpec("sms", "https://h.example.com"))
    return {"site_id": SITE, "sip_peer_id": peer, "application_id": app.application_id}


def _sms_on(emu: Emulator) -> int:
    return sum(1 for p in emu.control.state()["sip_peers"] if p["sms"] is not None)


KINDS = {
    "messaging_application": Kind(
        MessagingApplicationProvider,
        "/applications",
        lambda _: app_inputs(),
        lambda emu: len(emu.control.state()["dashboard_applications"]),
    ),
    "location": Kind(
        LocationProvider,
        "/sippeers",
        lambda _: {"site_id": SITE, "peer_name": "staging"},
        lambda emu: len(emu.control.state()["sip_peers"]),
    ),
    "location_messaging": Kind(
        LocationMessagingProvider, "/features/sms", _messaging_inputs, _sms_on
    ),
}


def _create(emu: Emulator, kind: Kind, script: Script, inputs: dict[str, Any]) -> CreateResult:
    with lossy_proxy(emu.dashboard_url, script) as url:
        provider = configured(kind.provider, emu, **{"bandwidth:dashboardUrl": url})
        return provider.create(checked(provider, inputs))


@pytest.mark.parametrize("name", list(KINDS))
@fault_cases
def test_v2_create_survives(emu: Emulator, name: str, faults: list[tuple[str, Action]]) -> None:
    kind = KINDS[name]
    inputs = kind.inputs(emu)
    script = Script(*(Step(method, kind.fragment, action) for method, action in faults))
    created = _create(emu, kind, script, inputs)
    assert script.pending == []  # every scripted fault struck
    assert kind.count(emu) == 1
    if name == "location_messaging":
        assert created.outs["sms_enabled_by_resource"] is True
        [peer] = emu.control.state()["sip_peers"]
        assert peer["application_id"] == inputs["application_id"]
    else:
        assert created.id in {o["id"] for o in _objects(emu, name)}


def _objects(emu: Emulator, name: str) -> list[dict[str, Any]]:
    key = "dashboard_applications" if name == "messaging_application" else "sip_peers"
    return list(emu.control.state()[key])


def test_messaging_application_retried_after_a_503_is_made_beside_a_look_alike(
    emu: Emulator,
) -> None:
    spec = MessagingAppSpec("hosted-sms", "https://hooks.example.com/bw/in")
    theirs = apps(emu).create_application(spec).application_id
    inputs = {"app_name": "hosted-sms", "inbound_callback_url": spec.inbound_callback_url}
    script = Script(Step("POST", "/applications", "503"))
    created = _create(emu, KINDS["messaging_application"], script, inputs)
    assert script.pending == [] and created.id != theirs
    assert {o["id"] for o in _objects(emu, "messaging_application")} == {theirs, created.id}


def test_create_gives_up_after_three_503s_and_leaves_nothing(emu: Emulator) -> None:
    kind = KINDS["location"]
    script = Script(*(Step("POST", kind.fragment, "503") for _ in range(4)))
    with pytest.raises(ServerError, match="nothing was created"):
        _create(emu, kind, script, kind.inputs(emu))
    assert kind.count(emu) == 0
