"""Unbind on Catapult before removing from the Dashboard account: the order of a number change.

A number dropped from the flagship's list leaves two resources: its ``ImportTnOrder`` places a
removal order and its ``PhoneNumberBindings`` unbinds it. The bindings depend on the order (a
number is bound only once imported), so the engine updates the order first, and the number
would be gone from the account while Catapult still had it bound; what Catapult does with such
a binding is not documented (bandwidth-api.md 11 and 5 say nothing of it). ``destroy`` runs in
reverse dependency order and so unbinds first; an update cannot, so the order's own update
unbinds the numbers it is about to remove. The binding's resource then finds them gone (404),
which it takes as done.

Catapult is optional for an ``ImportTnOrder`` (a Dashboard-only stack has no Catapult keys):
without its configuration there is nothing of ours bound there, and this step is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from .._numbers import to_e164
from .._progress import say as log
from .._runtime import RUNTIME
from ..clients.catapult import CatapultClient
from ..errors import ConfigError, NotFound
from ._bulk import run_many

__all__ = ["unbind_before_removal"]


def unbind_before_removal(catapult: Callable[[], CatapultClient], numbers: list[str]) -> None:
    """Unbind each of ``numbers`` (10-digit) that Catapult has bound; raise on any failure, so
    that no removal order is placed while a binding may remain."""
    if not numbers:
        return
    try:
        client = catapult()
    except ConfigError:
        return  # no Catapult configuration: a Dashboard-only stack binds nothing there

    def unbind(number: str) -> bool:
        try:
            live = client.get_number(to_e164(number))
        except NotFound:
            return False  # not on the Catapult user
        try:
            client.delete_number(live.number_id)
        except NotFound:
            return False  # unbound meanwhile
        finally:  # a later read in this process must not find it listed
            RUNTIME.catapult_numbers.forget(client, live.number_id)
        return True

    batch = run_many(unbind, numbers, "unbound {done}/{total} numbers before removing them")
    if batch.failed:
        raise next(iter(batch.failed.values()))
    unbound = sorted(n for n, done in batch.done.items() if done)
    if unbound:
        log(
            f"unbound {len(unbound)} number(s) on Catapult before removing them from the "
            f"account: {', '.join(unbound)}"
        )
