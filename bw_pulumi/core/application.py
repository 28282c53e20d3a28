"""Application's lifecycle core, on plain values.

Application: a Catapult (v1) messaging application (``/v1/users/{userId}/applications``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.catapult import ApplicationInfo
from ..errors import Conflict, NotFound
from ..resources._create_retry import create_or_resume
from .base import CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .subscription import check_url
from .values import Failures, diff_props, is_unknown, user_props

__all__ = ["INPUTS", "MAX_CALLBACK_TIMEOUT_MS", "ApplicationCore"]

# snake_case input -> Catapult JSON field (bandwidth-api.md 10)
_FIELDS = {
    "name": "name",
    "incoming_message_url": "incomingMessageUrl",
    "incoming_message_url_callback_timeout": "incomingMessageUrlCallbackTimeout",
    "incoming_message_fallback_url": "incomingMessageFallbackUrl",
    "callback_http_method": "callbackHttpMethod",
    "incoming_call_url": "incomingCallUrl",
    "incoming_call_fallback_url": "incomingCallFallbackUrl",
    "auto_answer": "autoAnswer",
}
INPUTS = (*_FIELDS, "adopt_application_id")
_URLS = (
    "incoming_message_url",
    "incoming_message_fallback_url",
    "incoming_call_url",
    "incoming_call_fallback_url",
)
#: Catapult caps callback timeouts at 10,000 ms (bandwidth-api.md 10).
MAX_CALLBACK_TIMEOUT_MS = 10_000


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class ApplicationCore(CoreBase):
    """Catapult application CRUD."""

    apis = ("catapult",)

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        inputs = dict(news)
        failures = Failures()
        name = news.get("name")
        if not is_unknown(name) and (not isinstance(name, str) or not name.strip()):
            failures.add("name", "name is required and must be a non-empty string")
        for prop in _URLS:
            if not is_unknown(news.get(prop)):
                inputs[prop] = check_url(failures, prop, news.get(prop), required=False)
        for primary, fallback in (
            ("incoming_message_url", "incoming_message_fallback_url"),
            ("incoming_call_url", "incoming_call_fallback_url"),
        ):
            # Canonical values: a blank URL counts as absent, not as set.
            if inputs.get(fallback) is not None and inputs.get(primary) is None:
                failures.add(fallback, f"{fallback} needs {primary}")
        if inputs.get("incoming_message_url") is None:
            failures.add(
                "incoming_message_url",
                "incoming_message_url is required: it is where Catapult delivers the inbound SMS "
                "of the numbers bound to this application",
            )
        timeout = news.get("incoming_message_url_callback_timeout")
        if timeout is not None and not is_unknown(timeout):
            ok = isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
            if not ok or int(timeout) != timeout or not 0 < timeout <= MAX_CALLBACK_TIMEOUT_MS:
                failures.add(
                    "incoming_message_url_callback_timeout",
                    f"must be whole milliseconds in 1..{MAX_CALLBACK_TIMEOUT_MS}; got {timeout!r}",
                )
            else:
                inputs["incoming_message_url_callback_timeout"] = int(timeout)
        method = news.get("callback_http_method")
        if method is not None and not is_unknown(method):
            if _upper(method) not in ("GET", "POST"):
                failures.add("callback_http_method", f"must be GET or POST; got {method!r}")
            else:
                inputs["callback_http_method"] = _upper(method)
        auto = news.get("auto_answer")
        if auto is not None and not is_unknown(auto) and not isinstance(auto, bool):
            failures.add("auto_answer", f"auto_answer must be true or false; got {auto!r}")
        return CheckOutcome({k: v for k, v in inputs.items() if v is not None}, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        # Catapult echoes callbackHttpMethod in lower case (bandwidth-api.md 10); unset optional
        # fields accept the server's default instead of diffing forever.
        return diff_props(
            olds,
            news,
            update_keys=_FIELDS,
            accept_server_value=[k for k in _FIELDS if k != "name"],
            normalize={"callback_http_method": _upper},
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        adopt = inputs.get("adopt_application_id")
        if adopt:
            return self._adopt(adopt, inputs)
        client = self.catapult()
        body = {_FIELDS[k]: v for k, v in inputs.items() if k in _FIELDS}

        def look_alikes() -> set[str]:
            return {
                a.application_id
                for a in client.list_applications()
                if not _changed_fields(_live_inputs(a), inputs)
            }

        # `/applications` allows one request a second per account, shared by every stack, so
        # the list is read only after a POST whose answer was lost: listing before every POST
        # would halve how many stacks can create at once. Each look-up is the baseline for the
        # next POST. The first has none, so it keeps only the look-alikes no number uses (a
        # POST a moment ago made ours, and nothing is bound to it yet): one in use is another
        # stack's or a person's, and is never taken over.
        seen: set[str] | None = None

        def find() -> str | None:
            nonlocal seen
            first, before = seen is None, seen or set()
            seen = look_alikes()
            new = seen - before
            if first:
                new = {a for a in new if not client.number_page(a, page_size=1).numbers}
            if len(new) > 1:
                raise Conflict(
                    f"several applications like {inputs['name']!r} could be the one this "
                    f"create's POST made ({', '.join(sorted(new))}); set adopt_application_id "
                    "to this stack's (destroy will then delete it)"
                )
            return new.pop() if new else None

        app_id = create_or_resume(
            lambda: client.create_application(body), find, f"application {inputs['name']!r}"
        )
        return app_id, _outputs(inputs, app_id)

    def _adopt(self, adopt: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        client = self.catapult()
        try:
            live = client.get_application(adopt)
        except NotFound:
            raise NotFound(
                f"adopt_application_id {adopt} does not exist for Catapult user "
                f"{self.settings.user_id}; remove the input to create a new application"
            ) from None
        changed = _changed_fields(_live_inputs(live), inputs)
        if changed:
            client.update_application(adopt, changed)
        return adopt, _outputs(inputs, adopt)

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        try:
            live = self.catapult().get_application(id_)
        except NotFound:
            self.confirm_gone("catapult")
            return ReadOutcome(None, {})
        state = user_props(props)
        live_inputs = _live_inputs(live)
        # Inputs the program set take the live value (drift shows); unset ones stay unset, so a
        # Catapult default never shows as drift. Outputs are those inputs (design.md), except
        # for ``get`` (no state yet), which fills every field from the live application.
        inputs = {k: live_inputs.get(k) for k in _FIELDS if k in state or k == "name"}
        if "adopt_application_id" in state:
            inputs["adopt_application_id"] = state["adopt_application_id"]
        inputs = {k: v for k, v in inputs.items() if v is not None}
        shown = {**live_inputs, **inputs} if "application_id" not in state else inputs
        return ReadOutcome(id_, _outputs(shown, id_), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        changed = _changed_fields(user_props(olds), inputs)
        if changed:
            self.catapult().update_application(id_, changed)  # partial update: changes only
        merged = {**{k: olds[k] for k in _FIELDS if olds.get(k) is not None}, **inputs}
        return _outputs(merged, id_)

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            self.catapult().delete_application(id_)
        except NotFound:
            self.confirm_gone("catapult")


def _live_inputs(live: ApplicationInfo) -> dict[str, Any]:
    return {k: getattr(live, k) for k in _FIELDS if getattr(live, k) is not None}


def _changed_fields(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """Catapult fields whose wanted (set) value differs from the current one."""
    return {
        _FIELDS[k]: v
        for k, v in wanted.items()
        if k in _FIELDS and v is not None and _upper(current.get(k)) != _upper(v)
    }


def _outputs(inputs: Mapping[str, Any], app_id: str) -> dict[str, Any]:
    outs = {k: v for k, v in inputs.items() if k in INPUTS and v is not None}
    outs["application_id"] = app_id
    return outs
