"""What a user is told about a number that is not a usable NANP telephone number."""

from __future__ import annotations

import phonenumbers
import pytest
from pytest_mock import MockerFixture

from bw_pulumi._numbers import InvalidNumber, _e164, to_e164, to_ten_digits

PROBLEMS = {
    "919-555-01": "has too few digits",
    "555-0100": "has too few digits",
    "919555010012": "has too many digits",
    "hello": "is not a telephone number",
    "+999 1234": "has an unknown country code",
    "+44 20 7946 0958": "is not a NANP (+1) number",
    "": "is not a telephone number",
}


@pytest.mark.parametrize("value", list(PROBLEMS))
def test_a_bad_number_is_named_with_what_is_wrong_in_the_users_terms(value: str) -> None:
    with pytest.raises(InvalidNumber) as caught:
        to_e164(value)
    message = str(caught.value)
    assert message.startswith(f"{value!r} {PROBLEMS[value]}")
    # The library's own wording ("The string supplied did not seem to be a phone number") and
    # its error-type numbers never reach the user.
    assert "string supplied" not in message and "(1)" not in message


def test_a_wrong_length_says_how_many_digits_a_nanp_number_has() -> None:
    with pytest.raises(InvalidNumber, match="10 digits after the \\+1"):
        to_e164("919-555-01")


@pytest.mark.parametrize("value", ["9195550100", "+1 (919) 555-0100", "1-919-555-0100"])
def test_common_spellings_of_a_good_number_still_normalize(value: str) -> None:
    assert to_e164(value) == "+19195550100"


def test_a_number_normalized_again_in_one_process_is_parsed_once(mocker: MockerFixture) -> None:
    _e164.cache_clear()  # as in a fresh provider process
    parse = mocker.spy(phonenumbers, "parse")
    # An order's check and its bindings' check see the same numbers in one provider process.
    spellings = ["(984) 555-0144", "+1 984 555 0145"]
    first = [to_e164(v) for v in spellings]
    again = [to_e164(v) for v in spellings] + [to_ten_digits(v) for v in spellings]
    assert first == ["+19845550144", "+19845550145"] == again[:2]
    assert again[2:] == ["9845550144", "9845550145"]
    assert parse.call_count == 2


def test_a_value_that_is_not_text_is_not_a_number() -> None:
    for value in (None, 9195550100, ["+19195550100"]):
        with pytest.raises(InvalidNumber, match="is not a telephone number"):
            to_e164(value)  # type: ignore[arg-type]
