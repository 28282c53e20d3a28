"""PhoneNumberBindings: many Dashboard numbers bound to one Catapult application, one resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from .._numbers import to_e164, to_ten_digits
from ..clients.catapult import NumberInfo
from ..errors import BwPulumiError, NotFound
from ._bindings import Binder, BindingsFailed, Bound, failure_record, summarize
from ._bulk import run_many
from ._provider import (
    READ_CACHE_SECONDS,
    BaseProvider,
    Failures,
    check_number_list,
    diff_props,
    get_resource,
    is_unknown,
    log,
    user_props,
)
from ._service_checks import check_in_service

__all__ = ["PhoneNumberBindings", "PhoneNumberBindingsArgs", "PhoneNumberBindingsProvider"]

_INPUTS = (
    "application_id",
    "telephone_numbers",
    "name_prefix",
    "allow_partial",
    "adopt_existing",
    "wait_timeout",
)
_OUTPUTS = ("number_ids", "in_service", "failed_numbers")
#: What the in-service count lines name (they come only for bulk per-number GETs).
_WHAT = "phone number bindings"


def _check_options(failures: Failures, news: Mapping[str, Any]) -> None:
    app = news.get("application_id")
    if not is_unknown(app) and (not isinstance(app, str) or not app.strip()):
        failures.add("application_id", "application_id is required (a Catapult application id)")
    prefix = news.get("name_prefix")
    if prefix is not None and not is_unknown(prefix) and not isinstance(prefix, str):
        failures.add("name_prefix", f"name_prefix must be a string; got {prefix!r}")
    for key in ("allow_partial", "adopt_existing"):
        flag = news.get(key)
        if flag is not None and not is_unknown(flag) and not isinstance(flag, bool):
            failures.add(key, f"{key} must be true or false; got {flag!r}")
    timeout = news.get("wait_timeout")
    if _bad_seconds(timeout):
        failures.add("wait_timeout", f"wait_timeout must be positive seconds; got {timeout!r}")


def _bad_seconds(value: Any) -> bool:
    if value is None or is_unknown(value):
        return False
    return isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0


class PhoneNumberBindingsProvider(BaseProvider):
    """Catapult number imports for many numbers at once. See :class:`PhoneNumberBindings`."""

    apis = ("catapult", "dashboard")

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures = Failures()
        inputs["telephone_numbers"] = check_number_list(
            failures,
            news.get("telephone_numbers"),
            to_e164,
            allow_empty=True,
            checked=(olds or {}).get("telephone_numbers"),
        )
        _check_options(failures, news)
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Nothing replaces: numbers are added and dropped, the application moves them in place.
        return diff_props(
            olds,
            news,
            update_keys=("application_id", "telephone_numbers", "name_prefix", "allow_partial"),
            accept_server_value=("name_prefix",),
            normalize={"telephone_numbers": lambda v: sorted(v or ())},
        )

    def _binder(self, inputs: Mapping[str, Any]) -> Binder:
        return Binder(self.catapult(), self.settings.dashboard_credentials(), inputs)

    def _in_service(self, numbers: list[str]) -> dict[str, bool]:
        """In-service answers keyed by E.164; a wrong Dashboard URL is an error, not 'no'."""
        if not numbers:
            return {}
        answers = check_in_service(self.dashboard(), [to_ten_digits(n) for n in numbers], _WHAT)
        keyed = {n: answers[to_ten_digits(n)] for n in numbers}
        if not all(keyed.values()):
            self.confirm_gone("dashboard")  # a wrong URL would 404 every number too
        return keyed

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        binder = self._binder(inputs)
        numbers = list(inputs["telephone_numbers"])
        in_service = self._in_service(numbers)
        if not inputs.get("allow_partial") and not all(in_service.values()):
            missing = sorted(n for n, ok in in_service.items() if not ok)
            raise BindingsFailed(
                f"{len(missing)} of {len(numbers)} numbers are not in service on the Dashboard "
                f"account, so Catapult cannot import them: {', '.join(missing)}. Import them "
                f"first (ImportTnOrder) and bind its imported_numbers; nothing was bound"
            )
        batch = binder.bind_many(numbers, in_service)
        self._settle(binder, inputs, batch.done, batch.failed, len(numbers))
        outs = _outputs(inputs, batch.done, in_service, batch.failed)
        return CreateResult(inputs["application_id"], outs)

    def _settle(
        self,
        binder: Binder,
        inputs: Mapping[str, Any],
        bound: Mapping[str, Bound],
        failed: Mapping[str, Exception],
        total: int,
    ) -> None:
        """A step with failures: undo it (raise) unless ``allow_partial``; bugs always raise."""
        bugs = [exc for exc in failed.values() if not isinstance(exc, BwPulumiError)]
        if not failed or (inputs.get("allow_partial") and not bugs):
            if failed:
                log(f"{len(failed)} of {total} numbers not bound (allow_partial): failed_numbers")
            return
        left = binder.undo(bound)
        if bugs:
            raise bugs[0]
        raise BindingsFailed(summarize(failed, total, len(bound) - len(left), left))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        binder = self._binder(inputs)
        old_ids = _owned_ids(olds)
        wanted = list(inputs["telephone_numbers"])
        dropped = {n: i for n, i in old_ids.items() if n not in wanted}
        old_app = str(olds.get("application_id") or id_)
        dropping = list(self._still_bound(old_app, dropped).values())
        unbound = run_many(binder.unbind, dropping, "unbound {done}/{total} dropped numbers")
        if unbound.failed:
            raise next(iter(unbound.failed.values()))
        moving = self._to_move(olds, inputs, old_ids)
        adding = [n for n in wanted if n not in old_ids]
        in_service = self._in_service(adding)
        added = binder.bind_many(adding, in_service, on_app=len(wanted) - len(adding))
        moved = run_many(
            lambda n: binder.move_or_bind(n, old_ids[n], old_app),
            moving,
            f"moved {{done}}/{{total}} numbers to application {binder.app_id}",
        )
        done = {**added.done, **moved.done}
        failed = {**added.failed, **moved.failed}
        self._settle(binder, inputs, done, failed, len(adding) + len(moving))
        kept = {n: Bound(old_ids[n]) for n in wanted if n in old_ids and n not in moving}
        known = {n: bool(v) for n, v in (olds.get("in_service") or {}).items() if n in wanted}
        outs = _outputs(inputs, {**kept, **done}, {**known, **in_service}, failed)
        return UpdateResult(outs)

    @staticmethod
    def _to_move(
        olds: Mapping[str, Any], inputs: Mapping[str, Any], old_ids: dict[str, str]
    ) -> list[str]:
        """Kept numbers that need a POST: all of them on a new application or name prefix."""
        kept = [n for n in inputs["telephone_numbers"] if n in old_ids]
        if olds.get("application_id") != inputs["application_id"] or (
            inputs.get("name_prefix") is not None
            and olds.get("name_prefix") != inputs.get("name_prefix")
        ):
            return kept
        return []

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = user_props(props)
        app_id = str(state.get("application_id") or id_)
        catapult = self.catapult()
        listed = {n.number: n for n in catapult.list_numbers(app_id)}  # pages of 1000
        old_ids = _owned_ids(state)
        tracked = (
            list(state["telephone_numbers"]) if "telephone_numbers" in state else sorted(listed)
        )
        missing = [n for n in old_ids if n not in listed]
        elsewhere = run_many(catapult.get_number, missing, "looked up {done}/{total} numbers")
        gone = [n for n, exc in elsewhere.failed.items() if isinstance(exc, NotFound)]
        if len(gone) < len(elsewhere.failed):
            raise next(e for e in elsewhere.failed.values() if not isinstance(e, NotFound))
        if gone:
            self.confirm_gone("catapult")
        if old_ids and len(gone) == len(old_ids) and not listed:
            return ReadResult(None, {})  # every binding is gone: the next up binds them anew
        bound = {n: Bound(listed[n].number_id) for n in tracked if n in listed}
        in_service = self._read_in_service(list(bound))
        _report_drift(app_id, gone, elsewhere.done, in_service)
        inputs = {k: state[k] for k in _INPUTS if k in state}
        inputs["application_id"] = app_id
        # A number moved to another application is that application's now, as adoption sees
        # it: it leaves the state, so destroy never unbinds it and the next up binds it only
        # with adopt_existing (else a conflict naming it).
        drifted = set(gone) | set(elsewhere.done)
        inputs["telephone_numbers"] = [n for n in tracked if n not in drifted]
        failed = {f["number"]: f for f in state.get("failed_numbers") or ()}
        outs = _outputs(inputs, bound, in_service, {})
        outs["failed_numbers"] = [failed[n] for n in sorted(failed) if n in tracked]
        return ReadResult(id_, outs, inputs)

    def _read_in_service(self, numbers: list[str]) -> dict[str, bool]:
        tns = [to_ten_digits(n) for n in numbers]
        answers = check_in_service(self.dashboard(), tns, _WHAT, max_age=READ_CACHE_SECONDS)
        return {n: answers[to_ten_digits(n)] for n in numbers}

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        app_id = str(props.get("application_id") or id_)
        ours = self._still_bound(app_id, _owned_ids(props))
        binder = self._binder({"application_id": app_id})
        batch = run_many(binder.unbind, list(ours.values()), "unbound {done}/{total} numbers")
        if batch.failed:
            raise next(iter(batch.failed.values()))
        if not all(batch.done.values()):
            self.confirm_gone("catapult")  # a 404 from a wrong URL must not pass for "gone"

    def _still_bound(self, app_id: str, ids: Mapping[str, str]) -> dict[str, str]:
        """The numbers of ``ids`` Catapult still has on ``app_id`` (number -> id to unbind).

        State may be older than an out-of-band move (a destroy without refresh): a number now
        on another application is not this stack's to unbind. The application's list (one
        request per 1000) answers for most; a number it does not show gets its own GET.
        """
        if not ids:
            return {}
        catapult = self.catapult()
        listed = {n.number: n.number_id for n in catapult.list_numbers(app_id) if n.number in ids}
        rest = [n for n in ids if n not in listed]
        looked = run_many(catapult.get_number, rest, "looked up {done}/{total} numbers")
        gone = [n for n, exc in looked.failed.items() if isinstance(exc, NotFound)]
        if len(gone) < len(looked.failed):
            raise next(e for e in looked.failed.values() if not isinstance(e, NotFound))
        if gone:
            self.confirm_gone("catapult")
        # On no application: unbound by hand but still on the user, no one else's.
        here = {
            n: info.number_id
            for n, info in looked.done.items()
            if info.application_id in (app_id, None)
        }
        elsewhere = {n: info for n, info in looked.done.items() if n not in here}
        if elsewhere:
            log(
                f"left {len(elsewhere)} number(s) bound: on another application now, not this "
                f"stack's ({_where(elsewhere)})"
            )
        return {**listed, **here}


PhoneNumberBindingsProvider.__module__ = "bw_pulumi"


def _owned_ids(props: Mapping[str, Any]) -> dict[str, str]:
    """``number_ids`` of the numbers state still tracks. Before refresh dropped moved numbers,
    it kept their ids beside a ``telephone_numbers`` without them: those are not ours."""
    ids: dict[str, str] = dict(props.get("number_ids") or {})
    if "telephone_numbers" not in props:
        return ids
    tracked = set(props.get("telephone_numbers") or ())
    return {n: i for n, i in ids.items() if n in tracked}


def _where(moved: Mapping[str, NumberInfo], shown: int = 3) -> str:
    """The first few numbers and where they are, then a count: one line at 1000 numbers too."""
    listed = sorted(moved.items())
    parts = [f"{n} on application {info.application_id or '(none)'}" for n, info in listed[:shown]]
    rest = len(listed) - shown
    return "; ".join(parts) + (f"; and {rest} more" if rest > 0 else "")


def _report_drift(
    app_id: str, gone: list[str], moved: Mapping[str, NumberInfo], in_service: Mapping[str, bool]
) -> None:
    out = sorted(n for n, ok in in_service.items() if not ok)
    parts = [f"{len(gone)} unbound ({', '.join(sorted(gone))})"] if gone else []
    if moved:
        parts.append(
            f"{len(moved)} moved to another application, so no longer this stack's: destroy "
            f"leaves them, up binds them only with adopt_existing ({_where(moved)})"
        )
    parts += [f"{len(out)} out of service ({', '.join(out)})"] if out else []
    if parts:
        log(f"bindings of application {app_id} drifted: {'; '.join(parts)}")


def _outputs(
    inputs: Mapping[str, Any],
    bound: Mapping[str, Bound],
    in_service: Mapping[str, bool],
    failed: Mapping[str, Exception],
) -> dict[str, Any]:
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs["number_ids"] = {n: bound[n].number_id for n in sorted(bound)}
    outs["in_service"] = {n: bool(in_service.get(n, True)) for n in sorted(bound)}
    outs["failed_numbers"] = [failure_record(n, failed[n]) for n in sorted(failed)]
    return outs


@dataclass
class PhoneNumberBindingsArgs:
    """Inputs of :class:`PhoneNumberBindings`; every change updates in place.

    Attributes:
        application_id: Required. The Catapult application every number is bound to.
            Updates: a new one moves every number to it in place.
        telephone_numbers: Required. Numbers in service on the Dashboard account, any common
            form (stored sorted as E.164). Updates: added ones bound, dropped ones unbound.
        name_prefix: Catapult label of each binding: the prefix and the 10-digit number;
            default none (no label sent). Updates (relabels every number).
        allow_partial: Succeed when some numbers fail, listing them in ``failed_numbers``;
            default false (undo the step and fail). Updates.
        adopt_existing: Take over numbers already on the Catapult user; destroy then
            releases them. Default false; read at the next step that binds.
        wait_timeout: Seconds a create or update may spend binding (paced to Catapult's
            import budget); default no limit. Read at the next step, never a diff.
    """

    application_id: pulumi.Input[str]
    """The Catapult application every number is bound to; a new one moves them in place."""
    telephone_numbers: pulumi.Input[list[str]]
    """Numbers in service on the Dashboard account, in any common form (stored as E.164)."""
    name_prefix: pulumi.Input[str] | None = None
    """Catapult label of each binding: the prefix and the 10-digit number."""
    allow_partial: pulumi.Input[bool] | None = None
    """Succeed when some numbers fail, listing them in ``failed_numbers``; else undo and fail."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over numbers already on the Catapult user; destroy then releases them."""
    wait_timeout: pulumi.Input[float] | None = None
    """Seconds a create or update may spend binding (paced to Catapult's import budget)."""


class PhoneNumberBindings(Resource, module="bandwidth", name="PhoneNumberBindings"):
    """Binds many hosted numbers to one Catapult application in one engine step.

    Numbers are bound many at once within Catapult's import budget (burst 800, then 100 per
    minute), each confirmed in service on the Dashboard first. Updates bind only added numbers,
    unbind only dropped ones, and move every number in place to a new ``application_id``. A
    failed or interrupted step leaves nothing unrecorded: it undoes what it bound (unless
    ``allow_partial``), and the next ``up`` resumes an interrupted one. Refresh reports numbers
    unbound, moved to another application (no longer this stack's: forgotten, and left bound
    there by destroy) or out of service; the next ``up`` repairs the bindings that are ours.

    The id is the application id at creation: ``PhoneNumberBindings.get(name, application_id)``
    reads every number bound to that application (read-only; destroy leaves them alone).

    Outputs:
        application_id: The Catapult application every number is bound to (the id at create).
        telephone_numbers: The numbers to bind, sorted, in E.164 form.
        name_prefix: The prefix of each binding's Catapult label, if set.
        allow_partial: Whether a step succeeds with some numbers failed, if set.
        number_ids: Catapult's id of each bound number (``n-...``), keyed by E.164 number.
        in_service: Whether the Dashboard had each bound number in service, keyed likewise.
        failed_numbers: ``{number, code, description}`` per number the last step could not
            bind (with ``allow_partial``).
    """

    application_id: pulumi.Output[str]
    """The Catapult application every number is bound to (the resource id at creation)."""
    telephone_numbers: pulumi.Output[list[str]]
    """The numbers to bind, sorted, in E.164 form (``+1`` and ten digits)."""
    name_prefix: pulumi.Output[str | None]
    """The prefix of each binding's Catapult label (the prefix and the 10-digit number), if set."""
    allow_partial: pulumi.Output[bool | None]
    """Whether a step succeeds with some numbers failed (listed in ``failed_numbers``)."""
    number_ids: pulumi.Output[dict[str, str]]
    """Catapult's id of each bound number (``n-...``), keyed by the E.164 number."""
    in_service: pulumi.Output[dict[str, bool]]
    """Whether the Dashboard had each bound number in service when last bound or refreshed."""
    failed_numbers: pulumi.Output[list[dict[str, str]]]
    """Numbers the last step could not bind (``allow_partial``): ``number``, ``code``,
    ``description``."""

    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberBindingsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Many hosted numbers bound to one Catapult application, in one engine step.

        ``help(PhoneNumberBindings)`` lists its outputs,
        ``help(PhoneNumberBindingsArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`PhoneNumberBindingsArgs`).
            opts: Pulumi resource options (``depends_on`` on the ImportTnOrder, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
        props.update(dict.fromkeys(_OUTPUTS))
        super().__init__(PhoneNumberBindingsProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> PhoneNumberBindings:
        """Every number bound to application ``id``, read-only (the state marks it external)."""
        return get_resource(
            PhoneNumberBindings,
            PhoneNumberBindingsProvider(),
            resource_name,
            id,
            (*_INPUTS, *_OUTPUTS),
            opts,
        )
