"""The per-number steps of :class:`PhoneNumberBindings`: bind, move, unbind, and undo.

Each step works on one number and is safe to run again: binds resume a binding an interrupted
or unanswered earlier attempt made (to our application, recently), adopt only when asked, and
report anything else as a conflict naming ``adopt_existing``. What a step changed is returned
(:class:`Bound`), so a failed create or update can undo exactly that and nothing else.

A bulk bind first lists the application's numbers (one request per 1000): those an interrupted
step already bound are taken by the same rule without a POST, so a resumed ``up`` spends
Catapult's import budget only on the numbers still missing.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._numbers import to_ten_digits
from .._progress import say as log
from .._wait import BULK_PROGRESS_MIN, format_duration
from ..clients.catapult import DEFAULT_PAGE_SIZE, CatapultClient, NumberInfo, rate_scale
from ..clients.catapult_dialect import NUMBER_IMPORTS
from ..core.phone_number import CLOCK_SKEW_SECONDS, _epoch_seconds, number_taken
from ..errors import BandwidthError, BwPulumiError, Conflict, NotFound
from ._bulk import Batch, run_many
from ._create_retry import LINES, RetryReport, create_or_resume

__all__ = [
    "RESUME_WINDOW_SECONDS",
    "Binder",
    "BindingsFailed",
    "Bound",
    "failure_record",
    "summarize",
]

#: A binding to our own application made this long before the step began is taken as the work of
#: an interrupted earlier step of this resource (a cancelled or crashed ``up``) and resumed.
#: Older ones, and any on another application, are a conflict naming ``adopt_existing``.
RESUME_WINDOW_SECONDS = 3600.0

#: ``failed_numbers`` code for a number the Dashboard does not have in service.
NOT_IN_SERVICE = "not-in-service"

_log = logging.getLogger(__name__)


class BindingsFailed(BwPulumiError):
    """Some numbers could not be bound; what this step had bound was undone."""


class _OutOfTime(BwPulumiError):
    """``wait_timeout`` ran out before this number's turn."""


@dataclass(frozen=True)
class Bound:
    """A number bound to our application by this step; ``prior_app`` is set when the binding
    already existed on another application (adopted or moved), ``None`` when this step made it."""

    number_id: str
    prior_app: str | None = None


def failure_record(number: str, exc: Exception) -> dict[str, Any]:
    """``failed_numbers`` entry: the number with Bandwidth's code and description."""
    if isinstance(exc, BandwidthError) and exc.details:
        detail = exc.details[0]
        return {"number": number, "code": detail.code or "", "description": detail.description}
    code = NOT_IN_SERVICE if isinstance(exc, _NotInService) else type(exc).__name__
    return {"number": number, "code": code, "description": str(exc).splitlines()[0]}


class _NotInService(BwPulumiError):
    pass


class _Tally(RetryReport):
    """What a bulk bind did besides plain POSTs, counted for its count line: a line per resend
    flooded the display (117 in a 2000-number step with faults). A batch too small for a count
    line keeps the per-number lines."""

    def __init__(self, lines: bool) -> None:
        self._lines = lines
        self._lock = threading.Lock()
        self._counts = {"listed": 0, "resent": 0, "resumed": 0}

    def _count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def listed(self) -> None:
        self._count("listed")

    def resent(self, line: str) -> None:
        self._count("resent")
        if self._lines:
            super().resent(line)

    def resumed(self, line: str) -> None:
        self._count("resumed")
        if self._lines:
            super().resumed(line)

    def note(self) -> str:
        """`` (810 already bound; 117 sent again after transient errors)``, or nothing."""
        with self._lock:
            listed, resent, resumed = (self._counts[k] for k in ("listed", "resent", "resumed"))
        parts = [f"{listed} already bound"] if listed else []
        parts += [f"{resent} sent again after transient errors"] if resent else []
        parts += [f"{resumed} found bound after a failed POST"] if resumed else []
        return f" ({'; '.join(parts)})" if parts else ""


class Binder:
    """Binding steps for one application, with the Dashboard credentials Catapult's import needs."""

    def __init__(
        self,
        catapult: CatapultClient,
        dashboard_credentials: tuple[str, str, str],
        inputs: Mapping[str, Any],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.catapult = catapult
        self._creds = dashboard_credentials
        self.app_id: str = inputs["application_id"]
        self.name_prefix: str | None = inputs.get("name_prefix")
        self.adopt: bool = bool(inputs.get("adopt_existing"))
        self.started = clock()
        timeout = inputs.get("wait_timeout")
        self._deadline = time.monotonic() + float(timeout) if timeout else None

    def name(self, number: str) -> str | None:
        return f"{self.name_prefix}{to_ten_digits(number)}" if self.name_prefix else None

    # -- bind --------------------------------------------------------------------------------

    def bind_many(
        self, numbers: Iterable[str], in_service: Mapping[str, bool], *, on_app: int = 0
    ) -> Batch[Bound]:
        """Bind every number (those not in service fail without a request).

        Numbers the application's list shows bound the way :meth:`_claim` would take them are
        taken without a POST (a resumed step); ``on_app``, the numbers state says the
        application already has, sizes that list. Resends are counted into the count line.
        """
        wanted = sorted(numbers)
        listed = self._listed([n for n in wanted if in_service.get(n, True)], on_app)
        self._announce(sum(1 for n in wanted if in_service.get(n, True) and n not in listed))
        tally = _Tally(lines=len(wanted) <= BULK_PROGRESS_MIN)

        def work(number: str) -> Bound:
            ok = in_service.get(number, True)
            info = listed.get(number) if ok else None
            taken = self._take_listed(info) if info is not None else None
            if taken is None:
                return self.bind(number, ok, report=tally)
            tally.listed()
            return taken

        template = f"bound {{done}}/{{total}} numbers to application {self.app_id}"
        return run_many(work, wanted, template, note=tally.note)

    def _announce(self, imports: int) -> None:
        """Say up front when Catapult's import budget makes this step take minutes, so a long
        quiet stretch between count lines reads as pacing, not as a hang."""
        budget = NUMBER_IMPORTS.scaled(rate_scale())
        if not self.catapult.pacing or imports <= budget.burst:
            return
        rest = format_duration((imports - budget.burst) / budget.per_second)
        log(
            f"binding {imports} numbers: Catapult imports up to {budget.burst} at once, then "
            f"{budget.per_second * 60:g} a minute, so this takes about {rest}"
        )

    def _listed(self, numbers: list[str], on_app: int) -> dict[str, NumberInfo]:
        """The wanted numbers the application's list shows, in at most one page per 1000
        numbers of this resource; any it does not reach take the POST path, which is exact."""
        wanted = set(numbers)
        pages = math.ceil((len(wanted) + on_app) / DEFAULT_PAGE_SIZE) if wanted else 0
        found: dict[str, NumberInfo] = {}
        after: str | None = None
        for _ in range(pages):
            try:
                page = self.catapult.number_page(self.app_id, after=after)
            except (BandwidthError, ValueError) as exc:  # e.g. 403: a role the list needs
                _log.info("listing numbers of %s failed (%s): POSTing each", self.app_id, exc)
                break
            found.update((n.number, n) for n in page.numbers if n.number in wanted)
            after = page.next_path
            if after is None or len(found) == len(wanted):
                break
        return found

    def _take_listed(self, info: NumberInfo) -> Bound | None:
        """What :meth:`_claim` would make of this listed binding, without the POST and GET;
        ``None`` leaves the number to the POST path (and any conflict to it, worded as ever)."""
        if info.application_id != self.app_id or info.number_state == "released":
            return None
        if self._ours(info):
            return Bound(info.number_id)
        if not self.adopt:
            return None
        name = self.name(info.number)
        if name is not None and info.name != name:
            self.move(info.number_id, info.number)  # _claim's move: the label of this resource
        return Bound(info.number_id, prior_app=self.app_id)

    def bind(self, number: str, in_service: bool = True, *, report: RetryReport = LINES) -> Bound:
        if not in_service:
            raise _NotInService(
                f"{number} is not in service on the Dashboard account, so Catapult cannot "
                f"import it; import it first (ImportTnOrder) and bind its imported_numbers"
            )
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise _OutOfTime(f"wait_timeout ran out before {number} was bound")
        account_id, username, password = self._creds

        def post() -> str:
            return self.catapult.import_number(
                number,
                self.app_id,
                name=self.name(number),
                account_id=account_id,
                username=username,
                password=password,
            )

        try:
            found = create_or_resume(post, lambda: self._resumable(number), number, report=report)
            return Bound(found)
        except Conflict as exc:
            return self._claim(number, exc)

    def _resumable(self, number: str) -> str | None:
        """The binding an interrupted or unanswered earlier attempt made, if any."""
        try:
            live = self.catapult.get_number(number)
        except NotFound:
            return None
        if self._ours(live):
            return live.number_id
        raise self.taken(number, None)

    def _ours(self, live: NumberInfo) -> bool:
        created = _epoch_seconds(live.created_time)
        window = RESUME_WINDOW_SECONDS + CLOCK_SKEW_SECONDS
        return (
            live.application_id == self.app_id
            and created is not None
            and created >= self.started - window
        )

    def _claim(self, number: str, exc: Conflict) -> Bound:
        """409: resume our own recent binding, adopt when asked, else a conflict."""
        try:
            live = self.catapult.get_number(number)
        except NotFound:
            raise exc from None
        if self._ours(live):
            return Bound(live.number_id)
        if not self.adopt:
            raise self.taken(number, exc)
        self.move(live.number_id, number)
        return Bound(live.number_id, prior_app=live.application_id or "")

    def taken(self, number: str, exc: Conflict | None) -> Conflict:
        return number_taken(number, self.catapult.user_id, exc)

    # -- move, unbind, undo ------------------------------------------------------------------

    def move(self, number_id: str, number: str) -> None:
        """Point the binding at our application (in place: no unbound gap), name included."""
        self.catapult.update_number(number_id, application_id=self.app_id, name=self.name(number))

    def move_or_bind(self, number: str, number_id: str, prior_app: str) -> Bound:
        try:
            self.move(number_id, number)
        except NotFound:
            return self.bind(number)  # unbound meanwhile: bind it anew
        return Bound(number_id, prior_app=prior_app)

    def unbind(self, number_id: str) -> bool:
        """Unbind one number: True if Catapult removed it, False if it was already gone (404)."""
        try:
            self.catapult.delete_number(number_id)
        except NotFound:
            return False  # already gone: the goal of an unbind
        return True

    def undo(self, bound: Mapping[str, Bound]) -> list[str]:
        """Unbind what this step bound, move back what it moved; numbers it could not undo."""

        def revert(number: str) -> None:
            step = bound[number]
            if step.prior_app is None:
                self.unbind(step.number_id)
            elif step.prior_app != self.app_id:
                self.catapult.update_number(step.number_id, application_id=step.prior_app)

        batch = run_many(revert, sorted(bound), "undid {done}/{total} bindings of this step")
        return sorted(batch.failed)


def summarize(failed: Mapping[str, Exception], total: int, undone: int, left: list[str]) -> str:
    """The error of a failed step: one line per number, then what was undone."""
    lines = [f"{len(failed)} of {total} numbers could not be bound:"]
    lines += [f"  {number}: {_one_line(exc)}" for number, exc in sorted(failed.items())]
    tail = f"Undid the {undone} binding(s) this step had made; state records none of them."
    if left:
        tail = f"Could not undo {', '.join(left)}: run pulumi up again to resume them."
    lines.append(tail + " Set allow_partial=True to keep the numbers that did bind.")
    return "\n".join(lines)


def _one_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
