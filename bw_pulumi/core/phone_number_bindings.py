"""PhoneNumberBindings' lifecycle core: many Dashboard numbers bound to one Catapult
application, one resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._numbers import to_e164, to_ten_digits
from .._progress import say as log
from ..clients.catapult import NumberInfo
from ..errors import BwPulumiError, NotFound
from ..resources._bindings import Binder, BindingsFailed, Bound, failure_record, summarize
from ..resources._bulk import run_many
from ..resources._service_checks import check_in_service
from .base import READ_CACHE_SECONDS, CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import Failures, check_number_list, diff_props, is_unknown, user_props

__all__ = ["INPUTS", "OUTPUTS", "PhoneNumberBindingsCore"]

INPUTS = (
    "application_id",
    "telephone_numbers",
    "name_prefix",
    "allow_partial",
    "adopt_existing",
    "wait_timeout",
)
OUTPUTS = ("number_ids", "in_service", "failed_numbers")
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


class PhoneNumberBindingsCore(CoreBase):
    """Catapult number imports for many numbers at once."""

    apis = ("catapult", "dashboard")

    def check_inputs(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
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
        return CheckOutcome(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
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

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
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
        return (inputs["application_id"], outs)

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

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
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
        return outs

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        state = user_props(props)
        app_id = str(state.get("application_id") or id_)
        catapult = self.catapult()
        listed = {n.number: n for n in catapult.list_numbers(app_id)}  # pages of 1000
        old_ids = _owned_ids(state)
        tracked = (
            list(state["telephone_numbers"]) if "telephone_numbers" in state else sorted(listed)
        )
        elsewhere, gone = self._look_up([n for n in old_ids if n not in listed])
        if old_ids and len(gone) == len(old_ids) and not listed:
            return ReadOutcome(None, {})  # every binding is gone: the next up binds them anew
        bound = {n: Bound(listed[n].number_id) for n in tracked if n in listed}
        in_service = self._read_in_service(list(bound))
        _report_drift(app_id, gone, elsewhere, in_service)
        inputs = {k: state[k] for k in INPUTS if k in state}
        inputs["application_id"] = app_id
        # A number moved to another application is that application's now, as adoption sees
        # it: it leaves the state, so destroy never unbinds it and the next up binds it only
        # with adopt_existing (else a conflict naming it).
        drifted = set(gone) | set(elsewhere)
        inputs["telephone_numbers"] = [n for n in tracked if n not in drifted]
        failed = {f["number"]: f for f in state.get("failed_numbers") or ()}
        outs = _outputs(inputs, bound, in_service, {})
        outs["failed_numbers"] = [failed[n] for n in sorted(failed) if n in tracked]
        return ReadOutcome(id_, outs, inputs)

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
        looked, _gone = self._look_up([n for n in ids if n not in listed])
        # On no application: unbound by hand but still on the user, no one else's.
        here = {
            n: info.number_id for n, info in looked.items() if info.application_id in (app_id, None)
        }
        elsewhere = {n: info for n, info in looked.items() if n not in here}
        if elsewhere:
            log(
                f"left {len(elsewhere)} number(s) bound: on another application now, not this "
                f"stack's ({_where(elsewhere)})"
            )
        return {**listed, **here}

    def _look_up(self, numbers: list[str]) -> tuple[dict[str, NumberInfo], list[str]]:
        """Each number's own GET (those an application's list did not show): what Catapult
        has, and the numbers it no longer has at all (after proving a 404 means gone)."""
        looked = run_many(self.catapult().get_number, numbers, "looked up {done}/{total} numbers")
        gone = [n for n, exc in looked.failed.items() if isinstance(exc, NotFound)]
        if len(gone) < len(looked.failed):
            raise next(e for e in looked.failed.values() if not isinstance(e, NotFound))
        if gone:
            self.confirm_gone("catapult")
        return dict(looked.done), gone


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
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs["number_ids"] = {n: bound[n].number_id for n in sorted(bound)}
    outs["in_service"] = {n: bool(in_service.get(n, True)) for n in sorted(bound)}
    outs["failed_numbers"] = [failure_record(n, failed[n]) for n in sorted(failed)]
    return outs
