"""The examples' programs through the real engine, against an in-process emulator."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest
from engine import REPO, PulumiE2E, StackRun
from pulumi import automation as auto

from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.dashboard import Address, DashboardClient, ImportOrderRequest
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import NotFound

EXAMPLES = REPO / "examples"
MESSAGE_URL = "http://127.0.0.1:9/sms"
ORDER_DEADLINE_SECONDS = 30.0


def example_program(name: str) -> Callable[[], None]:
    path = EXAMPLES / name / "program.py"
    spec = importlib.util.spec_from_file_location(f"bw_example_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as emulator:
        yield emulator


def dashboard(emu: Emulator) -> DashboardClient:
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def catapult(emu: Emulator) -> CatapultClient:
    return CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)


def config(emu: Emulator, project: str, **values: str) -> dict[str, str | auto.ConfigValue]:
    cfg: dict[str, str | auto.ConfigValue] = dict(emu.stack_config())
    for key in ("bandwidth:password", "bandwidth:apiSecret"):
        cfg[key] = auto.ConfigValue(str(cfg[key]), secret=True)
    cfg.update({f"{project}:{k}": v for k, v in values.items()})
    return cfg


def assert_nothing_left(emu: Emulator) -> None:
    state = emu.control.state()
    assert state["in_service"] == []
    assert state["phone_numbers"] == []
    assert state["applications"] == []
    assert state["subscriptions"] == []


def test_staging_stack_up_refresh_repairs_drift_and_teardown_leaves_nothing(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    project, numbers = "bw-staging", '["+19195550140", "919-555-0141"]'
    stack = pulumi_e2e.stack(
        example_program("staging_teardown"),
        project=project,
        stack_name="ci-feature-x",
        config=config(emu, project, numbers=numbers, siteId="14", messageUrl=MESSAGE_URL),
    )
    first = stack.up(refresh=True)
    assert first.summary.resource_changes == {"create": 5}
    assert first.outputs["imported_numbers"].value == ["9195550140", "9195550141"]
    number_ids = first.outputs["number_ids"].value
    assert stack.up(refresh=True).summary.resource_changes == {"same": 5}

    # Someone unbinds a number in the portal: `up --refresh` notices and binds it again.
    catapult(emu).delete_number(number_ids["number-9195550141"])
    repaired = stack.up(refresh=True)
    assert repaired.summary.resource_changes == {"same": 4, "create": 1}
    bound = {n["number"] for n in emu.control.state()["phone_numbers"]}
    assert bound == {"+19195550140", "+19195550141"}

    gone = stack.destroy(remove=True)
    assert gone.summary.resource_changes == {"delete": 5}
    assert_nothing_left(emu)
    assert stack.stack.workspace.list_stacks() == []  # `pulumi stack rm` ran too


def import_by_hand(emu: Emulator, numbers: list[str]) -> tuple[str, str, dict[str, str]]:
    """What a person does without Pulumi: an import order, an application, the bindings."""
    dash = dashboard(emu)
    order = dash.create_import_order(
        ImportOrderRequest(
            telephone_numbers=numbers,
            site_id="14",
            subscriber_name="Hand Imported",
            service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
            loa_authorizing_person="Jane Doe",
            customer_order_id="by-hand",
        )
    )
    deadline = time.monotonic() + ORDER_DEADLINE_SECONDS
    while dash.get_import_order(order.order_id).status != "COMPLETE":
        assert time.monotonic() < deadline, "hand import order did not complete"
        time.sleep(0.05)
    cat = catapult(emu)
    app_id = cat.create_application({"name": "by-hand", "incomingMessageUrl": MESSAGE_URL})
    number_ids = {
        tn: cat.import_number(
            f"+1{tn}",
            app_id,
            account_id=emu.account_id,
            username=emu.username,
            password=emu.password,
        )
        for tn in numbers
    }
    return order.order_id, app_id, number_ids


def adopt_stack(pulumi_e2e: PulumiE2E, emu: Emulator, order_id: str, app_id: str) -> StackRun:
    project = "bw-adopt-numbers"
    return pulumi_e2e.stack(
        example_program("adopt_numbers"),
        project=project,
        config=config(
            emu,
            project,
            adoptOrderId=order_id,
            numbers='["9195550150", "9195550151"]',
            siteId="14",
            subscriberName="Hand Imported",  # must match the adopted order's
            applicationName="by-hand",
            messageUrl=MESSAGE_URL,
            applicationId=app_id,
        ),
    )


def test_numbers_imported_by_hand_are_adopted_without_a_new_order(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    order_id, app_id, number_ids = import_by_hand(emu, ["9195550150", "9195550151"])
    stack = adopt_stack(pulumi_e2e, emu, order_id, app_id)

    up = stack.up()
    assert up.summary.resource_changes == {"create": 5}
    assert up.outputs["order_id"].value == order_id
    assert up.outputs["application_id"].value == app_id
    assert sorted(up.outputs["number_ids"].value.values()) == sorted(number_ids.values())
    assert len(emu.control.state()["import_orders"]) == 1  # nothing was ordered again
    assert stack.up().summary.resource_changes == {"same": 5}
    assert stack.refresh().summary.resource_changes == {"same": 5}


def test_destroy_of_an_adopting_stack_removes_the_hand_imported_numbers(
    pulumi_e2e: PulumiE2E, emu: Emulator
) -> None:
    order_id, app_id, _ = import_by_hand(emu, ["9195550150", "9195550151"])
    stack = adopt_stack(pulumi_e2e, emu, order_id, app_id)
    stack.up()

    assert stack.destroy().summary.resource_changes == {"delete": 5}
    assert_nothing_left(emu)
    with pytest.raises(NotFound):
        catapult(emu).get_application(app_id)


def test_every_example_has_a_readme_a_project_file_and_an_entry_point() -> None:
    for example in ("hosted_messaging", "staging_teardown", "adopt_numbers", "hosted_messaging_v2"):
        folder = EXAMPLES / example
        for name in ("README.md", "Pulumi.yaml", "__main__.py", "program.py"):
            assert (folder / name).is_file(), f"{folder / name} is missing"
        # Committed ones only: a user's own `pulumi stack init` there is theirs (and gitignored).
        tracked = subprocess.run(
            ["git", "ls-files", str(folder)], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
        stack_files = [f for f in tracked if re.search(r"/Pulumi\.[^/]+\.yaml$", f)]
        assert stack_files == [], "examples show `pulumi config set` commands instead"
