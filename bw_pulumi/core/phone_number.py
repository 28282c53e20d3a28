"""PhoneNumber's lifecycle core: a Dashboard number bound to a Catapult application (Catapult
``/phoneNumbers``)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Any

from .._numbers import InvalidNumber, national_format, to_e164, to_ten_digits
from .._progress import say as log
from .._runtime import RUNTIME
from ..clients.catapult import NumberInfo
from ..errors import BwPulumiError, Conflict, NotFound
from ..resources._create_retry import create_or_resume
from .base import READ_CACHE_SECONDS, CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import Failures, as_text, diff_props, is_unknown, user_props

__all__ = [
    "CLOCK_SKEW_SECONDS",
    "INPUTS",
    "NumberNotInService",
    "PhoneNumberCore",
    "number_taken",
]

INPUTS = ("number", "application_id", "name", "adopt_existing")


class NumberNotInService(BwPulumiError):
    """The number is not in service on the Dashboard account, so Catapult cannot import it."""


class PhoneNumberCore(CoreBase):
    """Catapult number import (provider ``bandwidth-dashboard``)."""

    apis = ("catapult", "dashboard")

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        inputs = dict(news)
        failures = Failures()
        number = news.get("number")
        if not is_unknown(number):
            try:
                inputs["number"] = to_e164(as_text(number) if number is not None else "")
            except InvalidNumber as exc:
                failures.add("number", str(exc))
        app = news.get("application_id")
        if not is_unknown(app) and (not isinstance(app, str) or not app.strip()):
            failures.add("application_id", "application_id is required (a Catapult application id)")
        name = news.get("name")
        if name is not None and not is_unknown(name) and not isinstance(name, str):
            failures.add("name", f"name must be a string; got {name!r}")
        adopt = news.get("adopt_existing")
        if adopt is not None and not is_unknown(adopt) and not isinstance(adopt, bool):
            failures.add("adopt_existing", f"adopt_existing must be true or false; got {adopt!r}")
        return CheckOutcome(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        # A number can be bound once per Catapult user: a new number must be unbound first.
        return diff_props(
            olds,
            news,
            replace_keys=("number",),
            update_keys=("application_id", "name"),
            accept_server_value=("name",),
            delete_before_replace=True,
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        number, app_id, name = inputs["number"], inputs["application_id"], inputs.get("name")
        if inputs.get("adopt_existing"):
            adopted = self._adopt(inputs)
            if adopted is not None:
                return adopted
        account_id, username, password = self.settings.dashboard_credentials()
        if not RUNTIME.in_service.lookup(self.dashboard(), to_ten_digits(number)):
            self.confirm_gone("dashboard")  # a wrong URL would 404 every number too
            raise NumberNotInService(
                f"{number} is not in service on Dashboard account {account_id}, so Catapult "
                f"cannot import it. Import it first (ImportTnOrder) and make this PhoneNumber "
                f"depend on that order (pass the order's imported_numbers or depends_on)."
            )
        catapult = self.catapult()

        def post() -> str:
            try:
                return catapult.import_number(
                    number,
                    app_id,
                    name=name,
                    account_id=account_id,
                    username=username,
                    password=password,
                )
            except Conflict as exc:
                raise self._taken(number, exc) from None

        started = time.time()
        number_id = create_or_resume(
            post, lambda: self._ours_since(number, app_id, name, started), f"import of {number}"
        )
        return (number_id, _outputs(inputs, number_id, True))

    def _adopt(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """Take over the number if it is on the Catapult user; ``None`` when it is not."""
        number, app_id, name = inputs["number"], inputs["application_id"], inputs.get("name")
        try:
            live = self.catapult().get_number(number)
        except NotFound:
            return None
        self._converge(live, app_id, name)
        if name is None and live.name is not None:
            inputs["name"] = live.name  # adoption fills what the program leaves open
        in_service = RUNTIME.in_service.lookup(self.dashboard(), to_ten_digits(number), fresh=True)
        if not in_service:
            log(f"adopted {number}, which is not in service on the Dashboard account")
        return (live.number_id, _outputs(inputs, live.number_id, in_service))

    def _ours_since(self, number: str, app_id: str, name: str | None, started: float) -> str | None:
        """The binding an interrupted import made, or ``None`` if the number is not on the user.

        A binding found now is ours only if it points at our application and was created during
        this call: anything else may belong to another stack, whose destroy would fight ours.
        """
        try:
            live = self.catapult().get_number(number)
        except NotFound:
            return None
        if live.application_id != app_id or not _created_since(live, started):
            raise self._taken(number, None)
        self._converge(live, app_id, name)
        return live.number_id

    def _taken(self, number: str, exc: Conflict | None) -> Conflict:
        return number_taken(number, self.settings.user_id, exc)

    def _converge(self, live: NumberInfo, app_id: str, name: str | None) -> None:
        changes: dict[str, Any] = {}
        if live.application_id != app_id:
            changes["application_id"] = app_id
        if name is not None and live.name != name:
            changes["name"] = name
        if changes:
            self.catapult().update_number(live.number_id, **changes)

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        state = user_props(props)
        live = self._listed(id_, state.get("application_id"))
        if live is None:  # not on its application's list: ask the number itself
            try:
                live = self.catapult().get_number(id_)
            except NotFound:
                self.confirm_gone("catapult")
                return ReadOutcome(None, {})
        if _moved_away(state, live):
            # Another application's number now, as adoption sees it: the state forgets it, so
            # destroy never unbinds it and the next up takes it only with adopt_existing.
            log(
                f"{live.number} moved to application {live.application_id or '(none)'} outside "
                f"Pulumi, so it is no longer this stack's PhoneNumber: destroy leaves it; the "
                f"next up binds it again only with adopt_existing=True"
            )
            return ReadOutcome(None, {})
        in_service = RUNTIME.in_service.lookup(
            self.dashboard(), to_ten_digits(live.number), max_age=READ_CACHE_SECONDS
        )
        inputs = {k: state[k] for k in INPUTS if k in state}
        inputs["number"] = live.number
        inputs["application_id"] = live.application_id or ""
        if live.name is not None and ("name" in state or "number_id" not in state):
            inputs["name"] = live.name  # tracked, or a `get` that knows nothing yet
        return ReadOutcome(id_, _outputs(inputs, id_, in_service), inputs)

    def _listed(self, id_: str, app_id: object) -> NumberInfo | None:
        """The number from its application's shared list (one paged list per application and
        process instead of one GET per number); ``None`` when state names no application yet
        (``get``) or the list does not hold it, which only the number's own GET can explain."""
        if not isinstance(app_id, str) or not app_id:
            return None
        return RUNTIME.catapult_numbers.find(self.catapult(), app_id, id_)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        changes: dict[str, Any] = {}
        if olds.get("application_id") != inputs["application_id"]:
            changes["application_id"] = inputs["application_id"]
        if inputs.get("name") is not None and olds.get("name") != inputs["name"]:
            changes["name"] = inputs["name"]
        if changes:
            try:
                self.catapult().update_number(id_, **changes)
            finally:  # even a failed POST may have changed it
                RUNTIME.catapult_numbers.forget(self.catapult(), id_)
        if "name" not in inputs and olds.get("name") is not None:
            inputs["name"] = olds["name"]
        return _outputs(inputs, id_, bool(olds.get("in_service", True)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state = user_props(props)
        try:
            live = self._listed(id_, state.get("application_id"))
            if live is None:  # not on its application's list: moved, unbound or listed late
                live = self.catapult().get_number(id_)
            if _moved_away(state, live):  # a destroy without refresh, after a move
                log(f"left {live.number} bound: on application {live.application_id} now")
                return
            self.catapult().delete_number(id_)
        except NotFound:
            self.confirm_gone("catapult")
        finally:  # a later read in this process must not find it listed
            RUNTIME.catapult_numbers.forget(self.catapult(), id_)


#: Clock skew allowed between this machine and Catapult when dating a binding.
CLOCK_SKEW_SECONDS = 300.0


def _moved_away(state: dict[str, Any], live: NumberInfo) -> bool:
    """Whether the binding is on another application than the one state bound it to. A
    ``get`` knows no application yet, and a number on no application is no one else's."""
    app_id = state.get("application_id")
    return bool(app_id and live.application_id) and live.application_id != app_id


def _created_since(live: NumberInfo, started: float) -> bool:
    """Whether Catapult dates the binding at or after ``started`` (epoch seconds), give or take
    :data:`CLOCK_SKEW_SECONDS`; an undated binding is never assumed to be ours."""
    created = _epoch_seconds(live.created_time)
    return created is not None and created >= started - CLOCK_SKEW_SECONDS


_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$")


def _epoch_seconds(text: str | None) -> float | None:
    """ISO-8601 as Catapult writes ``createdTime`` (with or without millis, bandwidth-api.md 11):
    any fraction length and ``Z``/``+hh:mm``/``+hhmm`` offsets, which Python 3.10's
    ``fromisoformat`` rejects. No offset means UTC."""
    match = _ISO.match((text or "").strip())
    if match is None:
        return None
    day, clock, fraction, offset = match.groups()
    moment = datetime.strptime(f"{day}T{clock}", "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    seconds = moment.timestamp() + (float(f"0.{fraction}") if fraction else 0.0)
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds


def _outputs(inputs: dict[str, Any], number_id: str, in_service: bool) -> dict[str, Any]:
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs.update(
        number_id=number_id,
        national_number=national_format(inputs["number"]),
        in_service=in_service,
    )
    return outs


def number_taken(number: str, user_id: str | None, exc: Conflict | None) -> Conflict:
    """The conflict for a number already on the Catapult user that is not ours to resume: it
    names the adoption input (shared by PhoneNumber and PhoneNumberBindings)."""
    return Conflict(
        f"{number} is already on Catapult user {user_id}. Set "
        f"adopt_existing=True to take it over (destroy will then release it), "
        f"or remove it from the other stack first",
        status=exc.status if exc else 409,
        method=exc.method if exc else None,
        path=exc.path if exc else None,
        details=exc.details if exc else (),
    )
