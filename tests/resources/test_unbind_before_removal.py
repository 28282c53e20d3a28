"""A number change unbinds on Catapult before the removal order takes the number off the
account: the order's update does it, since the bindings (which depend on the order) update
after it."""

from __future__ import annotations

from typing import Any

import pytest

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import BwPulumiError

from .conftest import catapult, configured, order_inputs
from .lossy_proxy import Action, lossy_proxy

A, B = "9195550101", "9195550102"


def _bound(emu: Emulator) -> set[str]:
    return {n.number for n in catapult(emu).list_numbers()}


def _bind(emu: Emulator, number: str) -> str:
    client = catapult(emu)
    app = client.create_application({"name": "sms", "incomingMessageUrl": "https://h.test"})
    return client.import_number(
        f"+1{number}", app, account_id=emu.account_id, username=emu.username, password=emu.password
    )


class BoundAtRemoval:
    """Forwards everything; notes what Catapult had bound when a removal order was posted."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.seen: list[set[str]] = []

    def __call__(self, method: str, path: str) -> Action:
        if method == "POST" and "/removeImportedTnOrders" in path:
            self.seen.append(_bound(self.emu))
        return "forward"


def _order(emu: Emulator, **config: str) -> tuple[ImportTnOrderProvider, dict[str, Any]]:
    provider = configured(ImportTnOrderProvider, emu, **config)
    created = provider.create(dict(provider.check({}, order_inputs([A, B])).inputs))
    return provider, dict(created.outs or {})


def test_an_update_dropping_a_bound_number_unbinds_it_before_the_removal_order(
    emu: Emulator,
) -> None:
    _, outs = _order(emu)
    _bind(emu, B)
    watch = BoundAtRemoval(emu)
    with lossy_proxy(emu.dashboard_url, watch) as url:
        provider = configured(ImportTnOrderProvider, emu, **{"bandwidth:dashboardUrl": url})
        news = dict(provider.check(outs, order_inputs([A])).inputs)
        updated = provider.update(outs["order_id"], outs, news)
    assert watch.seen == [set()]  # unbound before the removal order was placed
    assert updated.outs is not None and updated.outs["imported_numbers"] == [A]


def test_a_failed_unbind_places_no_removal_order(emu: Emulator) -> None:
    _, outs = _order(emu)
    _bind(emu, B)
    watch = BoundAtRemoval(emu)
    with lossy_proxy(emu.dashboard_url, watch) as url:
        config = {"bandwidth:dashboardUrl": url, "bandwidth:apiSecret": "wrong"}
        provider = configured(ImportTnOrderProvider, emu, **config)
        news = dict(ImportTnOrderProvider().check(outs, order_inputs([A])).inputs)
        with pytest.raises(BwPulumiError, match="401"):
            provider.update(outs["order_id"], outs, news)
    assert watch.seen == []
    assert _bound(emu) == {f"+1{B}"}


def test_a_dashboard_only_stack_removes_without_asking_catapult(emu: Emulator) -> None:
    _, outs = _order(emu)
    provider = configured(ImportTnOrderProvider, emu, **{"bandwidth:userId": ""})
    news = dict(ImportTnOrderProvider().check(outs, order_inputs([A])).inputs)
    before = emu.control.stats()["requests"]
    provider.update(outs["order_id"], outs, news)
    after = emu.control.stats()["requests"]
    assert not [k for k in after if k.startswith("GET catapult") and after[k] != before.get(k)]
