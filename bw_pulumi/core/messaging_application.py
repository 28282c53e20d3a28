"""MessagingApplication's lifecycle core, on plain values.

MessagingApplication: a Messaging-V2 application on the Dashboard API
(``/accounts/{accountId}/applications``, bandwidth-api-v2.md 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.dashboard_apps import DashboardAppsClient
from ..clients.dashboard_apps_models import MESSAGING_V2, MessagingApp, MessagingAppSpec
from ..errors import AdoptionMismatch, BandwidthError, Conflict, NotFound
from ..resources._create_retry import create_or_resume
from ..resources._messaging_app_fields import CREDENTIALS, FIELDS, live_inputs, spec_of
from ..resources._messaging_app_fields import check_inputs as check_fields
from .base import CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome
from .values import diff_props, user_props

__all__ = ["INPUTS", "SECRET", "MessagingApplicationCore"]

INPUTS = (*FIELDS, "adopt_application_id")
SECRET = list(CREDENTIALS)
#: Bandwidth refuses to delete an application a Location uses (bandwidth-api-v2.md 2).
_IN_USE_CODES = frozenset({"12107", "12145"})


def _sorted(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


class MessagingApplicationCore(CoreBase):
    """Messaging-V2 application CRUD."""

    apis = ("dashboard",)

    def check_inputs(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        inputs, failures = check_fields(news)
        return CheckOutcome(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        # Passwords compare against the last ones sent (state), never a read: Bandwidth does not
        # echo them. Callback types left unset accept Bandwidth's default.
        return diff_props(
            olds,
            news,
            update_keys=FIELDS,
            accept_server_value=["requested_callback_types"],
            normalize={"requested_callback_types": _sorted},
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        spec = spec_of(inputs)
        client = self.dashboard_apps()
        adopt = inputs.get("adopt_application_id")
        if adopt:
            self._adopt(client, adopt, spec)
            return adopt, _outputs(inputs, adopt)

        # Bandwidth may well accept two applications of one name (bandwidth-api-v2.md 6, not
        # confirmed), so a name alone does not identify ours. The look-alikes (every echoed
        # field equal) are listed before the first POST; after a POST whose answer was lost,
        # ours is the one look-alike that was not there before, and a name taken by someone
        # else's application is never mistaken for ours.
        before = _look_alikes(client, spec)

        def find() -> str | None:
            new = _look_alikes(client, spec) - before
            if len(new) > 1:
                raise Conflict(
                    f"several applications like {spec.app_name!r} appeared while this one was "
                    f"being created ({', '.join(sorted(new))}); set adopt_application_id to take "
                    f"one over (destroy will then delete it)"
                )
            return new.pop() if new else None

        app_id = create_or_resume(
            lambda: client.create_application(spec).application_id,
            find,
            f"messaging application {spec.app_name!r}",
        )
        return app_id, _outputs(inputs, app_id)

    def _adopt(self, client: DashboardAppsClient, adopt: str, spec: MessagingAppSpec) -> None:
        try:
            live = client.get_application(adopt)
        except NotFound:
            raise NotFound(
                f"adopt_application_id {adopt} does not exist on account "
                f"{self.settings.account_id}; remove the input to create a new application"
            ) from None
        if live.service_type != MESSAGING_V2:
            # 12964: the service type can never change, so no update could converge it.
            raise AdoptionMismatch(
                f"cannot adopt application {adopt}: its ServiceType is {live.service_type!r}, "
                f"not {MESSAGING_V2!r}, and Bandwidth never changes it"
            )
        client.replace_application(adopt, spec)  # converge: every field, passwords included

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        try:
            live = self.dashboard_apps().get_application(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadOutcome(None, {})
        state = user_props(props)
        found = live_inputs(live, state)
        if "application_id" not in state:  # `get`: every field from the live application
            inputs = found
        else:
            # Fields the program set take the live value (drift shows, a removal too); unset
            # ones stay unset, so a Bandwidth default never reads as drift.
            inputs = {k: found.get(k) for k in FIELDS if k in state or k in found}
            inputs = {k: v for k, v in inputs.items() if v is not None}
            if "requested_callback_types" not in state:
                inputs.pop("requested_callback_types", None)
        if "adopt_application_id" in state:
            inputs["adopt_application_id"] = state["adopt_application_id"]
        outs = _outputs(inputs, id_)
        # A `get` has no old inputs for the engine to copy secretness from: name them secret.
        return ReadOutcome(id_, outs, inputs, secrets=frozenset(SECRET) & inputs.keys())

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        # PUT replaces every field (bandwidth-api-v2.md 2), so passwords are resent from the
        # inputs and a field removed from the program is cleared on Bandwidth too.
        self.dashboard_apps().replace_application(id_, spec_of(inputs))
        return _outputs(inputs, id_)

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        client = self.dashboard_apps()
        try:
            client.delete_application(id_)
        except NotFound:
            self.confirm_gone("dashboard")
        except BandwidthError as exc:
            if not _IN_USE_CODES & set(exc.codes):
                raise
            raise _in_use(client, id_, exc) from None


def _look_alikes(client: DashboardAppsClient, spec: MessagingAppSpec) -> set[str]:
    return {a.application_id for a in client.list_applications() if _matches(a, spec)}


def _matches(app: MessagingApp, spec: MessagingAppSpec) -> bool:
    def user(creds: Any) -> str | None:
        return creds.user_id if creds is not None else None

    wanted_types = spec.requested_callback_types
    return (
        app.service_type == MESSAGING_V2
        and app.app_name == spec.app_name
        and app.inbound_callback_url == spec.inbound_callback_url
        and app.outbound_callback_url == spec.outbound_callback_url
        and app.inbound_callback_user == user(spec.inbound_credentials)
        and app.outbound_callback_user == user(spec.outbound_credentials)
        and (wanted_types is None or sorted(app.requested_callback_types) == sorted(wanted_types))
    )


def _in_use(client: DashboardAppsClient, app_id: str, exc: BandwidthError) -> BandwidthError:
    """The refusal in one line, naming the Locations that still use the application."""
    try:
        users = [str(peer) for peer in client.associated_sip_peers(app_id)]
    except BandwidthError:
        users = []  # the refusal itself is what matters; the names are a courtesy
    named = f" by Location {', '.join(users)}" if users else " by a Location"
    return type(exc)(
        f"messaging application {app_id} is still used{named}; unassign it there first "
        "(destroy or change the LocationMessaging that assigns it)",
        status=exc.status,
        method=exc.method,
        path=exc.path,
        details=exc.details,
        api=exc.api,
    )


def _outputs(inputs: Mapping[str, Any], app_id: str) -> dict[str, Any]:
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs["application_id"] = app_id
    return outs
