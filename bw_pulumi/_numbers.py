"""Phone-number normalization with the ``phonenumbers`` library (NANP only, as Bandwidth is).

The Dashboard API speaks 10-digit numbers, Catapult speaks E.164: users may write either, or a
punctuated form, and state must hold one canonical spelling so nothing diffs by format.
"""

from __future__ import annotations

import functools

import phonenumbers

__all__ = ["InvalidNumber", "to_e164", "to_ten_digits"]

_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(1, ()))


class InvalidNumber(ValueError):
    """The value is not a valid North American (NANP) telephone number."""


#: What is wrong with a number the library could not parse, in the user's terms.
_PARSE_PROBLEMS = {
    phonenumbers.NumberParseException.NOT_A_NUMBER: "is not a telephone number",
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "has an unknown country code",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "has too few digits",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "has too few digits",
    phonenumbers.NumberParseException.TOO_LONG: "has too many digits",
}
_TEN_DIGITS = "a NANP number has 10 digits after the +1: area code, exchange, line"
_LENGTH_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: f"has too few digits ({_TEN_DIGITS})",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: f"has too few digits ({_TEN_DIGITS})",
    phonenumbers.ValidationResult.TOO_LONG: f"has too many digits ({_TEN_DIGITS})",
    phonenumbers.ValidationResult.INVALID_LENGTH: f"has the wrong number of digits ({_TEN_DIGITS})",
}


def _parse(value: str) -> phonenumbers.PhoneNumber:
    if not value.strip():  # to_e164 has already refused what is not text
        raise InvalidNumber(f"{value!r} is not a telephone number")
    try:
        parsed = phonenumbers.parse(value.strip(), "US")
    except phonenumbers.NumberParseException as exc:
        problem = _PARSE_PROBLEMS.get(exc.error_type, "is not a telephone number")
        raise InvalidNumber(f"{value!r} {problem}") from None
    if parsed.country_code == 1:
        length = phonenumbers.is_possible_number_with_reason(parsed)
        if length in _LENGTH_PROBLEMS:
            raise InvalidNumber(f"{value!r} {_LENGTH_PROBLEMS[length]}")
    region = phonenumbers.region_code_for_number(parsed)
    if parsed.country_code != 1 or region not in _NANP_REGIONS:
        raise InvalidNumber(f"{value!r} is not a NANP (+1) number")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(f"{value!r} is not a valid NANP telephone number")
    return parsed


def to_ten_digits(value: str) -> str:
    """``+1 (919) 555-0100`` -> ``9195550100``, or :class:`InvalidNumber`."""
    return to_e164(value)[2:]


def to_e164(value: str) -> str:
    """``919-555-0100`` -> ``+19195550100``, or :class:`InvalidNumber`."""
    if not isinstance(value, str):
        raise InvalidNumber(f"{value!r} is not a telephone number")
    return _e164(value)


#: Parsing costs about 0.1 ms a number, and one provider process checks the same numbers for
#: several resources (the order's, then the bindings'): 1000 numbers are parsed once, not twice.
@functools.lru_cache(maxsize=65536)
def _e164(value: str) -> str:
    return phonenumbers.format_number(_parse(value), phonenumbers.PhoneNumberFormat.E164)
