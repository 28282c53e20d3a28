"""ImportTnOrder provider against the emulator: status paths, resume, update, refresh, delete."""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest
from pulumi.output import Unknown
from pytest_mock import MockerFixture

from bw_pulumi import ImportTnOrderProvider, check_importability
from bw_pulumi._runtime import reset
from bw_pulumi.clients.dashboard import Address, ImportOrder, ImportOrderRequest
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import AdoptionMismatch, OrderError, OrderTimeout
from bw_pulumi.resources import _ordering, _service_checks
from bw_pulumi.resources.import_tn_order import default_customer_order_id

from .conftest import SUBSCRIBER, configured, dashboard, order_inputs

A, B, C = "9195550101", "9195550102", "9195550103"


def _provider(emu: Emulator) -> ImportTnOrderProvider:
    return configured(ImportTnOrderProvider, emu)


def _checked(provider: ImportTnOrderProvider, inputs: dict) -> dict:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def _failures(provider: ImportTnOrderProvider, inputs: dict) -> dict[str, str]:
    # A number list's failure names its input in the reason (no property: see check_number_list).
    failures = provider.check({}, inputs).failures
    return {f.property or f.reason.split(":")[0]: f.reason for f in failures}


def test_check_normalizes_numbers_to_sorted_ten_digits(emu: Emulator) -> None:
    inputs = _checked(_provider(emu), order_inputs(["+1 (919) 555-0102", "919.555.0101"]))
    assert inputs["telephone_numbers"] == [A, B]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"telephone_numbers": ["12345"]}, "telephone_numbers"),
        ({"telephone_numbers": [A, "+19195550101"]}, "telephone_numbers"),
        ({"telephone_numbers": []}, "telephone_numbers"),
        ({"customer_order_id": "has_underscore"}, "customer_order_id"),
        ({"customer_order_id": "x" * 41}, "customer_order_id"),
        ({"site_id": ""}, "site_id"),
        ({"loa_authorizing_person": None}, "loa_authorizing_person"),
        ({"wait_timeout": 0}, "wait_timeout"),
        ({"allow_partial": "yes"}, "allow_partial"),
        ({"loa_file": "/nonexistent/loa.pdf"}, "loa_file"),
        (
            {
                "subscriber": {
                    **SUBSCRIBER,
                    "service_address": {**SUBSCRIBER["service_address"], "state_code": "NCX"},
                }
            },
            "subscriber.service_address.state_code",
        ),
        (
            {"subscriber": {"name": "Acme", "service_address": {"city": "Raleigh"}}},
            "subscriber.service_address.zip",
        ),
        ({"subscriber": None}, "subscriber"),
    ],
)
def test_check_names_the_bad_field(emu: Emulator, change: dict, field: str) -> None:
    assert field in _failures(_provider(emu), order_inputs([A], **change))


def test_check_passes_unknowns_through_without_network(emu: Emulator) -> None:
    unknown, site, peer = Unknown(), Unknown(), Unknown()
    emu.stop()  # any network call would now fail
    inputs = order_inputs([A, unknown], site_id=site, sip_peer_id=peer)
    result = ImportTnOrderProvider().check({}, inputs)
    assert result.failures == []
    assert result.inputs["telephone_numbers"][1] is unknown
    assert result.inputs["site_id"] is site and result.inputs["sip_peer_id"] is peer


def test_check_of_numbers_unchanged_since_the_last_check_parses_none(
    mocker: MockerFixture,
) -> None:
    provider = ImportTnOrderProvider()
    first = provider.check({}, order_inputs(["(919) 555-0173", "+1 919 555 0172"]))
    assert first.inputs["telephone_numbers"] == ["9195550172", "9195550173"]
    parse = mocker.spy(phonenumbers, "parse")
    # A no-op `up`: the program sends the numbers as they are stored, the old inputs hold them.
    again = provider.check(first.inputs, order_inputs(["9195550172", "9195550173"]))
    assert (again.failures, again.inputs["telephone_numbers"], parse.call_count) == (
        [],
        ["9195550172", "9195550173"],
        0,
    )
    # Any change is checked in full: a bad number beside stored ones is still refused.
    changed = provider.check(first.inputs, order_inputs(["9195550172", "9195550173", "555"]))
    assert [f.reason.split(":")[0] for f in changed.failures] == ["telephone_numbers"]


@pytest.mark.parametrize("prop", ["site_id", "sip_peer_id"])
@pytest.mark.parametrize("bad", ["abc", "0", "-3", "14.5", "1e3", "14a", 0, -1, 14.5, True, [14]])
def test_check_refuses_an_id_that_is_not_a_positive_whole_number(
    emu: Emulator, prop: str, bad: object
) -> None:
    # Bandwidth only refuses it in the order (7309), after `up` created the other resources.
    failures = _failures(_provider(emu), order_inputs([A], **{prop: bad}))
    assert "positive whole number" in failures[prop] and repr(bad) in failures[prop]


@pytest.mark.parametrize(
    ("given", "stored"), [(14, "14"), (14.0, "14"), (" 14 ", "14"), ("14", "14")]
)
def test_check_accepts_ids_as_ints_whole_floats_and_digit_strings(
    emu: Emulator, given: object, stored: str
) -> None:
    # protobuf turns a program's 14 into 14.0; Bandwidth takes the id as text.
    inputs = _checked(_provider(emu), order_inputs([A], site_id=given, sip_peer_id=given))
    assert (inputs["site_id"], inputs["sip_peer_id"]) == (stored, stored)


def test_check_importability_refuses_a_bad_site_id_before_any_request(emu: Emulator) -> None:
    config = emu.stack_config()
    emu.stop()  # any network call would now fail with TransportError instead
    with pytest.raises(ValueError, match="site_id must be a positive whole number"):
        check_importability([A], site_id="abc", config=config)
    with pytest.raises(ValueError, match="sip_peer_id"):
        check_importability([A], site_id=14, sip_peer_id="peer-1", config=config)


def test_create_imports_numbers_and_confirms_them_in_service(emu: Emulator) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B])))
    assert created.outs["imported_numbers"] == [A, B]
    assert created.outs["processing_status"] == "COMPLETE"
    assert created.outs["failed_numbers"] == []
    state = emu.control.state()
    assert set(state["in_service"]) == {A, B}
    assert [o["id"] for o in state["import_orders"]] == [created.id]


def test_create_and_delete_print_placement_and_completion_lines(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B])))
    provider.delete(created.id, created.outs)
    [removal] = emu.control.state()["remove_orders"]
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("bw-pulumi:")]
    after = r"after \d+(\.\d)? s"
    expected = [
        f"bw-pulumi: placed import order {created.id} (customer order id 'bwp-tests-order') "
        "for 2 numbers",
        rf"bw-pulumi: import order {created.id} ended COMPLETE {after}",
        f"bw-pulumi: placed removal order {removal['id']} (customer order id 'bwp-tests-order') "
        "for 2 numbers",
        rf"bw-pulumi: removal order {removal['id']} ended COMPLETE {after}",
    ]
    assert len(lines) == len(expected), lines
    assert lines[0] == expected[0] and lines[2] == expected[2]
    assert re.fullmatch(expected[1], lines[1]) and re.fullmatch(expected[3], lines[3])


def test_checker_refusal_orders_nothing_and_lists_each_code(emu: Emulator) -> None:
    emu.control.numbers(unimportable={B: 19005})
    provider = _provider(emu)
    with pytest.raises(OrderError) as err:
        provider.create(_checked(provider, order_inputs([A, B])))
    assert "19005" in str(err.value) and B in str(err.value)
    assert "nothing was ordered" in str(err.value)
    assert emu.control.state()["import_orders"] == []


def test_partial_without_allow_partial_removes_what_imported_then_fails(emu: Emulator) -> None:
    emu.control.numbers(failing={B: 7518})
    provider = _provider(emu)
    with pytest.raises(OrderError) as err:
        provider.create(_checked(provider, order_inputs([A, B])))
    assert "PARTIAL" in str(err.value) and "7518" in str(err.value)
    state = emu.control.state()
    assert state["in_service"] == []  # A was imported, then removed again: nothing orphaned
    assert len(state["remove_orders"]) == 1


def test_partial_with_allow_partial_keeps_successes_and_records_failures(emu: Emulator) -> None:
    emu.control.numbers(failing={B: 7518})
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B], allow_partial=True)))
    assert created.outs["imported_numbers"] == [A]
    assert created.outs["failed_numbers"] == [
        {
            "number": B,
            "code": "7518",
            "description": created.outs["failed_numbers"][0]["description"],
        }
    ]
    # The accepted failure is not a perpetual diff.
    assert (
        provider.diff(
            created.id, created.outs, _checked(provider, order_inputs([A, B], allow_partial=True))
        ).changes
        is False
    )


def test_failed_order_raises_with_every_error(emu: Emulator) -> None:
    emu.control.numbers(failing={A: 7518, B: 7518})
    provider = _provider(emu)
    with pytest.raises(OrderError) as err:
        provider.create(_checked(provider, order_inputs([A, B])))
    assert "FAILED" in str(err.value) and "7518" in str(err.value)
    assert emu.control.state()["in_service"] == []


def test_timeout_tells_the_user_and_the_next_create_resumes_the_same_order() -> None:
    # Orders take ten minutes here: the first create times out on a pending order for sure,
    # then the test ends the order (settle) and the next create finds it.
    with Emulator(processing_seconds=600) as emu:
        provider = _provider(emu)
        inputs = _checked(provider, order_inputs([A], wait_timeout=0.2))
        with pytest.raises(OrderTimeout) as err:
            provider.create(inputs)
        assert "resumes this order" in str(err.value)
        assert len(emu.control.settle()) == 1
        created = provider.create({**inputs, "wait_timeout": 30})
        orders = emu.control.state()["import_orders"]
        assert [o["id"] for o in orders] == [created.id]
        assert created.outs["imported_numbers"] == [A]


def test_order_that_ends_partial_after_a_timeout_is_rolled_back_not_ordered_again() -> None:
    with Emulator(processing_seconds=600) as emu:
        emu.control.numbers(failing={B: 7518})
        provider = _provider(emu)
        inputs = _checked(provider, order_inputs([A, B], wait_timeout=0.2))
        with pytest.raises(OrderTimeout):
            provider.create(inputs)
        [first] = emu.control.state()["import_orders"]
        assert emu.control.settle() == [first["id"]]  # it ends after our wait gave up
        emu.control.progression("immediate")  # the rollback's removal order, placed next
        assert dashboard(emu).get_import_order(first["id"]).status == "PARTIAL"
        assert A in emu.control.state()["in_service"]  # nobody has rolled A back yet
        with pytest.raises(OrderError) as err:
            provider.create({**inputs, "wait_timeout": 30})
        assert "PARTIAL" in str(err.value) and "removed again" in str(err.value)
        state = emu.control.state()
        assert [o["id"] for o in state["import_orders"]] == [first["id"]]  # not ordered twice
        assert state["in_service"] == []


def test_complete_order_holds_numbers_that_are_slow_to_show_in_service(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bandwidth says COMPLETE but the in-service lookup lags: destroy must still remove them.
    monkeypatch.setattr(_service_checks, "PROPAGATION_SECONDS", 0.0)
    order = ImportOrder(
        order_id="o-1",
        customer_order_id=None,
        status="COMPLETE",
        telephone_numbers=(A,),
        errors=(),
        site_id="14",
        sip_peer_id=None,
        last_modified=None,
        created=None,
    )
    outcome = _ordering._settle(dashboard(emu), order, allow_partial=False, timeout=5)
    assert outcome.imported == [A]


def test_crash_between_post_and_return_is_resumed_not_duplicated(emu: Emulator) -> None:
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A, B]))
    # What a crashed earlier run left behind: the order exists, the state knows nothing.
    earlier = dashboard(emu).create_import_order(
        ImportOrderRequest(
            telephone_numbers=[A, B],
            site_id="14",
            subscriber_name="Acme Staging",
            service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
            loa_authorizing_person="Jane Doe",
            customer_order_id=inputs["customer_order_id"],
        )
    )
    created = provider.create(inputs)
    assert created.id == earlier.order_id
    assert len(emu.control.state()["import_orders"]) == 1


def test_update_imports_added_and_removes_dropped_numbers(emu: Emulator) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B])))
    news = _checked(provider, order_inputs([B, C]))
    diff = provider.diff(created.id, created.outs, news)
    assert diff.changes and not diff.replaces
    updated = provider.update(created.id, created.outs, news)
    assert updated.outs["imported_numbers"] == [B, C]
    state = emu.control.state()
    assert set(state["in_service"]) == {B, C}
    assert len(state["import_orders"]) == 2 and len(state["remove_orders"]) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"site_id": "15"},
        {"sip_peer_id": "77"},
        {"loa_authorizing_person": "John Roe"},
        {"subscriber": {**SUBSCRIBER, "name": "Other"}},
    ],
)
def test_replace_inputs_replace_deleting_first(emu: Emulator, change: dict) -> None:
    provider = _provider(emu)
    olds = {**_checked(provider, order_inputs([A])), "imported_numbers": [A]}
    diff = provider.diff("o", olds, _checked(provider, order_inputs([A], **change)))
    assert diff.replaces and diff.delete_before_replace


def test_unchanged_inputs_give_no_diff(emu: Emulator) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B])))
    assert (
        provider.diff(created.id, created.outs, _checked(provider, order_inputs([B, A]))).changes
        is False
    )


def test_refresh_drops_number_removed_out_of_band_and_up_reimports_it(emu: Emulator) -> None:
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A, B]))
    created = provider.create(inputs)
    removal = dashboard(emu).create_remove_order([B], "portal")
    assert removal.order_id
    reset()  # a refresh runs in a new provider process, with nothing cached
    provider = _provider(emu)
    read = provider.read(created.id, created.outs)
    assert read.outs["imported_numbers"] == [A]
    assert read.inputs["telephone_numbers"] == [A]
    diff = provider.diff(created.id, read.outs, inputs)
    assert diff.changes and not diff.replaces
    repaired = provider.update(created.id, read.outs, inputs)
    assert repaired.outs["imported_numbers"] == [A, B]
    assert set(emu.control.state()["in_service"]) == {A, B}


def test_refresh_reports_gone_when_no_number_remains(emu: Emulator) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A])))
    dashboard(emu).create_remove_order([A], "portal")
    reset()  # a refresh runs in a new provider process, with nothing cached
    assert _provider(emu).read(created.id, created.outs).id is None


def test_refresh_right_after_create_changes_nothing(emu: Emulator) -> None:
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A, B]))
    created = provider.create(inputs)
    read = provider.read(created.id, created.outs)
    assert read.outs == created.outs
    assert provider.diff(created.id, read.outs, inputs).changes is False


def test_delete_removes_numbers_and_treats_already_absent_as_success(emu: Emulator) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A, B])))
    dashboard(emu).create_remove_order([A], "portal")  # A is gone already: 5158 on our removal
    provider.delete(created.id, created.outs)
    assert emu.control.state()["in_service"] == []


def _order_by_hand(emu: Emulator, numbers: list[str]) -> str:
    return (
        dashboard(emu)
        .create_import_order(
            ImportOrderRequest(
                telephone_numbers=numbers,
                site_id="14",
                subscriber_name="Acme Staging",
                service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
                loa_authorizing_person="Jane Doe",
                customer_order_id="by hand",
            )
        )
        .order_id
    )


def test_adoption_takes_over_numbers_imported_by_hand(emu: Emulator) -> None:
    provider = _provider(emu)
    by_hand = _order_by_hand(emu, [A])
    inputs = _checked(provider, order_inputs([A], adopt_order_id=by_hand))
    created = provider.create(inputs)
    assert created.id == by_hand
    assert created.outs["imported_numbers"] == [A]
    assert len(emu.control.state()["import_orders"]) == 1


def test_adoption_refuses_a_program_whose_replace_only_fields_differ(emu: Emulator) -> None:
    provider = _provider(emu)
    order_id = _order_by_hand(emu, [A])
    inputs = _checked(provider, order_inputs([A], adopt_order_id=order_id, site_id="99"))
    with pytest.raises(AdoptionMismatch) as err:
        provider.create(inputs)
    assert "site_id is '14' on the order but '99' in the program" in str(err.value)
    state = emu.control.state()
    assert state["in_service"] == [A] and state["remove_orders"] == []  # nothing touched


def test_adoption_compares_the_service_address_and_keeps_the_orders_sip_peer(
    emu: Emulator,
) -> None:
    provider = _provider(emu)
    order_id = (
        dashboard(emu)
        .create_import_order(
            ImportOrderRequest(
                telephone_numbers=[A],
                site_id="14",
                sip_peer_id="777",
                subscriber_name="Acme Staging",
                service_address=Address("1", "Other St", "Durham", "NC", "27701"),
                loa_authorizing_person="Jane Doe",
            )
        )
        .order_id
    )
    elsewhere = _checked(provider, order_inputs([A], adopt_order_id=order_id))
    with pytest.raises(AdoptionMismatch, match=r"service_address\.city is 'Durham'"):
        provider.create(elsewhere)
    address = {"house_number": "1", "street_name": "OTHER  st", "city": "Durham",
               "state_code": "NC", "zip": "27701"}  # fmt: skip
    inputs = _checked(
        provider,
        order_inputs(
            [A],
            adopt_order_id=order_id,
            subscriber={**SUBSCRIBER, "service_address": address},
        ),
    )
    adopted = provider.create(inputs)
    assert adopted.outs["sip_peer_id"] == "777"  # the program left it open
    diff = provider.diff(adopted.id, adopted.outs, inputs)
    assert diff.replaces == [] and diff.changes is False


def test_get_by_order_id_fills_every_field_from_the_live_order(emu: Emulator) -> None:
    provider = _provider(emu)
    order_id = _order_by_hand(emu, [A, B])
    # `ImportTnOrder.get`-style read: the engine passes only the program's props.
    got = provider.read(order_id, _checked(provider, order_inputs([C], site_id="77")))
    assert got.id == order_id
    assert got.outs["order_id"] == order_id
    assert got.outs["imported_numbers"] == [A, B]
    assert got.outs["processing_status"] == "COMPLETE"
    assert got.inputs["telephone_numbers"] == [A, B]
    assert got.inputs["site_id"] == "14"
    assert got.inputs["subscriber"]["name"] == "Acme Staging"
    assert got.inputs["subscriber"]["service_address"]["zip"] == "27606"
    assert got.inputs["customer_order_id"] == "by hand"
    # Read back as state, the object is then stable: a refresh changes nothing.
    again = provider.read(order_id, got.outs)
    assert again.outs["imported_numbers"] == [A, B]


def test_get_of_an_unknown_order_id_is_gone(emu: Emulator) -> None:
    provider = _provider(emu)
    missing = "b05de7e6-0cab-4c83-81bb-9379cba8efd0"
    assert provider.read(missing, _checked(provider, order_inputs([A]))).id is None


def test_default_customer_order_id_is_valid_and_unique_per_resource() -> None:
    short = default_customer_order_id("proj", "dev", "numbers")
    assert short.startswith("proj-dev-numbers-") and len(short) == len("proj-dev-numbers-") + 8
    # Names that join to the same text still get different ids.
    assert default_customer_order_id("app", "dev", "us-numbers") != default_customer_order_id(
        "app", "dev-us", "numbers"
    )
    long_a = default_customer_order_id("a-very-long-project-name", "feature_branch_42", "numbers")
    long_b = default_customer_order_id("a-very-long-project-name", "feature_branch_43", "numbers")
    for coid in (long_a, long_b):
        assert len(coid) <= 40 and all(ch.isalnum() or ch in " -" for ch in coid)
    assert long_a != long_b


def test_loa_file_is_uploaded_to_the_order_once(emu: Emulator, tmp_path: Path) -> None:
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(b"%PDF-1.4\n% signed letter of authorization\n%%EOF\n")
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A], loa_file=str(loa))))
    (order,) = emu.control.state()["import_orders"]
    assert order["id"] == created.id and len(order["loas"]) == 1
    assert dashboard(emu).list_loas(created.id) == order["loas"]


def test_check_importability_reports_each_refused_number_with_its_code(emu: Emulator) -> None:
    emu.control.numbers(unimportable={B: 19006})
    report = check_importability(["919-555-0101", "+19195550102"], config=emu.stack_config())
    assert report.importable == (A,)
    assert report.unimportable[B].code == "19006"
    assert not report.ok
    assert emu.control.state()["import_orders"] == []
