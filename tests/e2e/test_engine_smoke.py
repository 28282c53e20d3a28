"""The real Pulumi CLI runs a dynamic resource from this repo's virtualenv, offline."""

from __future__ import annotations

import sys
from pathlib import Path

import pulumi
import pytest
from engine import PulumiE2E, StackRun, is_secret
from pulumi import automation as auto
from sample_provider import SAMPLE_TOKEN, Thing

THING_TYPE = "pulumi-python:dynamic/sample:Thing"
INPUT_SECRET = "input-secret-5be1"


def program() -> None:
    thing = Thing("thing", value="hello", secret=INPUT_SECRET)
    pulumi.export("thing_id", thing.thing_id)
    pulumi.export("plugin_prefix", thing.plugin_prefix)  # type: ignore[attr-defined]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def stack(pulumi_e2e: PulumiE2E, store: Path) -> StackRun:
    return pulumi_e2e.stack(
        program,
        config={
            "sample:storeDir": str(store),
            "sample:token": auto.ConfigValue(SAMPLE_TOKEN, secret=True),
        },
    )


def test_up_creates_and_then_up_preview_refresh_change_nothing(
    stack: StackRun, store: Path
) -> None:
    first = stack.up()
    assert first.summary.resource_changes == {"create": 2}
    thing_id = first.outputs["thing_id"].value
    assert (store / f"{thing_id}.json").exists()

    assert stack.up().summary.resource_changes == {"same": 2}
    assert stack.preview().change_summary == {auto.OpType.SAME: 2}
    refreshed = stack.refresh()
    assert refreshed.summary.result == "succeeded"
    assert refreshed.summary.resource_changes == {"same": 2}


def test_plugin_runs_in_the_project_virtualenv(stack: StackRun) -> None:
    assert stack.up().outputs["plugin_prefix"].value == sys.prefix


def test_state_holds_no_plaintext_secret_and_the_provider_is_secret(stack: StackRun) -> None:
    stack.up()
    stack.refresh()  # Read results are annotated with secretness too
    exported = stack.export_text()
    for text in (exported, stack.backend_text()):
        assert SAMPLE_TOKEN not in text
        assert INPUT_SECRET not in text
    thing = stack.resource("thing")
    assert thing["type"] == THING_TYPE
    assert is_secret(thing["inputs"]["__provider"])
    assert is_secret(thing["outputs"]["__provider"])
    assert is_secret(thing["outputs"]["secret"])
    assert thing["outputs"]["token_configured"] is True
    # The default provider's state holds the whole stack config; secrets stay encrypted there.
    default_provider = stack.resource("default")
    assert is_secret(default_provider["inputs"]["sample:token"])


def test_destroy_deletes_the_resource(stack: StackRun, store: Path) -> None:
    thing_id = stack.up().outputs["thing_id"].value
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    assert not (store / f"{thing_id}.json").exists()
    assert stack.resources(THING_TYPE) == []


def test_refresh_drops_a_resource_deleted_out_of_band(stack: StackRun, store: Path) -> None:
    thing_id = stack.up().outputs["thing_id"].value
    (store / f"{thing_id}.json").unlink()
    assert stack.refresh().summary.resource_changes == {"same": 1, "delete": 1}
    assert stack.resources(THING_TYPE) == []


def test_get_by_id_reads_a_dynamic_resource_and_destroy_leaves_it(
    pulumi_e2e: PulumiE2E, stack: StackRun, store: Path
) -> None:
    thing_id = stack.up().outputs["thing_id"].value

    def adopt() -> None:
        # `X.get(name, id)` for a dynamic resource is construction with ResourceOptions(id=...):
        # the engine's ReadStep passes the program's inputs (with __provider) to Read.
        got = Thing("adopted", value="ignored", opts=pulumi.ResourceOptions(id=thing_id))
        pulumi.export("value", got.value)

    other = pulumi_e2e.stack(adopt, config={"sample:storeDir": str(store)}, stack_name="other")
    assert other.up().outputs["value"].value == "hello"  # read from the live object
    adopted = other.resource("adopted")
    assert adopted["external"] is True
    assert is_secret(adopted["outputs"]["secret"])  # additional_secret_outputs
    assert adopted["inputs"]["value"] == "ignored"  # a get keeps the program's inputs
    assert other.refresh().summary.result == "succeeded"
    refreshed = other.resource("adopted")
    assert refreshed["inputs"]["value"] == "hello"  # refresh takes read()'s inputs
    assert is_secret(refreshed["inputs"]["secret"])  # read() wrapped it; nothing else would
    assert other.destroy().summary.resource_changes == {"delete": 1, "discard": 1}
    assert (store / f"{thing_id}.json").exists()  # a read resource is never deleted


def test_import_option_fails_for_a_dynamic_resource(
    pulumi_e2e: PulumiE2E, stack: StackRun, store: Path
) -> None:
    thing_id = stack.up().outputs["thing_id"].value

    def import_it() -> None:
        Thing("imported", value="hello", opts=pulumi.ResourceOptions(import_=thing_id))

    other = pulumi_e2e.stack(import_it, config={"sample:storeDir": str(store)}, stack_name="imp")
    # The engine's ImportStep calls Read with only the id (pulumi/pulumi#16175).
    with pytest.raises(auto.CommandError, match="KeyError: '__provider'"):
        other.up()
