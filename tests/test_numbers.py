"""What a user is told about a number that is not a usable NANP telephone number."""

from __future__ import annotations

import pytest

from bw_pulumi._numbers import InvalidNumber, to_e164

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
