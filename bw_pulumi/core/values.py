"""Input helpers every core shares: unknowns, checks of common input shapes, the explicit diff."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from .._numbers import InvalidNumber, spellings
from .lifecycle import DiffOutcome, UnknownValue

__all__ = [
    "Failures",
    "as_text",
    "check_number_list",
    "diff_props",
    "is_unknown",
    "user_props",
]

#: The dynamic engine's own key among a resource's props (never an input of ours).
PROVIDER_KEY = "__provider"


def is_unknown(value: object) -> bool:
    """True for a value not known yet (preview), at the top level or anywhere inside."""
    if isinstance(value, UnknownValue):
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_unknown(v) for v in value)
    return False


def user_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the engine's ``__provider`` and without ``None`` values."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY and v is not None}


class FailureSink(Protocol):
    def add(self, prop: str, reason: str) -> None: ...


class Failures(list[tuple[str, str]]):
    """Collects check failures as (property, reason); each names the offending input."""

    def add(self, prop: str, reason: str) -> None:
        self.append((prop, reason))


def as_text(value: Any) -> str:
    """The text of an input that Bandwidth takes as a string (ids, zip codes, numbers).

    Whole numbers written in a program (``site_id=14``) reach the provider as floats, because
    protobuf's Struct has only doubles: ``str`` would send ``"14.0"``.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: How many bad entries a number-list failure names before it counts the rest.
SHOWN_PROBLEMS = 3


def check_number_list(
    failures: FailureSink,
    value: Any,
    normalize: Callable[[str], str],
    *,
    prop: str = "telephone_numbers",
    allow_empty: bool = False,
    checked: Any = None,
) -> Any:
    """A list of numbers in any spelling as sorted ``normalize``d numbers; invalid or duplicate
    entries are one failure naming ``prop``, the first few and a count. Unknowns (preview) pass
    through unchanged.

    One failure, and without the property: the engine prints the whole value of a property with
    every failure that names it, so 100 bad numbers of 100 printed 10,000 numbers.

    ``checked`` is this list as the last check returned it (the old inputs). A no-op ``up``
    sends the same numbers again, often in the other spelling (the flagship feeds the order's
    ten-digit ``imported_numbers`` to E.164 bindings): a number the last check accepted is
    taken in either spelling without parsing it again (0.1 ms each, 1000 a resource).
    """
    if is_unknown(value) and not isinstance(value, list):
        return value
    if not isinstance(value, list) or not (value or allow_empty):
        needed = "a list" if allow_empty else "a non-empty list"
        failures.add(prop, f"{prop} must be {needed} of numbers")
        return value
    if any(is_unknown(v) for v in value):
        return value
    known = _spellings_of(checked)
    seen: dict[str, Any] = {}
    problems: list[str] = []
    for raw in value:
        number = known.get(raw) if isinstance(raw, str) else None
        if number is None:
            try:
                number = normalize(raw if isinstance(raw, str) else as_text(raw))
            except InvalidNumber as exc:
                problems.append(str(exc))
                continue
        if number in seen:
            problems.append(f"{raw!r} duplicates {seen[number]!r} (both are {number})")
        seen.setdefault(number, raw)
    if problems:
        failures.add("", _list_problems(prop, problems, len(value)))
    return sorted(seen)


def _list_problems(prop: str, problems: list[str], total: int) -> str:
    """``telephone_numbers: 3 of 1000 entries are wrong: ...; ...; ... and 1 more``."""
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    rest = len(problems) - SHOWN_PROBLEMS
    more = f"; and {rest} more" if rest > 0 else ""
    count = "1 entry is" if len(problems) == 1 else f"{len(problems)} entries are"
    return f"{prop}: {count} wrong (of {total}): {shown}{more}"


def _spellings_of(checked: Any) -> dict[str, str]:
    """Each number a check accepted, under both spellings the APIs use (``+19195550100`` and
    ``9195550100``), mapped to the checked one. Both spellings of a valid NANP number normalize
    to it, so a match needs no parse; anything else is parsed as usual."""
    known: dict[str, str] = {}
    for number in checked if isinstance(checked, list) else ():
        if isinstance(number, str):
            known.update(dict.fromkeys(spellings(number), number))
    return known


Normalizer = Callable[[Any], Any]


def diff_props(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    update_keys: Iterable[str],
    replace_keys: Iterable[str] = (),
    accept_server_value: Iterable[str] = (),
    normalize: Mapping[str, Normalizer] | None = None,
    delete_before_replace: bool = False,
) -> DiffOutcome:
    """Explicit diff over the named inputs; ``__provider`` and outputs are never compared.

    ``accept_server_value`` keys are not diffed when the program leaves them unset (the server's
    default stands). An unknown replace trigger means "replace"; any other unknown, "changed".
    """
    normalize = normalize or {}
    replace_set = set(replace_keys)
    accept = set(accept_server_value)
    changes: list[str] = []
    for key in [*replace_set, *update_keys]:
        new = news.get(key)
        if is_unknown(new):
            changes.append(key)
            continue
        if new is None and key in accept:
            continue
        norm = normalize.get(key, _identity)
        if norm(olds.get(key)) != norm(new):
            changes.append(key)
    replaces = sorted(k for k in changes if k in replace_set)
    return DiffOutcome(
        changes=bool(changes),
        replaces=replaces,
        delete_before_replace=delete_before_replace and bool(replaces),
        changed=sorted(set(changes)),
    )


def _identity(value: Any) -> Any:
    return value
