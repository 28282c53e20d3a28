"""Creating POSTs that survive a fault: look up before every retry, resume only our own object.

The transport never retries a creating POST on a 5xx or a lost connection, because it cannot
tell whether Bandwidth processed it. The resource can: after such a failure it looks the object
up (``find``, which applies that resource's rules for telling its own object from a look-alike
it does not own), resumes it when found and otherwise sends the POST again, a bounded number of
times, each retry protected by the same look-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .._http import Transport
from .._progress import say as log
from ..errors import BandwidthError, Conflict, ServerError, TransportError

__all__ = ["CREATE_ATTEMPTS", "LINES", "RetryReport", "create_or_resume"]

#: Creating POSTs per create, the first included.
CREATE_ATTEMPTS = 3

_Ambiguous = (TransportError, ServerError)
T = TypeVar("T")


class RetryReport:
    """Where :func:`create_or_resume` tells of a resent or resumed create: one line each, which
    suits a single resource; bulk work overrides both to count instead of flooding the display."""

    def resent(self, line: str) -> None:
        """The POST failed, nothing was created, and it is being sent again."""
        log(line)

    def resumed(self, line: str) -> None:
        """The POST failed, but what it created was found and taken as the result."""
        log(line)


#: The default report: a line per event.
LINES = RetryReport()


def create_or_resume(
    post: Callable[[], T],
    find: Callable[[], T | None],
    what: str,
    *,
    attempts: int = CREATE_ATTEMPTS,
    label: Callable[[T], str] = str,
    report: RetryReport = LINES,
) -> T:
    """What ``post`` returns (an id, an order), or what ``find`` returns after a POST that
    failed ambiguously; ``label`` names it in the log.

    ``find`` returns the id of the object this call created, ``None`` when there is none (the
    POST is then sent again), or raises when what it finds may belong to someone else. Any other
    failure of ``post`` (a 4xx: refused, so not processed) propagates at once, except a
    ``Conflict`` after an ambiguous attempt, which may be our own earlier POST: looked up too.
    ``report`` hears of each resend and resume.
    """
    failures: list[BandwidthError] = []
    for attempt in range(1, attempts + 1):
        refused: Conflict | None = None
        try:
            return post()
        except _Ambiguous as exc:
            failures.append(exc)
        except Conflict as exc:
            if not failures:
                raise
            refused = exc
        found = find()  # outside the except: what it raises is not "during" the POST's error
        if found is not None:
            how = "an earlier POST" if refused else f"the POST ({_cause(failures[-1])})"
            report.resumed(f"{what}: {how} failed but landed; resumed {label(found)}")
            return found
        if refused is not None:
            raise refused
        if attempt < attempts:
            delay = Transport._backoff(attempt)
            report.resent(
                f"{what}: POST failed ({_cause(failures[-1])}) and Bandwidth has no record of "
                f"it; sending it again in {delay:.1f}s"
            )
            time.sleep(delay)
    raise _gave_up(failures)


def _cause(exc: BandwidthError) -> str:
    return f"HTTP {exc.status}" if isinstance(exc, ServerError) else "no answer"


def _gave_up(failures: list[BandwidthError]) -> BandwidthError:
    """One error for a POST that failed every time; the look-ups found nothing created."""
    last = failures[-1]
    causes = ", ".join(_cause(f) for f in failures)
    head = f"{len(failures)} attempts ({causes}), and nothing was created"
    if isinstance(last, TransportError):
        return TransportError(
            f"{head}. Check the base URL and network access, then run pulumi up again",
            method=last.method,
            path=last.path,
        )
    return ServerError(
        f"{head}. Bandwidth may be having trouble: run pulumi up again later",
        status=last.status,
        method=last.method,
        path=last.path,
        details=last.details,
    )
