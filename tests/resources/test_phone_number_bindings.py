"""PhoneNumberBindings provider methods against the emulator over real HTTP.

Out-of-band changes go through the real APIs (a DELETE, a move to another application, a
removal order), as a person in the portal would make them.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest
from pulumi.output import Unknown
from pytest_mock import MockerFixture

from bw_pulumi import PhoneNumberBindingsProvider
from bw_pulumi._numbers import _e164
from bw_pulumi._runtime import reset
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import BwPulumiError
from bw_pulumi.resources._bindings import BindingsFailed

from .conftest import catapult, configured, dashboard
from .lossy_proxy import Script, Step, lossy_proxy

HOOK = "https://hooks.example.com/sms"
TNS = [f"919555{n:04d}" for n in range(100, 112)]  # 12 numbers: bulk progress lines too
E164 = [f"+1{tn}" for tn in TNS]


def _app(emu: Emulator, name: str = "sms") -> str:
    return catapult(emu).create_application({"name": name, "incomingMessageUrl": HOOK})


def _provider(emu: Emulator, **overrides: str) -> PhoneNumberBindingsProvider:
    return configured(PhoneNumberBindingsProvider, emu, **overrides)


def _checked(provider: PhoneNumberBindingsProvider, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def _create(emu: Emulator, app_id: str, numbers: list[str], **extra: Any) -> dict[str, Any]:
    provider = _provider(emu)
    created = provider.create(
        _checked(provider, {"application_id": app_id, "telephone_numbers": numbers, **extra})
    )
    assert created.id == app_id
    return dict(created.outs or {})


def _bound(emu: Emulator) -> dict[str, str | None]:
    """E.164 number -> application id of every binding on the Catapult user."""
    return {n.number: n.application_id for n in catapult(emu).list_numbers()}


def _hand_bind(emu: Emulator, e164: str, app_id: str) -> str:
    return catapult(emu).import_number(
        e164, app_id, account_id=emu.account_id, username=emu.username, password=emu.password
    )


def test_check_passes_numbers_not_known_yet_through() -> None:
    # A program may list a number that is still an unknown output during preview.
    numbers = ["+19195550100", Unknown()]
    result = PhoneNumberBindingsProvider().check(
        {}, {"application_id": "a-1", "telephone_numbers": numbers}
    )
    assert result.failures == []
    assert result.inputs["telephone_numbers"] is numbers


def test_check_takes_numbers_it_accepted_last_time_in_either_spelling_without_parsing(
    mocker: MockerFixture,
) -> None:
    # The flagship feeds the order's ten-digit imported_numbers to the bindings, which store
    # E.164: a no-op `up` in a fresh provider process must not parse them all again.
    provider = PhoneNumberBindingsProvider()
    first = provider.check({}, {"application_id": "a-1", "telephone_numbers": TNS})
    assert first.inputs["telephone_numbers"] == E164
    _e164.cache_clear()
    parse = mocker.spy(phonenumbers, "parse")
    again = provider.check(first.inputs, {"application_id": "a-1", "telephone_numbers": TNS})
    assert (again.failures, again.inputs["telephone_numbers"], parse.call_count) == ([], E164, 0)
    # Only what the last check did not accept is parsed, and a bad number is still refused.
    grown = provider.check(
        first.inputs, {"application_id": "a-1", "telephone_numbers": [*TNS, "9195550199", "12"]}
    )
    assert grown.inputs["telephone_numbers"] == sorted([*E164, "+19195550199"])
    assert [f.reason.split(":")[0] for f in grown.failures] == ["telephone_numbers"]
    assert parse.call_count == 2
    # A duplicate in two spellings is still a duplicate.
    twice = provider.check(
        first.inputs, {"application_id": "a-1", "telephone_numbers": [TNS[0], E164[0]]}
    )
    assert [f.reason.split(":")[0] for f in twice.failures] == ["telephone_numbers"]


def test_a_list_of_many_bad_numbers_fails_check_once_naming_the_first_few_and_a_count() -> None:
    numbers = [f"+1919100{n:04d}" for n in range(1000)]  # exchange 100: not a valid NANP number
    result = PhoneNumberBindingsProvider().check(
        {}, {"application_id": "a-1", "telephone_numbers": ["9195550100", *numbers]}
    )
    [failure] = result.failures
    # No property: the engine would print all 1001 numbers beside a failure that names one.
    assert failure.property == ""
    assert failure.reason.startswith("telephone_numbers: 1000 entries are wrong (of 1001): ")
    assert failure.reason.count("+1919100") == 3
    assert failure.reason.endswith("; and 997 more")
    assert len(failure.reason) < 400


def _requests(emu: Emulator, route: str) -> int:
    return sum(n for key, n in emu.control.stats()["requests"].items() if route in key)


def test_check_normalizes_sorts_and_names_bad_fields() -> None:
    provider = PhoneNumberBindingsProvider()
    ok = provider.check(
        {}, {"application_id": "a-1", "telephone_numbers": ["919-555-0101", 9195550100]}
    )
    assert ok.failures == []
    assert ok.inputs["telephone_numbers"] == ["+19195550100", "+19195550101"]
    bad = provider.check(
        {},
        {
            "application_id": "",
            "telephone_numbers": ["9195550100", "+19195550100", "12"],
            "allow_partial": "yes",
            "wait_timeout": -1,
        },
    )
    fields = sorted(f.property or f.reason.split(":")[0] for f in bad.failures)
    # One failure for the list, whatever its number of bad entries.
    assert fields == ["allow_partial", "application_id", "telephone_numbers", "wait_timeout"]


def test_create_binds_every_number_and_refresh_right_after_changes_nothing(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS)
    assert _bound(emu) == dict.fromkeys(E164, app_id)
    assert sorted(outs["number_ids"]) == E164
    assert outs["in_service"] == dict.fromkeys(E164, True)
    assert outs["failed_numbers"] == []

    read = _provider(emu).read(app_id, outs)
    assert read.outs == outs
    assert read.inputs == {k: outs[k] for k in ("application_id", "telephone_numbers")}


def test_create_confirms_many_numbers_from_the_in_service_list_not_one_get_each(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=TNS)
    _create(emu, _app(emu), TNS)
    assert _requests(emu, "inservice") <= 3  # totals + one list page, not 12 GETs


def test_create_of_two_numbers_asks_for_each_not_for_the_account_list(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    provider = _provider(emu)
    # The preview proves the Dashboard config with one /totals read; create adds no other.
    checked = _checked(provider, {"application_id": _app(emu), "telephone_numbers": TNS[:2]})
    before = _requests(emu, "inservice")
    provider.create(checked)
    assert _requests(emu, "inservice") - before == 2
    assert _requests(emu, "inservice.totals") == 1


def test_update_binds_only_added_and_unbinds_only_dropped_numbers(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS[:10])
    provider = _provider(emu)
    news = _checked(provider, {"application_id": app_id, "telephone_numbers": TNS[2:]})
    imports_before = _requests(emu, "numbers.create")
    updated = provider.update(app_id, outs, news)

    assert _requests(emu, "numbers.create") - imports_before == 2
    assert sorted(_bound(emu)) == E164[2:]
    kept = {n: outs["number_ids"][n] for n in E164[2:10]}
    assert {n: updated.outs["number_ids"][n] for n in kept} == kept  # untouched bindings


def test_new_application_moves_every_number_in_place(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    old_app, new_app = _app(emu, "old"), _app(emu, "new")
    outs = _create(emu, old_app, TNS)
    provider = _provider(emu)
    news = _checked(provider, {"application_id": new_app, "telephone_numbers": TNS})
    deletes, imports = _requests(emu, "numbers.delete"), _requests(emu, "numbers.create")
    updated = provider.update(old_app, outs, news)

    assert _bound(emu) == dict.fromkeys(E164, new_app)
    assert updated.outs["number_ids"] == outs["number_ids"]  # same bindings, never unbound
    assert (_requests(emu, "numbers.delete"), _requests(emu, "numbers.create")) == (
        deletes,
        imports,
    )


def test_delete_unbinds_every_number_and_one_already_gone_is_success(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS)
    catapult(emu).delete_number(outs["number_ids"][E164[0]])
    _provider(emu).delete(app_id, outs)
    assert _bound(emu) == {}


def test_read_reports_unbound_moved_and_out_of_service_numbers_and_update_repairs_ours(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=TNS)
    app_id, other = _app(emu), _app(emu, "other")
    outs = _create(emu, app_id, TNS[:4])
    catapult(emu).delete_number(outs["number_ids"][E164[0]])  # unbound
    catapult(emu).update_number(outs["number_ids"][E164[1]], application_id=other)  # moved
    removal = dashboard(emu).create_remove_order([TNS[2]])  # out of service
    dashboard(emu).get_remove_order(removal.order_id)
    reset()  # a refresh runs in a new provider process, with nothing cached

    read = _provider(emu).read(app_id, outs)
    assert read.inputs is not None
    assert read.inputs["telephone_numbers"] == E164[2:4]
    # The moved number is the other application's now: state forgets it.
    assert sorted(read.outs["number_ids"]) == E164[2:4]
    assert read.outs["in_service"] == {E164[2]: False, E164[3]: True}

    provider = _provider(emu)
    news = _checked(provider, {"application_id": app_id, "telephone_numbers": TNS[:4]})
    assert provider.diff(app_id, read.outs, news).changes
    with pytest.raises(BindingsFailed, match="adopt_existing"):  # never taken back unasked
        provider.update(app_id, read.outs, news)
    assert _bound(emu) == {E164[1]: other, **dict.fromkeys(E164[2:4], app_id)}
    adopting = _checked(provider, {**news, "adopt_existing": True})
    provider.update(app_id, read.outs, adopting)
    assert _bound(emu) == dict.fromkeys(E164[:4], app_id)
    assert catapult(emu).get_number(E164[1]).number_id == outs["number_ids"][E164[1]]


@pytest.mark.parametrize("refreshed", [True, False])
def test_destroy_never_unbinds_a_number_moved_to_another_application(
    emu: Emulator, refreshed: bool
) -> None:
    emu.control.numbers(in_service=TNS[:3])
    app_id, other = _app(emu), _app(emu, "other")
    outs = _create(emu, app_id, TNS[:3])
    catapult(emu).update_number(outs["number_ids"][E164[1]], application_id=other)
    reset()
    if refreshed:
        outs = dict(_provider(emu).read(app_id, outs).outs)
    _provider(emu).delete(app_id, outs)
    assert _bound(emu) == {E164[1]: other}


def test_an_update_dropping_a_number_moved_elsewhere_leaves_it_bound(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:3])
    app_id, other = _app(emu), _app(emu, "other")
    outs = _create(emu, app_id, TNS[:3])
    catapult(emu).update_number(outs["number_ids"][E164[2]], application_id=other)
    provider = _provider(emu)
    news = _checked(provider, {"application_id": app_id, "telephone_numbers": TNS[:2]})
    updated = provider.update(app_id, outs, news)  # state from before the move: no refresh
    assert sorted(updated.outs["number_ids"]) == E164[:2]
    assert _bound(emu) == {**dict.fromkeys(E164[:2], app_id), E164[2]: other}


def test_read_with_every_binding_gone_is_gone(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:2])
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS[:2])
    for number_id in outs["number_ids"].values():
        catapult(emu).delete_number(number_id)
    assert _provider(emu).read(app_id, outs).id is None


def test_number_on_another_application_fails_create_naming_adopt_existing_and_undoes_it(
    emu: Emulator,
) -> None:
    emu.control.numbers(in_service=TNS)
    app_id, theirs = _app(emu), _app(emu, "theirs")
    _hand_bind(emu, E164[5], theirs)
    with pytest.raises(BindingsFailed, match="adopt_existing") as failure:
        _create(emu, app_id, TNS)
    assert "Undid the 11 binding(s)" in str(failure.value)
    assert _bound(emu) == {E164[5]: theirs}  # nothing of ours left, theirs untouched


def test_adopt_existing_takes_over_numbers_bound_elsewhere(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:3])
    app_id, theirs = _app(emu), _app(emu, "theirs")
    their_id = _hand_bind(emu, E164[0], theirs)
    outs = _create(emu, app_id, TNS[:3], adopt_existing=True)
    assert outs["number_ids"][E164[0]] == their_id
    assert _bound(emu) == dict.fromkeys(E164[:3], app_id)


def test_allow_partial_keeps_what_bound_and_reports_failed_numbers(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[1:])
    app_id, theirs = _app(emu), _app(emu, "theirs")
    _hand_bind(emu, E164[1], theirs)
    outs = _create(emu, app_id, TNS, allow_partial=True)
    failed = {f["number"]: f["code"] for f in outs["failed_numbers"]}
    assert failed == {E164[0]: "not-in-service", E164[1]: "duplicate-number"}
    assert sorted(outs["number_ids"]) == E164[2:]
    read = _provider(emu).read(app_id, outs)
    assert read.outs == outs  # failed numbers are not drift


def test_numbers_not_in_service_fail_create_before_any_binding(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[1:])
    with pytest.raises(BindingsFailed, match=r"not in service.*nothing was bound"):
        _create(emu, _app(emu), TNS)
    assert _requests(emu, "numbers.create") == 0


def test_failed_update_undoes_the_bindings_it_added_and_keeps_the_old_ones(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id, theirs = _app(emu), _app(emu, "theirs")
    outs = _create(emu, app_id, TNS[:4])
    _hand_bind(emu, E164[7], theirs)
    provider = _provider(emu)
    news = _checked(provider, {"application_id": app_id, "telephone_numbers": TNS[:8]})
    with pytest.raises(BindingsFailed, match="adopt_existing"):
        provider.update(app_id, outs, news)
    assert _bound(emu) == {**dict.fromkeys(E164[:4], app_id), E164[7]: theirs}


def test_lost_answers_to_imports_resume_the_bindings_they_made(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    script = Script(*(Step("POST", "/phoneNumbers", "lose-answer") for _ in range(3)))
    with lossy_proxy(emu.catapult_url, script) as url:
        provider = _provider(emu, **{"bandwidth:catapultUrl": url})
        created = provider.create(
            _checked(provider, {"application_id": app_id, "telephone_numbers": TNS})
        )
    assert script.pending == []
    live = {n.number: n.number_id for n in catapult(emu).list_numbers()}
    assert created.outs is not None and created.outs["number_ids"] == live
    assert len(live) == len(TNS)


def test_interrupted_create_is_resumed_by_the_next_create(emu: Emulator) -> None:
    # What an interrupted create left: some numbers bound to our application, nothing in state.
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    left = {e: _hand_bind(emu, e, app_id) for e in E164[:5]}
    outs = _create(emu, app_id, TNS)
    assert {n: outs["number_ids"][n] for n in left} == left
    assert _bound(emu) == dict.fromkeys(E164, app_id)


def test_get_reads_every_number_bound_to_the_application(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:3])
    app_id = _app(emu)
    ids = {e: _hand_bind(emu, e, app_id) for e in E164[:3]}
    read = _provider(emu).read(app_id, dict.fromkeys(("application_id", "number_ids")))
    assert read.id == app_id
    assert read.outs["number_ids"] == ids
    assert read.outs["telephone_numbers"] == E164[:3]


def _catapult_lists(emu: Emulator) -> int:
    return int(emu.control.stats()["requests"].get("GET catapult.numbers.list", 0))


def test_destroy_probes_the_user_only_when_some_number_was_already_gone(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:3])
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS[:3])
    reset()  # destroy runs in a new provider process
    before = _catapult_lists(emu)
    _provider(emu).delete(app_id, outs)
    assert _bound(emu) == {}
    # The application's list (which numbers are still ours to unbind) and _bound's own.
    assert _catapult_lists(emu) == before + 2

    outs = _create(emu, app_id, TNS[:3])
    catapult(emu).delete_number(outs["number_ids"][E164[0]])  # removed by hand: a 404 next
    reset()
    before = _catapult_lists(emu)
    _provider(emu).delete(app_id, outs)
    assert _bound(emu) == {}
    # Those two and the probe that the missing number's 404 means "gone".
    assert _catapult_lists(emu) == before + 3


def test_wrong_catapult_url_on_destroy_is_an_error_not_a_silent_success(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:2])
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS[:2])
    wrong = _provider(emu, **{"bandwidth:userId": "u-nobody"})
    with pytest.raises(BwPulumiError):
        wrong.delete(app_id, outs)
    assert len(_bound(emu)) == 2
