"""MessagingApplication: a Messaging-V2 application on the Dashboard API
(``/accounts/{accountId}/applications``, bandwidth-api-v2.md 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pulumi.runtime.rpc import wrap_rpc_secret

from .._sdk_compat import install_serialize_provider_guard
from ..clients.dashboard_apps import DashboardAppsClient
from ..clients.dashboard_apps_models import MESSAGING_V2, MessagingApp, MessagingAppSpec
from ..errors import AdoptionMismatch, BandwidthError, Conflict, NotFound
from ._create_retry import create_or_resume
from ._messaging_app_fields import CREDENTIALS, FIELDS, check_inputs, live_inputs, spec_of
from ._provider import BaseProvider, diff_props, get_resource, user_props

__all__ = [
    "CallbackCredentials",
    "MessagingApplication",
    "MessagingApplicationArgs",
    "MessagingApplicationProvider",
]

_INPUTS = (*FIELDS, "adopt_application_id")
_SECRET = list(CREDENTIALS)
#: Bandwidth refuses to delete an application a Location uses (bandwidth-api-v2.md 2).
_IN_USE_CODES = frozenset({"12107", "12145"})


def _sorted(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


class MessagingApplicationProvider(BaseProvider):
    """Messaging-V2 application CRUD. See :class:`MessagingApplication`."""

    apis = ("dashboard",)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_inputs(news)
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Passwords compare against the last ones sent (state), never a read: Bandwidth does not
        # echo them. Callback types left unset accept Bandwidth's default.
        return diff_props(
            olds,
            news,
            update_keys=FIELDS,
            accept_server_value=["requested_callback_types"],
            normalize={"requested_callback_types": _sorted},
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        spec = spec_of(inputs)
        client = self.dashboard_apps()
        adopt = inputs.get("adopt_application_id")
        if adopt:
            self._adopt(client, adopt, spec)
            return CreateResult(adopt, _outputs(inputs, adopt))

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
        return CreateResult(app_id, _outputs(inputs, app_id))

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self.dashboard_apps().get_application(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadResult(None, {})
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
        # A `get` has no old inputs for the engine to copy secretness from: mark it ourselves.
        for prop in _SECRET:
            if prop in inputs:
                inputs[prop] = wrap_rpc_secret(inputs[prop])
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        # PUT replaces every field (bandwidth-api-v2.md 2), so passwords are resent from the
        # inputs and a field removed from the program is cleared on Bandwidth too.
        self.dashboard_apps().replace_application(id_, spec_of(inputs))
        return UpdateResult(_outputs(inputs, id_))

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


MessagingApplicationProvider.__module__ = "bw_pulumi"


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
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs["application_id"] = app_id
    return outs


def _credentials_props(value: Any) -> Any:
    """Dataclasses are not serializable as inputs (pulumi-dynamic-providers.md 1.1): a dict,
    wholly secret (it carries the password)."""
    if value is None:
        return None
    if isinstance(value, CallbackCredentials):
        value = {"user_id": value.user_id, "password": value.password}
    return pulumi.Output.secret(value)


@dataclass
class CallbackCredentials:
    """Basic-auth credentials Bandwidth answers a callback's 401 challenge with (HTTPS only).

    Attributes:
        user_id: Required. User id Bandwidth sends.
        password: Required. Password Bandwidth sends; secret in state, never returned.
    """

    user_id: pulumi.Input[str]
    """User id Bandwidth sends."""
    password: pulumi.Input[str]
    """Password Bandwidth sends; write-only on Bandwidth, secret in state."""


@dataclass
class MessagingApplicationArgs:
    """Inputs of :class:`MessagingApplication`; every one updates in place.

    Attributes:
        app_name: Required. Application name (Bandwidth does not require it unique). Updates.
        inbound_callback_url: Required. Where Bandwidth POSTs inbound messages
            (``message-received``). Updates.
        outbound_callback_url: Where Bandwidth POSTs status callbacks (``message-delivered``,
            ``message-failed``, ...); default none. Updates.
        inbound_callback_credentials: :class:`CallbackCredentials` for the inbound URL (then
            ``https://``); default none. Secret in state. Updates.
        outbound_callback_credentials: :class:`CallbackCredentials` for the outbound URL (then
            ``https://``); default none. Secret in state. Updates.
        requested_callback_types: Any of ``message-delivered``, ``message-failed``,
            ``message-sending``; default Bandwidth's. Updates.
        adopt_application_id: Take over this existing Messaging-V2 application; destroy then
            deletes it. Default none; read only at create.
    """

    app_name: pulumi.Input[str]
    """Application name (Bandwidth does not require it to be unique)."""
    inbound_callback_url: pulumi.Input[str]
    """Where Bandwidth POSTs inbound messages (``message-received``)."""
    outbound_callback_url: pulumi.Input[str] | None = None
    """Where Bandwidth POSTs status callbacks (``message-delivered``, ``message-failed``...)."""
    inbound_callback_credentials: CallbackCredentials | None = None
    """Credentials for the inbound URL (which must then be https://)."""
    outbound_callback_credentials: CallbackCredentials | None = None
    """Credentials for the outbound URL (which must then be https://)."""
    requested_callback_types: pulumi.Input[list[str]] | None = None
    """Status callbacks wanted: ``message-delivered``, ``message-failed``,
    ``message-sending``; Bandwidth's default when unset."""
    adopt_application_id: pulumi.Input[str] | None = None
    """Take over this existing Messaging-V2 application; destroy then deletes it."""


class MessagingApplication(Resource, module="bandwidth", name="MessagingApplication"):
    """A Messaging-V2 application (current platform) that receives the messages of the numbers
    in the Locations it is assigned to (see :class:`LocationMessaging`).

    Manages ``/accounts/{accountId}/applications/{id}``; every input updates in place with a full
    PUT (passwords resent from state, since Bandwidth never returns them). Refresh reports an
    application deleted outside Pulumi and every echoed field edited there; passwords are never
    compared with a read. Destroy is refused while a Location still uses the application, naming
    the Location.

    Outputs:
        application_id: Bandwidth's ``ApplicationId`` (a UUID, also the resource id): what
            LocationMessaging takes.
        app_name: The application's name.
        inbound_callback_url: Where inbound messages are delivered.
        outbound_callback_url: Where status callbacks are delivered, if set.
        inbound_callback_credentials: ``{user_id, password}`` for the inbound URL, if set;
            secret.
        outbound_callback_credentials: ``{user_id, password}`` for the outbound URL, if set;
            secret.
        requested_callback_types: Status callback types requested, sorted, if set.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_application_id`` to take over an existing application: create converges it to these
    inputs, and ``pulumi destroy`` then deletes it.
    """

    application_id: pulumi.Output[str]
    """Bandwidth's ``ApplicationId`` (a UUID, also the resource id): what LocationMessaging and
    the Messages API take as ``application_id``."""
    app_name: pulumi.Output[str]
    """Application name."""
    inbound_callback_url: pulumi.Output[str]
    """Where inbound messages are delivered."""
    outbound_callback_url: pulumi.Output[str | None]
    """Where status callbacks are delivered, if set."""
    inbound_callback_credentials: pulumi.Output[dict[str, Any] | None]
    """``{user_id, password}`` for the inbound URL, secret, if set."""
    outbound_callback_credentials: pulumi.Output[dict[str, Any] | None]
    """``{user_id, password}`` for the outbound URL, secret, if set."""
    requested_callback_types: pulumi.Output[list[str] | None]
    """Status callback types requested, sorted, if set."""

    def __init__(
        self,
        resource_name: str,
        args: MessagingApplicationArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A Messaging-V2 application, for the numbers of the Locations it is assigned to.

        ``help(MessagingApplication)`` lists its outputs,
        ``help(MessagingApplicationArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack.
            args: Its inputs (:class:`MessagingApplicationArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
        for prop in _SECRET:
            props[prop] = _credentials_props(props[prop])
        props["application_id"] = None
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=_SECRET)
        )
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(MessagingApplicationProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> MessagingApplication:
        """Look up an existing MessagingApplication by id, read-only: every field comes from
        Bandwidth (passwords excepted, which it never returns), the state marks it external and
        ``destroy`` leaves it alone."""
        return get_resource(
            MessagingApplication,
            MessagingApplicationProvider(),
            resource_name,
            id,
            (*_INPUTS, "application_id"),
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=_SECRET)
            ),
        )
