"""PhoneNumber: a Dashboard number bound to a Catapult application (Catapult ``/phoneNumbers``)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from .._numbers import InvalidNumber, national_format, to_e164, to_ten_digits
from .._runtime import RUNTIME
from .._sdk_compat import install_serialize_provider_guard
from ..clients.catapult import NumberInfo
from ..errors import BwPulumiError, Conflict, NotFound
from ._create_retry import create_or_resume
from ._provider import (
    READ_CACHE_SECONDS,
    BaseProvider,
    Failures,
    as_text,
    diff_props,
    get_resource,
    is_unknown,
    log,
    user_props,
)

__all__ = ["NumberNotInService", "PhoneNumber", "PhoneNumberArgs", "PhoneNumberProvider"]

_INPUTS = ("number", "application_id", "name", "adopt_existing")


class NumberNotInService(BwPulumiError):
    """The number is not in service on the Dashboard account, so Catapult cannot import it."""


class PhoneNumberProvider(BaseProvider):
    """Catapult number import (provider ``bandwidth-dashboard``). See :class:`PhoneNumber`."""

    apis = ("catapult", "dashboard")

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
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
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # A number can be bound once per Catapult user: a new number must be unbound first.
        return diff_props(
            olds,
            news,
            replace_keys=("number",),
            update_keys=("application_id", "name"),
            accept_server_value=("name",),
            delete_before_replace=True,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
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
        return CreateResult(number_id, _outputs(inputs, number_id, True))

    def _adopt(self, inputs: dict[str, Any]) -> CreateResult | None:
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
        return CreateResult(live.number_id, _outputs(inputs, live.number_id, in_service))

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = user_props(props)
        live = self._listed(id_, state.get("application_id"))
        if live is None:  # not on its application's list: ask the number itself
            try:
                live = self.catapult().get_number(id_)
            except NotFound:
                self.confirm_gone("catapult")
                return ReadResult(None, {})
        if _moved_away(state, live):
            # Another application's number now, as adoption sees it: the state forgets it, so
            # destroy never unbinds it and the next up takes it only with adopt_existing.
            log(
                f"{live.number} moved to application {live.application_id or '(none)'} outside "
                f"Pulumi, so it is no longer this stack's PhoneNumber: destroy leaves it; the "
                f"next up binds it again only with adopt_existing=True"
            )
            return ReadResult(None, {})
        in_service = RUNTIME.in_service.lookup(
            self.dashboard(), to_ten_digits(live.number), max_age=READ_CACHE_SECONDS
        )
        inputs = {k: state[k] for k in _INPUTS if k in state}
        inputs["number"] = live.number
        inputs["application_id"] = live.application_id or ""
        if live.name is not None and ("name" in state or "number_id" not in state):
            inputs["name"] = live.name  # tracked, or a `get` that knows nothing yet
        return ReadResult(id_, _outputs(inputs, id_, in_service), inputs)

    def _listed(self, id_: str, app_id: object) -> NumberInfo | None:
        """The number from its application's shared list (one paged list per application and
        process instead of one GET per number); ``None`` when state names no application yet
        (``get``) or the list does not hold it, which only the number's own GET can explain."""
        if not isinstance(app_id, str) or not app_id:
            return None
        return RUNTIME.catapult_numbers.find(self.catapult(), app_id, id_)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
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
        return UpdateResult(_outputs(inputs, id_, bool(olds.get("in_service", True))))

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


PhoneNumberProvider.__module__ = "bw_pulumi"


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
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs.update(
        number_id=number_id,
        national_number=national_format(inputs["number"]),
        in_service=in_service,
    )
    return outs


@dataclass
class PhoneNumberArgs:
    """Inputs of :class:`PhoneNumber`. ``number`` replaces; the others update in place.

    Attributes:
        number: Required. The number in any common form (stored as E.164); it must be in
            service on the Dashboard account. Replaces (the old binding is deleted first).
        application_id: Required. The Catapult application that receives its messages.
            Updates (the number moves in place).
        name: A label shown in Catapult; default none (Catapult's label stands). Updates.
        adopt_existing: Take over the number if it is already on the Catapult user; destroy
            then releases it. Default false; read only at create.
    """

    number: pulumi.Input[str]
    """The number, in any common form (stored as E.164)."""
    application_id: pulumi.Input[str]
    """The Catapult application that receives this number's messages."""
    name: pulumi.Input[str] | None = None
    """A label shown in Catapult."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over the number if it is already on the Catapult user; destroy then releases it."""


class PhoneNumber(Resource, module="bandwidth", name="PhoneNumber"):
    """Binds one hosted number to a Catapult application (a ``bandwidth-dashboard`` import).

    Create requires the number in service on the Dashboard account (import it with
    :class:`ImportTnOrder` first) and paces itself to Catapult's documented import budget.
    Changing ``number`` replaces the binding (delete first); ``application_id`` and ``name``
    update in place. Refresh reports a binding deleted outside Pulumi (re-created by the next
    ``up``), a number moved to another application (no longer this stack's: forgotten, left
    bound there by destroy, taken back only with ``adopt_existing``), and ``in_service`` from
    the Dashboard. The PhoneNumbers of one application read their binding from one shared, paged
    Catapult list per refresh (pages of 1000), not one request each.

    Outputs:
        number_id: Catapult's id of the number (``n-...``, also the resource id).
        number: The number in E.164 form (``+1`` and ten digits).
        national_number: The number in national format, ``(919) 555-0100``.
        application_id: The Catapult application that receives its messages.
        name: The label shown in Catapult, if set.
        in_service: Whether the Dashboard had the number in service when last checked.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_existing=True`` to take over a number already on the Catapult user; ``pulumi
    destroy`` then releases it.
    """

    number_id: pulumi.Output[str]
    """Catapult's id of the number (``n-...``, also the resource id)."""
    number: pulumi.Output[str]
    """The number in E.164 form (``+1`` and ten digits)."""
    national_number: pulumi.Output[str]
    """The number in national format, ``(919) 555-0100``."""
    application_id: pulumi.Output[str]
    """The Catapult application that receives this number's messages."""
    name: pulumi.Output[str | None]
    """The label shown in Catapult, if set."""
    in_service: pulumi.Output[bool]
    """Whether the Dashboard had the number in service when last created or refreshed."""

    def __init__(
        self, resource_name: str, args: PhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """One hosted number bound to a Catapult application.

        ``help(PhoneNumber)`` lists its outputs, ``help(PhoneNumberArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`PhoneNumberArgs`).
            opts: Pulumi resource options (``depends_on`` on the ImportTnOrder, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
        props.update(number_id=None, national_number=None, in_service=None)
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(PhoneNumberProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> PhoneNumber:
        """Look up an existing PhoneNumber by id, read-only: every field comes from Bandwidth, the
        state marks it external and ``destroy`` leaves it alone."""
        return get_resource(
            PhoneNumber,
            PhoneNumberProvider(),
            resource_name,
            id,
            (*_INPUTS, "number_id", "national_number", "in_service"),
            opts,
        )


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
