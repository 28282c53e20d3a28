"""Phone-number normalization with the ``phonenumbers`` library (NANP only, as Bandwidth is).

The Dashboard API speaks 10-digit numbers, Catapult speaks E.164: users may write either, or a
punctuated form, and state must hold one canonical spelling so nothing diffs by format.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import phonenumbers

__all__ = ["InvalidNumber", "national_format", "spellings", "to_e164", "to_ten_digits"]

_TEN_DIGITS = "a NANP number has 10 digits after the +1: area code, exchange, line"


class InvalidNumber(ValueError):
    """The value is not a valid North American (NANP) telephone number."""


class _Library(NamedTuple):
    pn: Any  # the phonenumbers module
    parse_problems: dict[int, str]
    length_problems: dict[int, str]
    nanp_regions: frozenset[str]


@functools.lru_cache(maxsize=1)
def _library() -> _Library:
    """``phonenumbers`` and its tables in the user's terms, loaded at the first parse: the
    import costs ~35 ms of every provider process, and a no-op ``up`` parses nothing."""
    import phonenumbers as pn

    parse_problems = {
        pn.NumberParseException.NOT_A_NUMBER: "is not a telephone number",
        pn.NumberParseException.INVALID_COUNTRY_CODE: "has an unknown country code",
        pn.NumberParseException.TOO_SHORT_NSN: "has too few digits",
        pn.NumberParseException.TOO_SHORT_AFTER_IDD: "has too few digits",
        pn.NumberParseException.TOO_LONG: "has too many digits",
    }
    length_problems = {
        pn.ValidationResult.TOO_SHORT: f"has too few digits ({_TEN_DIGITS})",
        pn.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: f"has too few digits ({_TEN_DIGITS})",
        pn.ValidationResult.TOO_LONG: f"has too many digits ({_TEN_DIGITS})",
        pn.ValidationResult.INVALID_LENGTH: f"has the wrong number of digits ({_TEN_DIGITS})",
    }
    nanp = frozenset(pn.COUNTRY_CODE_TO_REGION_CODE.get(1, ()))
    return _Library(pn, parse_problems, length_problems, nanp)


def _parse(value: str) -> phonenumbers.PhoneNumber:
    if not value.strip():  # to_e164 has already refused what is not text
        raise InvalidNumber(f"{value!r} is not a telephone number")
    lib = _library()
    pn = lib.pn
    try:
        parsed: phonenumbers.PhoneNumber = pn.parse(value.strip(), "US")
    except pn.NumberParseException as exc:
        problem = lib.parse_problems.get(exc.error_type, "is not a telephone number")
        raise InvalidNumber(f"{value!r} {problem}") from None
    if parsed.country_code == 1:
        length = pn.is_possible_number_with_reason(parsed)
        if length in lib.length_problems:
            raise InvalidNumber(f"{value!r} {lib.length_problems[length]}")
    region = pn.region_code_for_number(parsed)
    if parsed.country_code != 1 or region not in lib.nanp_regions:
        raise InvalidNumber(f"{value!r} is not a NANP (+1) number")
    if not pn.is_valid_number(parsed):
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


def spellings(number: str) -> tuple[str, ...]:
    """A number as :func:`to_e164` or :func:`to_ten_digits` returned it, in both spellings the
    APIs use; each normalizes back to it without a parse being needed to know so."""
    if len(number) == 12 and number.startswith("+1") and number[2:].isdigit():
        return (number, number[2:])
    if len(number) == 10 and number.isdigit():
        return (number, "+1" + number)
    return (number,)


#: Parsing costs about 0.1 ms a number, and one provider process checks the same numbers for
#: several resources (the order's, then the bindings'): 1000 numbers are parsed once, not twice.
@functools.lru_cache(maxsize=65536)
def _e164(value: str) -> str:
    pn = _library().pn
    return str(pn.format_number(_parse(value), pn.PhoneNumberFormat.E164))


def national_format(e164: str) -> str:
    """``+19195550100`` -> ``(919) 555-0100``, the form Catapult reports as ``nationalNumber``."""
    pn = _library().pn
    return str(pn.format_number(pn.parse(e164), pn.PhoneNumberFormat.NATIONAL))
