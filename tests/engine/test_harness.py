"""The engine harness drives the real plugin process and applies the engine's rules."""

from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from harness import (
    PROVIDER_KEY,
    UNKNOWN,
    CheckFailed,
    Engine,
    ProviderError,
    Secret,
    from_struct,
    reveal,
)
from sample_provider import SAMPLE_TOKEN as TOKEN
from sample_provider import ThingProvider


def test_create_read_update_delete_round_trip(engine: Engine, store: Path) -> None:
    created = engine.create(ThingProvider(), {"value": " one "})
    assert created.output("value") == "one"  # canonicalized by check
    assert created.output("thing_id") == created.id
    assert (store / f"{created.id}.json").exists()

    refreshed = engine.refresh(created)
    assert refreshed is not None
    assert refreshed.output("value") == "one"

    updated = engine.up(ThingProvider(), {"value": "two"}, refreshed)
    assert updated.op == "update"
    assert updated.id == created.id
    assert updated.output("value") == "two"

    engine.destroy(updated)
    assert not (store / f"{created.id}.json").exists()
    assert engine.refresh(updated) is None


def test_second_up_with_the_same_inputs_changes_nothing(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    again = engine.up(ThingProvider(), {"value": "v"}, created)
    assert again.op == "same"
    assert again.outputs == created.outputs


def test_refresh_reports_a_resource_deleted_out_of_band_as_gone(
    engine: Engine, store: Path
) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    (store / f"{created.id}.json").unlink()
    assert engine.refresh(created) is None


def test_provider_is_pickled_by_reference_without_the_configured_secret(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    assert created.output("token_configured") is True  # configure ran in the plugin
    pickled = base64.b64decode(created.output(PROVIDER_KEY))
    assert b"sample_provider" in pickled
    assert b"ThingProvider" in pickled
    assert len(pickled) < 200  # a reference, not the class's code
    assert TOKEN.encode() not in pickled


def test_provider_is_always_a_secret_in_inputs_and_outputs(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    assert isinstance(created.inputs[PROVIDER_KEY], Secret)
    assert isinstance(created.outputs[PROVIDER_KEY], Secret)


def test_secret_inputs_reach_the_provider_unwrapped_and_return_to_state_as_secrets(
    engine: Engine,
) -> None:
    created = engine.create(ThingProvider(), {"value": "v", "secret": Secret("pw-123")})
    create_request = next(req for method, req in engine.sent if method == "Create")
    assert from_struct(create_request.properties)["secret"] == "pw-123"  # acceptSecrets false
    assert created.output("secret_type") == "str"
    assert created.outputs["secret"] == Secret("pw-123")
    assert not isinstance(created.outputs["value"], Secret)


def test_stack_config_secrets_reach_the_provider_only_through_configure(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    engine.refresh(created)
    assert created.output("token_configured") is True
    carrying_token = [method for method, req in engine.sent if TOKEN in str(req)]
    assert carrying_token == ["Configure"]
    assert TOKEN not in str(reveal(created.outputs))


def test_unconfigured_provider_sees_no_token(
    start_engine: Callable[..., Engine], store: Path
) -> None:
    engine = start_engine({"sample:storeDir": str(store)})
    assert engine.create(ThingProvider(), {"value": "v"}).output("token_configured") is False


def test_additional_secret_outputs_are_marked_secret(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"}, additional_secret_outputs=["value"])
    assert created.outputs["value"] == Secret("v")
    assert created.inputs["value"] == "v"
    refreshed = engine.refresh(created)
    assert refreshed is not None
    assert refreshed.outputs["value"] == Secret("v")


def test_four_concurrent_creates_run_in_parallel(engine: Engine) -> None:
    # Each create waits at a 4-party barrier inside the plugin: it only passes if the plugin
    # runs all four calls at the same time (its thread pool has 4 workers).
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [
            pool.submit(engine.create, ThingProvider(), {"value": f"v{i}", "rendezvous": 4})
            for i in range(4)
        ]
        ids = {f.result(timeout=60).id for f in futures}
    assert len(ids) == 4


def test_check_and_diff_accept_unknowns_during_preview(engine: Engine) -> None:
    plan = engine.preview(ThingProvider(), {"value": UNKNOWN})
    assert plan.op == "create"
    assert plan.checked["value"] is UNKNOWN

    created = engine.create(ThingProvider(), {"value": "v"})
    plan = engine.preview(ThingProvider(), {"value": "v", "secret": [UNKNOWN]}, created)
    assert plan.op == "update"
    assert plan.checked["secret"] == [UNKNOWN]
    assert engine.preview(ThingProvider(), {"value": "v"}, created).op == "same"


def test_check_failures_name_the_field(engine: Engine) -> None:
    with pytest.raises(CheckFailed) as failed:
        engine.create(ThingProvider(), {"value": ""})
    assert failed.value.failures == [("value", "value must not be empty")]


def test_provider_exceptions_reach_the_engine_with_their_message(
    start_engine: Callable[..., Engine],
) -> None:
    engine = start_engine({})
    with pytest.raises(ProviderError) as failed:
        engine.create(ThingProvider(), {"value": "v"})
    assert "sample:storeDir is not set" in failed.value.details


def test_get_with_an_id_and_inputs_reads_the_resource(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v", "secret": Secret("pw")})
    got = engine.get(ThingProvider(), created.id, {"value": "ignored"})
    assert got is not None
    assert got.output("value") == "v"
    assert got.inputs["value"] == "ignored"  # a get keeps the program's inputs
    assert got.outputs["secret"] == "pw"  # no additional_secret_outputs given here
    refreshed = engine.refresh(got)
    assert refreshed is not None
    # Nothing in the program's inputs was secret, so only the provider's own wrapping
    # (rpc.wrap_rpc_secret in read's inputs) keeps the secret out of state as plaintext.
    assert refreshed.inputs["secret"] == Secret("pw")


def test_import_style_read_with_only_an_id_cannot_find_the_provider(engine: Engine) -> None:
    created = engine.create(ThingProvider(), {"value": "v"})
    with pytest.raises(ProviderError) as failed:
        engine.import_read(created.id)
    assert PROVIDER_KEY in failed.value.details
