"""The native provider: the engine's resource-provider calls on the lifecycle cores
(:mod:`bw_pulumi.core`, one per resource, the same code the dynamic providers adapt).

Per call it converts the engine's camelCase :class:`PropertyValue` maps to plain snake_case
dicts and back, runs the lifecycle on a worker thread (``asyncio.to_thread``: the event loop
stays free, so ``Cancel`` is answered at once while an order wait runs) with its progress lines
routed to the engine's ``Log`` on the resource's URN, and answers preview steps without any API
call. Secrets: Configure answers ``acceptSecrets=false`` like the dynamic server, so the engine
strips them from requests and re-marks outputs whose inputs were secret; the schema's secret
outputs are marked here as well, for reads and imports that have no secret inputs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import PropertyValue

from .._engine_log import EngineLog
from .._progress import routed_to
from .._wait import cancel_waits
from ..config import SETTINGS_KEYS, Settings
from ..core.lifecycle import UNKNOWN, DiffOutcome, Lifecycle, ResourceName
from ..errors import NotFound
from .registry import RESOURCES, ResourceSpec, by_token, urn_parts
from .schema import map_paths, schema, schema_json
from .values import (
    camel_case,
    from_property_map,
    snake_case,
    to_camel,
    to_property_map,
    to_snake,
)

__all__ = ["BandwidthProvider"]

T = TypeVar("T")
_LOG_TIMEOUT_SECONDS = 10.0


class BandwidthProvider(p.Provider):
    """Serves every ``bandwidth:index:*`` resource (see :mod:`bw_pulumi.native.registry`)."""

    def __init__(self, engine_address: str | None = None) -> None:
        # Ephemeral: progress stays beside the step, out of the Diagnostics summary.
        self._log = EngineLog(engine_address, ephemeral=True, timeout=_LOG_TIMEOUT_SECONDS)
        self._lifecycles: dict[str, Lifecycle] = {s.token: s.core_class() for s in RESOURCES}
        self.cancelled = False

    # -- plumbing ------------------------------------------------------------------------

    def _resource(self, urn: str) -> tuple[ResourceSpec, Lifecycle]:
        token = urn_parts(urn)[2]
        spec = by_token(token)
        if spec is None:
            raise ValueError(f"the bandwidth plugin has no resource type {token!r}")
        return spec, self._lifecycles[token]

    async def _run(self, urn: str, fn: Callable[..., T], *args: Any) -> T:
        def sink(line: str) -> None:  # raises when it cannot: say() then prints the line
            self._log.send(urn, line)

        def call() -> T:
            with routed_to(sink):
                return fn(*args)

        return await asyncio.to_thread(call)

    @staticmethod
    def _plain(spec: ResourceSpec, props: Mapping[str, PropertyValue]) -> dict[str, Any]:
        return to_snake(from_property_map(props), map_paths(spec))

    @staticmethod
    def _wire(
        spec: ResourceSpec, props: Mapping[str, Any], secrets: Collection[str] = ()
    ) -> dict[str, PropertyValue]:
        res = schema()["resources"][spec.token]
        secret = {
            k for k, v in {**res["inputProperties"], **res["properties"]}.items() if v.get("secret")
        }
        secret.update(camel_case(k) for k in secrets)
        return to_property_map(to_camel(props, map_paths(spec)), secret)

    # -- configuration and schema ----------------------------------------------------------

    async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
        return p.GetSchemaResponse(schema=schema_json())

    async def configure(self, request: p.ConfigureRequest) -> p.ConfigureResponse:
        # Stack config `bandwidth:*` (full keys), or an explicit provider resource's inputs.
        args = from_property_map(request.args)
        config: dict[str, object] = {}
        for key, _env in SETTINGS_KEYS.values():
            short = key.split(":", 1)[1]
            config[key] = request.variables.get(key) or args.get(short)
        settings = Settings.load(config)
        for life in self._lifecycles.values():
            life.configure(settings)
        return p.ConfigureResponse(accept_secrets=False, supports_preview=True)

    async def cancel(self) -> None:
        # The CLI also calls Cancel at every normal shutdown: it may only set flags.
        self.cancelled = True
        cancel_waits()

    # -- the lifecycle -------------------------------------------------------------------

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        spec, life = self._resource(request.urn)
        olds = self._plain(spec, request.old_inputs)
        news = self._plain(spec, request.new_inputs)
        stack, project, _, name = urn_parts(request.urn)
        resource = ResourceName(project, stack, name)
        outcome = await self._run(request.urn, life.check, olds, news, resource)
        return p.CheckResponse(
            inputs=self._wire(spec, outcome.inputs),
            failures=[p.CheckFailure(camel_case(k), reason) for k, reason in outcome.failures],
        )

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        spec, life = self._resource(request.urn)
        olds = self._plain(spec, request.old_state)
        news = self._plain(spec, request.new_inputs)
        outcome = await self._run(request.urn, life.diff, request.resource_id, olds, news)
        replaces = [camel_case(k) for k in outcome.replaces]
        detailed = _detailed_diff(spec, outcome) if outcome.changes else {}
        return p.DiffResponse(
            changes=outcome.changes,
            replaces=replaces,
            delete_before_replace=outcome.delete_before_replace,
            diffs=sorted(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        spec, life = self._resource(request.urn)
        inputs = self._plain(spec, request.properties)
        if request.preview:
            # No API call in preview: outputs not among the inputs are not known yet.
            outputs = schema()["resources"][spec.token]["properties"]
            pending = {snake_case(k): UNKNOWN for k in outputs}
            return p.CreateResponse(properties=self._wire(spec, {**pending, **inputs}))
        id_, outs = await self._run(request.urn, life.create, inputs)
        return p.CreateResponse(resource_id=id_, properties=self._wire(spec, outs))

    async def read(self, request: p.ReadRequest) -> p.ReadResponse:
        spec, life = self._resource(request.urn)
        state = self._plain(spec, request.properties)
        inputs = self._plain(spec, request.inputs)
        importing = not state and not inputs
        outcome = await self._run(request.urn, life.read, request.resource_id, state)
        if outcome.id is None:
            if importing:
                raise NotFound(
                    f"Bandwidth has no {spec.name} with id {request.resource_id!r} for the "
                    f"configured account; check the id and the bandwidth:* config"
                )
            return p.ReadResponse()
        new_inputs = outcome.inputs if outcome.inputs is not None else inputs
        if importing:
            # `read` gets no inputs on import: rebuild them from what Bandwidth returned.
            names = schema()["resources"][spec.token]["inputProperties"]
            live = to_camel(outcome.outputs, map_paths(spec))
            rebuilt = to_snake({k: v for k, v in live.items() if k in names}, map_paths(spec))
            new_inputs = {**rebuilt, **(new_inputs or {})}
        return p.ReadResponse(
            resource_id=outcome.id,
            properties=self._wire(spec, outcome.outputs),
            inputs=self._wire(spec, new_inputs or {}, outcome.secrets),
        )

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        spec, life = self._resource(request.urn)
        olds = self._plain(spec, request.olds)
        news = self._plain(spec, request.news)
        if request.preview:
            return p.UpdateResponse(properties=self._wire(spec, {**olds, **news}))
        outs = await self._run(request.urn, life.update, request.resource_id, olds, news)
        return p.UpdateResponse(properties=self._wire(spec, outs))

    async def delete(self, request: p.DeleteRequest) -> None:
        spec, life = self._resource(request.urn)
        state = self._plain(spec, request.properties)
        await self._run(request.urn, life.delete, request.resource_id, state)


def _detailed_diff(spec: ResourceSpec, outcome: DiffOutcome) -> dict[str, p.PropertyDiff]:
    """The inputs that differ, for the display: the ones the core names as changed."""
    detailed: dict[str, p.PropertyDiff] = {}
    for key in schema()["resources"][spec.token]["inputProperties"]:
        name = snake_case(key)
        if name in outcome.replaces:
            detailed[key] = p.PropertyDiff(p.PropertyDiffKind.UPDATE_REPLACE, input_diff=True)
        elif name in outcome.changed:
            detailed[key] = p.PropertyDiff(p.PropertyDiffKind.UPDATE, input_diff=True)
    return detailed
