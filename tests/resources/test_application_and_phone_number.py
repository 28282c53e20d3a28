"""Application and PhoneNumber providers against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from bw_pulumi import ApplicationProvider, PhoneNumberProvider
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import BandwidthError, ConfigError, Conflict, NotFound
from bw_pulumi.resources.phone_number import NumberNotInService

from .conftest import catapult, configured, dashboard

TN = "9195550111"
E164 = "+19195550111"


def _app_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "name": "hosted-sms",
        "incoming_message_url": "https://hooks.example.com/sms",
        "callback_http_method": "get",
        **extra,
    }


def _checked(provider: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"incoming_message_url": "mailto:x@example.com"}, "incoming_message_url"),
        ({"incoming_message_url_callback_timeout": 0}, "incoming_message_url_callback_timeout"),
        ({"incoming_message_url_callback_timeout": 10001}, "incoming_message_url_callback_timeout"),
        ({"callback_http_method": "PUT"}, "callback_http_method"),
        ({"incoming_message_url": None}, "incoming_message_url"),
        ({"incoming_message_url": "  "}, "incoming_message_url"),
        (
            {"incoming_call_url": "", "incoming_call_fallback_url": "https://f.example"},
            "incoming_call_fallback_url",
        ),
        ({"incoming_call_fallback_url": "https://x.example.com"}, "incoming_call_fallback_url"),
        ({"auto_answer": "yes"}, "auto_answer"),
    ],
)
def test_application_check_names_the_bad_field(change: dict[str, Any], field: str) -> None:
    failures = ApplicationProvider().check({}, _app_inputs(**change)).failures
    assert field in {f.property for f in failures}


def test_application_lifecycle_without_perpetual_diff(emu: Emulator) -> None:
    provider = configured(ApplicationProvider, emu)
    inputs = _checked(provider, _app_inputs())
    assert inputs["callback_http_method"] == "GET"
    created = provider.create(inputs)
    assert created.id.startswith("a-")
    read = provider.read(created.id, created.outs)
    # Catapult echoes "get" and adds defaults (autoAnswer): neither is a change.
    assert provider.diff(created.id, read.outs, inputs).changes is False

    news = _checked(provider, _app_inputs(name="hosted-sms-2"))
    assert provider.diff(created.id, read.outs, news).changes is True
    updated = provider.update(created.id, read.outs, news)
    assert updated.outs["name"] == "hosted-sms-2"
    assert catapult(emu).get_application(created.id).name == "hosted-sms-2"

    provider.delete(created.id, updated.outs)
    provider.delete(created.id, updated.outs)  # 404 is success
    assert provider.read(created.id, updated.outs).id is None


def test_repeated_refreshes_never_add_fields_the_program_left_unset(emu: Emulator) -> None:
    # Refresh feeds each read's outputs to the next one: a Catapult default (autoAnswer) that
    # crept into the outputs would come back as a new input, `[diff: +auto_answer]`.
    provider = configured(ApplicationProvider, emu)
    inputs = _checked(provider, _app_inputs())
    created = provider.create(inputs)
    first = provider.read(created.id, created.outs)
    second = provider.read(created.id, first.outs)
    assert set(second.inputs) == set(first.inputs) == set(inputs)
    assert "auto_answer" not in second.outs
    assert catapult(emu).get_application(created.id).auto_answer is not None


def test_application_edited_in_portal_is_drift_and_update_repairs_it(emu: Emulator) -> None:
    provider = configured(ApplicationProvider, emu)
    inputs = _checked(provider, _app_inputs())
    created = provider.create(inputs)
    catapult(emu).update_application(created.id, {"incomingMessageUrl": "https://evil.example"})
    read = provider.read(created.id, created.outs)
    assert read.inputs["incoming_message_url"] == "https://evil.example"
    diff = provider.diff(created.id, read.outs, inputs)
    assert diff.changes and not diff.replaces
    provider.update(created.id, read.outs, inputs)
    live = catapult(emu).get_application(created.id)
    assert live.incoming_message_url == "https://hooks.example.com/sms"


def test_application_adoption_converges_existing_application(emu: Emulator) -> None:
    app_id = catapult(emu).create_application(
        {"name": "by-hand", "incomingMessageUrl": "https://a.example"}
    )
    provider = configured(ApplicationProvider, emu)
    created = provider.create(_checked(provider, _app_inputs(adopt_application_id=app_id)))
    assert created.id == app_id
    assert catapult(emu).get_application(app_id).name == "hosted-sms"
    assert len(emu.control.state()["applications"]) == 1


def _number_inputs(app_id: str, **extra: Any) -> dict[str, Any]:
    return {"number": "(919) 555-0111", "application_id": app_id, **extra}


def _app(emu: Emulator) -> str:
    return catapult(emu).create_application(
        {"name": "app", "incomingMessageUrl": "https://a.example"}
    )


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"number": "555-1234", "application_id": "a-x"}, "number"),
        ({"number": "+44 20 7183 8750", "application_id": "a-x"}, "number"),
        ({"number": E164, "application_id": ""}, "application_id"),
        ({"number": E164, "application_id": "a-x", "adopt_existing": "yes"}, "adopt_existing"),
    ],
)
def test_phone_number_check_names_the_bad_field(inputs: dict[str, Any], field: str) -> None:
    failures = PhoneNumberProvider().check({}, inputs).failures
    assert field in {f.property for f in failures}


def test_phone_number_check_accepts_unknown_application_id() -> None:
    result = PhoneNumberProvider().check({}, {"number": TN, "application_id": Unknown()})
    assert result.failures == [] and result.inputs["number"] == E164


def test_phone_number_refuses_a_number_not_in_service(emu: Emulator) -> None:
    provider = configured(PhoneNumberProvider, emu)
    with pytest.raises(NumberNotInService, match="ImportTnOrder"):
        provider.create(_checked(provider, _number_inputs(_app(emu))))
    assert emu.control.state()["phone_numbers"] == []


def test_phone_number_lifecycle(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    app_a, app_b = _app(emu), _app(emu)
    provider = configured(PhoneNumberProvider, emu)
    inputs = _checked(provider, _number_inputs(app_a))
    created = provider.create(inputs)
    assert created.id.startswith("n-")
    assert created.outs["national_number"] == "(919) 555-0111"
    read = provider.read(created.id, created.outs)
    assert read.outs["in_service"] is True and read.outs["application_id"] == app_a
    assert provider.diff(created.id, read.outs, inputs).changes is False

    moved = _checked(provider, _number_inputs(app_b))
    diff = provider.diff(created.id, read.outs, moved)
    assert diff.changes and not diff.replaces
    provider.update(created.id, read.outs, moved)
    assert catapult(emu).get_number(E164).application_id == app_b

    other = _checked(provider, {"number": "9195550112", "application_id": app_b})
    replace = provider.diff(created.id, read.outs, other)
    assert replace.replaces == ["number"] and replace.delete_before_replace

    provider.delete(created.id, read.outs)
    provider.delete(created.id, read.outs)
    assert provider.read(created.id, read.outs).id is None


def test_duplicate_number_fails_naming_adopt_existing_and_adoption_works(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    app_id = _app(emu)
    provider = configured(PhoneNumberProvider, emu)
    inputs = _checked(provider, _number_inputs(app_id))
    first = provider.create(inputs)
    with pytest.raises(Conflict, match="adopt_existing"):
        provider.create(inputs)
    adopted = provider.create({**inputs, "adopt_existing": True})
    assert adopted.id == first.id
    assert len(emu.control.state()["phone_numbers"]) == 1


def test_adoption_fills_the_live_name_and_reports_real_in_service(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    app_id = _app(emu)
    by_hand = catapult(emu).import_number(
        E164,
        app_id,
        name="portal label",
        account_id=emu.account_id,
        username=emu.username,
        password=emu.password,
    )
    removal = dashboard(emu).create_remove_order([TN])
    assert dashboard(emu).get_remove_order(removal.order_id).status == "COMPLETE"
    provider = configured(PhoneNumberProvider, emu)
    adopted = provider.create(
        _checked(provider, {**_number_inputs(app_id), "adopt_existing": True})
    )
    assert adopted.id == by_hand
    assert adopted.outs["name"] == "portal label"
    assert adopted.outs["in_service"] is False


def test_a_number_moved_to_another_application_is_no_longer_this_stacks(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.control.numbers(in_service=[TN])
    app_a, app_b = _app(emu), _app(emu)
    provider = configured(PhoneNumberProvider, emu)
    inputs = _checked(provider, _number_inputs(app_a))
    created = provider.create(inputs)
    catapult(emu).update_number(created.id, application_id=app_b)

    provider.delete(created.id, created.outs)  # destroy without refresh: left alone
    assert catapult(emu).get_number(created.id).application_id == app_b
    read = provider.read(created.id, created.outs)  # refresh: gone from the stack, and why
    assert read.id is None
    assert f"moved to application {app_b}" in capsys.readouterr().err
    with pytest.raises(Conflict, match="adopt_existing"):  # the next up: never taken unasked
        provider.create(inputs)
    adopted = provider.create(_checked(provider, _number_inputs(app_a, adopt_existing=True)))
    assert (adopted.id, catapult(emu).get_number(created.id).application_id) == (created.id, app_a)


def test_errors_never_echo_the_dashboard_password(emu: Emulator) -> None:
    emu.control.numbers(in_service=[TN])
    provider = configured(PhoneNumberProvider, emu, **{"bandwidth:password": "wrong-pa55word"})
    checked = provider.check({}, _number_inputs(_app(emu)))
    [refused] = checked.failures  # the preview's proof of the Dashboard login
    with pytest.raises(BandwidthError) as err:
        provider.create(dict(checked.inputs))  # had the preview passed
    for text in (refused.reason, str(err.value)):
        assert "401" in text
        assert "wrong-pa55word" not in text
        assert emu.password not in text


def test_adoption_of_missing_application_names_the_input(emu: Emulator) -> None:
    provider = configured(ApplicationProvider, emu)
    with pytest.raises(NotFound, match="adopt_application_id"):
        provider.create(_checked(provider, _app_inputs(adopt_application_id="a-doesnotexist")))


@pytest.mark.parametrize(
    ("key", "suffix"),
    [("bandwidth:catapultUrl", "/wrong-prefix"), ("bandwidth:dashboardUrl", "/wrong-prefix")],
)
def test_a_wrong_base_url_is_an_error_not_every_object_gone(
    emu: Emulator, key: str, suffix: str
) -> None:
    emu.control.numbers(in_service=[TN])
    app_id = _app(emu)
    good = configured(PhoneNumberProvider, emu)
    created = good.create(_checked(good, _number_inputs(app_id)))
    url = emu.stack_config()[key]
    wrong = configured(PhoneNumberProvider, emu, **{key: url + suffix})
    if key == "bandwidth:catapultUrl":
        # Refresh must not drop the binding from state, nor destroy claim it is deleted.
        with pytest.raises(ConfigError, match="bandwidth:catapultUrl"):
            wrong.read(created.id, created.outs)
        with pytest.raises(ConfigError, match="bandwidth:catapultUrl"):
            wrong.delete(created.id, created.outs)
    else:
        checked = wrong.check({}, _number_inputs(app_id, number="9195550199"))
        assert ["bandwidth:dashboardUrl" in f.reason for f in checked.failures] == [True]
        with pytest.raises(ConfigError, match="bandwidth:dashboardUrl"):
            wrong.create(dict(checked.inputs))  # had the preview passed
    assert len(emu.control.state()["phone_numbers"]) == 1
