"""A removal POST that fails ambiguously is looked up before it is placed again (issue #15).

Placing it again "works" (the second order ends FAILED 5158 and counts as removed) but leaves a
duplicate order on the account. The loopback proxy fails the POST over real sockets: after
Bandwidth processed it (answer lost) or before (503).
"""

from __future__ import annotations

from typing import Any

import pytest

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.emulator import Emulator

from .conftest import configured, dashboard, order_inputs
from .lossy_proxy import Action, Script, Step, lose_first, lossy_proxy

A, B = "9195550101", "9195550102"
REMOVALS = "/removeImportedTnOrders"


def _created(emu: Emulator) -> tuple[ImportTnOrderProvider, Any]:
    provider = configured(ImportTnOrderProvider, emu)
    checked = provider.check({}, order_inputs([A, B]))
    assert checked.failures == []
    return provider, provider.create(checked.inputs)


def _removals_of(emu: Emulator, numbers: list[str]) -> list[dict[str, Any]]:
    return [
        order
        for order in emu.control.state()["remove_orders"]
        if sorted(order["telephone_numbers"]) == sorted(numbers)
    ]


def _delete_through(emu: Emulator, decide: Any, created: Any) -> None:
    with lossy_proxy(emu.dashboard_url, decide) as url:
        provider = configured(ImportTnOrderProvider, emu, **{"bandwidth:dashboardUrl": url})
        provider.delete(created.id, created.outs)


def test_lost_answer_to_a_removal_post_resumes_that_order(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    _, created = _created(emu)
    _delete_through(emu, lose_first("POST", REMOVALS), created)
    [removal] = _removals_of(emu, [A, B])
    assert removal["status"] == "COMPLETE" and removal["errors"] == []
    assert emu.control.state()["in_service"] == []
    err = capsys.readouterr().err
    assert f"removal order {removal['id']}" in err and "placed removal order" not in err


def test_503_before_processing_places_the_removal_once(emu: Emulator) -> None:
    _, created = _created(emu)
    script = Script(Step("POST", REMOVALS, "503"))
    _delete_through(emu, script, created)
    assert script.pending == []
    assert len(_removals_of(emu, [A, B])) == 1
    assert emu.control.state()["in_service"] == []


def test_an_older_removal_of_the_same_numbers_is_not_taken_for_the_lost_one(
    emu: Emulator,
) -> None:
    # Imported, removed, imported again under the same customer order id: the first removal
    # order matches by id and numbers, but its numbers are back in service, so it is not ours.
    provider, first = _created(emu)
    provider.delete(first.id, first.outs)
    _, created = _created(emu)
    [older] = _removals_of(emu, [A, B])
    _delete_through(emu, Script(Step("POST", REMOVALS, "503")), created)
    removals = _removals_of(emu, [A, B])
    assert len(removals) == 2 and older["id"] in {r["id"] for r in removals}
    assert emu.control.state()["in_service"] == []


def test_a_pending_removal_found_after_a_lost_answer_is_waited_for(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    _, created = _created(emu)
    # The removal takes a step every 3 reads: still RECEIVED when the look-up lists and reads
    # it, so it is found pending and polled to its end (no clock involved).
    emu.control.progression("reads", reads=3)
    _delete_through(emu, lose_first("POST", REMOVALS), created)
    [removal] = _removals_of(emu, [A, B])
    assert removal["status"] == "COMPLETE"
    assert emu.control.state()["in_service"] == []
    assert f"resuming removal order {removal['id']}" in capsys.readouterr().err


def test_a_destroy_run_again_waits_for_the_removal_the_interrupted_one_placed(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first destroy placed its order and was stopped (double Ctrl-C) before it finished;
    # nothing reached state, so the engine calls delete again with the same outputs.
    provider, created = _created(emu)
    emu.control.progression("reads", reads=3)
    first = dashboard(emu).create_remove_order([A, B], created.outs["customer_order_id"])
    provider.delete(created.id, created.outs)
    assert [r["id"] for r in _removals_of(emu, [A, B])] == [first.order_id]
    assert emu.control.state()["in_service"] == []
    err = capsys.readouterr().err
    assert f"resuming removal order {first.order_id}" in err
    assert "placed removal order" not in err


def test_a_removal_of_numbers_already_gone_says_so_beside_its_failed_status(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # Removed out of band under another customer order id: ours ends FAILED with only 5158.
    provider, created = _created(emu)
    dashboard(emu).create_remove_order([A, B], "someone-else")
    assert emu.control.state()["in_service"] == []
    provider.delete(created.id, created.outs)
    ours = [r for r in _removals_of(emu, [A, B]) if r["status"] == "FAILED"]
    assert len(ours) == 1
    err = capsys.readouterr().err
    assert f"removal order {ours[0]['id']} ended FAILED" in err
    assert "Bandwidth code 5158: the numbers were already removed" in err


TWO_FAULTS: dict[str, tuple[Action, Action]] = {
    "503_then_lost_answer": ("503", "lose-answer"),
    "reset_then_reset_after_processing": ("reset", "forward-reset"),
    "503_then_503": ("503", "503"),
}


@pytest.mark.parametrize("faults", list(TWO_FAULTS.values()), ids=list(TWO_FAULTS))
def test_two_faults_in_a_row_on_the_removal_post_still_remove_once(
    emu: Emulator, faults: tuple[Action, Action]
) -> None:
    _, created = _created(emu)
    script = Script(*(Step("POST", REMOVALS, fault) for fault in faults))
    _delete_through(emu, script, created)
    assert script.pending == []
    assert len(_removals_of(emu, [A, B])) == 1
    assert emu.control.state()["in_service"] == []


@pytest.mark.parametrize("faults", list(TWO_FAULTS.values()), ids=list(TWO_FAULTS))
def test_two_faults_in_a_row_on_the_import_post_still_import_once(
    emu: Emulator, faults: tuple[Action, Action]
) -> None:
    script = Script(*(Step("POST", "/importTnOrders", fault) for fault in faults))
    with lossy_proxy(emu.dashboard_url, script) as url:
        provider = configured(ImportTnOrderProvider, emu, **{"bandwidth:dashboardUrl": url})
        checked = provider.check({}, order_inputs([A, B]))
        created = provider.create(checked.inputs)
    assert script.pending == []
    orders = emu.control.state()["import_orders"]
    assert [o["id"] for o in orders] == [created.id]
    assert sorted(emu.control.state()["in_service"]) == [A, B]
