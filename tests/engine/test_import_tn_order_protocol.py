"""ImportTnOrder through the real plugin over gRPC: order outcomes, drift, adoption, destroy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bw_helpers import (
    SUBSCRIBER,
    assert_no_credentials,
    assert_stack_secrets_only_in_configure,
    assert_state_is_clean,
    dashboard,
    order_inputs,
)
from harness import UNKNOWN, CheckFailed, Engine, ProviderError, Resource

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.clients.dashboard import Address, ImportOrderRequest
from bw_pulumi.emulator import Emulator

A, B, C = "9195550101", "9195550102", "9195550103"


def _order(engine: Engine, numbers: list[Any], **extra: Any) -> Resource:
    return engine.create(ImportTnOrderProvider(), order_inputs(numbers, **extra), name="numbers")


def _in_service(emu: Emulator) -> list[str]:
    return list(emu.control.state()["in_service"])


def test_import_order_completes_and_a_second_up_changes_nothing(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _order(bw_engine, ["+1 (919) 555-0102", "919.555.0101"])
    assert created.output("processing_status") == "COMPLETE"
    assert created.output("imported_numbers") == [A, B]
    assert created.output("telephone_numbers") == [A, B]  # normalized, sorted
    assert created.output("failed_numbers") == []
    assert created.id == created.output("order_id")
    assert _in_service(bw_emu) == [A, B]

    again = bw_engine.up(ImportTnOrderProvider(), order_inputs([B, A]), created)
    assert again.op == "same"
    refreshed = bw_engine.refresh(created)
    assert refreshed is not None and refreshed.output("imported_numbers") == [A, B]
    assert bw_engine.up(ImportTnOrderProvider(), order_inputs([A, B]), refreshed).op == "same"
    assert len(bw_emu.control.state()["import_orders"]) == 1  # nothing ordered twice
    assert_state_is_clean(created)
    assert_stack_secrets_only_in_configure(bw_engine)


def test_unimportable_number_fails_create_with_its_code_and_orders_nothing(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(unimportable={B: 19005})
    with pytest.raises(ProviderError) as failed:
        _order(bw_engine, [A, B])
    assert "19005" in failed.value.details
    assert B in failed.value.details
    assert_no_credentials(failed.value.details + bw_engine.stderr)
    assert bw_emu.control.state()["import_orders"] == []


def test_partial_order_with_allow_partial_records_failed_numbers_with_their_code(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(failing={B: 7518})
    created = _order(bw_engine, [A, B], allow_partial=True)
    assert created.output("processing_status") == "PARTIAL"
    assert created.output("imported_numbers") == [A]
    [failure] = created.output("failed_numbers")
    assert (failure["number"], failure["code"]) == (B, "7518")
    assert _in_service(bw_emu) == [A]
    # The accepted failure is not a perpetual diff.
    inputs = order_inputs([A, B], allow_partial=True)
    assert bw_engine.up(ImportTnOrderProvider(), inputs, created).op == "same"


def test_partial_order_without_allow_partial_fails_and_leaves_nothing_imported(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    bw_emu.control.numbers(failing={B: 7518})
    with pytest.raises(ProviderError) as failed:
        _order(bw_engine, [A, B])
    assert "PARTIAL" in failed.value.details and "7518" in failed.value.details
    assert_no_credentials(failed.value.details)
    assert _in_service(bw_emu) == []


def test_number_removed_out_of_band_drops_out_on_refresh_and_up_reimports_it(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = _order(bw_engine, [A, B])
    dashboard(bw_emu).create_remove_order([B], "someone-in-the-portal")
    assert _in_service(bw_emu) == [A]

    refreshed = bw_plugin().refresh(created)
    assert refreshed is not None
    assert refreshed.output("imported_numbers") == [A]
    assert refreshed.inputs["telephone_numbers"] == [A]  # the drift shows against the program

    repaired = bw_plugin().up(ImportTnOrderProvider(), order_inputs([A, B]), refreshed)
    assert (repaired.op, repaired.id) == ("update", created.id)
    assert repaired.output("imported_numbers") == [A, B]
    assert _in_service(bw_emu) == [A, B]


def test_all_numbers_removed_out_of_band_is_gone_and_up_recreates_the_order(
    bw_engine: Engine, bw_emu: Emulator, bw_plugin: Callable[[], Engine]
) -> None:
    created = _order(bw_engine, [A])
    dashboard(bw_emu).create_remove_order([A])
    assert bw_plugin().refresh(created) is None
    recreated = _order(bw_plugin(), [A])
    assert recreated.output("imported_numbers") == [A]
    assert _in_service(bw_emu) == [A]


def test_changing_numbers_updates_in_place_with_one_import_and_one_removal(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _order(bw_engine, [A, B])
    updated = bw_engine.up(ImportTnOrderProvider(), order_inputs([B, C]), created)
    assert (updated.op, updated.id) == ("update", created.id)
    assert updated.output("imported_numbers") == [B, C]
    assert _in_service(bw_emu) == [B, C]
    state = bw_emu.control.state()
    assert (len(state["import_orders"]), len(state["remove_orders"])) == (2, 1)


def test_changing_the_site_replaces_the_order_deleting_first(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _order(bw_engine, [A])
    news = order_inputs([A], site_id="15")
    plan = bw_engine.preview(ImportTnOrderProvider(), news, created)
    assert (plan.op, plan.replaces, plan.delete_before_replace) == ("replace", ["site_id"], True)
    replaced = bw_engine.up(ImportTnOrderProvider(), news, created)
    assert replaced.op == "replace" and replaced.id != created.id
    assert _in_service(bw_emu) == [A]


def test_destroy_removes_the_numbers_and_tolerates_one_already_absent(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    created = _order(bw_engine, [A, B])
    dashboard(bw_emu).create_remove_order([B])  # state still says B is held
    bw_engine.destroy(created)
    assert _in_service(bw_emu) == []
    bw_engine.destroy(created)  # everything already absent: still success


def test_adopt_order_id_takes_over_numbers_imported_by_hand(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    addr = SUBSCRIBER["service_address"]
    assert isinstance(addr, dict)
    placed = dashboard(bw_emu).create_import_order(
        ImportOrderRequest(
            telephone_numbers=[A, B],
            site_id="14",
            subscriber_name=str(SUBSCRIBER["name"]),  # adoption refuses replace-only mismatches
            service_address=Address(**addr),
            loa_authorizing_person="Jane Doe",
        )
    )
    assert dashboard(bw_emu).get_import_order(placed.order_id).status == "COMPLETE"
    adopted = _order(bw_engine, [A, B], adopt_order_id=placed.order_id)
    assert adopted.id == placed.order_id
    assert adopted.output("imported_numbers") == [A, B]
    assert len(bw_emu.control.state()["import_orders"]) == 1  # nothing imported again
    bw_engine.destroy(adopted)
    assert _in_service(bw_emu) == []


def test_preview_accepts_unknown_numbers_and_plans_an_update(
    bw_engine: Engine, bw_emu: Emulator
) -> None:
    plan = bw_engine.preview(ImportTnOrderProvider(), order_inputs([A, UNKNOWN]))
    assert plan.op == "create"
    assert plan.checked["telephone_numbers"] == [A, UNKNOWN]

    created = _order(bw_engine, [A])
    plan = bw_engine.preview(ImportTnOrderProvider(), order_inputs([A, UNKNOWN]), created)
    assert plan.op == "update"
    plan = bw_engine.preview(ImportTnOrderProvider(), order_inputs(UNKNOWN), created)
    assert plan.op == "update"
    assert len(bw_emu.control.state()["import_orders"]) == 1  # preview ordered nothing


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"telephone_numbers": ["123"]}, "telephone_numbers"),
        ({"telephone_numbers": [A, "+19195550101"]}, "telephone_numbers"),
        ({"customer_order_id": "bad_id!"}, "customer_order_id"),
        (
            {"subscriber": {**SUBSCRIBER, "service_address": {"city": "Raleigh"}}},
            "subscriber.service_address.zip",
        ),
    ],
)
def test_import_order_check_failures_name_the_field(
    bw_engine: Engine, change: dict[str, Any], field: str
) -> None:
    inputs = {**order_inputs([A]), **change}
    with pytest.raises(CheckFailed) as failed:
        bw_engine.preview(ImportTnOrderProvider(), inputs)
    # A number list's one failure names its input first (no property: see check_number_list).
    assert field in {prop or reason.split(":")[0] for prop, reason in failed.value.failures}


def test_whole_numbers_written_as_ints_reach_bandwidth_as_plain_text(bw_engine: Engine) -> None:
    # Protobuf's Struct turns 14 into 14.0 on the way to the provider.
    subscriber = {
        "name": "Acme Staging",
        "service_address": {
            "house_number": 900,
            "street_name": "Main Campus Dr",
            "city": "Raleigh",
            "state_code": "nc",
            "zip": 27606,
        },
    }
    plan = bw_engine.preview(
        ImportTnOrderProvider(),
        order_inputs([9195550101], site_id=14, sip_peer_id=501, subscriber=subscriber),
    )
    checked = plan.checked
    assert checked["telephone_numbers"] == [A]
    assert (checked["site_id"], checked["sip_peer_id"]) == ("14", "501")
    address = checked["subscriber"]["service_address"]
    assert (address["house_number"], address["zip"], address["state_code"]) == (
        "900",
        "27606",
        "NC",
    )
