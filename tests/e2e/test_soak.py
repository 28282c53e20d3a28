"""The fault soak (issue #15), short: `scripts/soak` for two fixed seeds at 10% faults.

`bench/soak.py` drives a flagship project through the plain `pulumi` CLI (`up`, `refresh`, a
number change and `up`, `destroy`) with the seeded fault proxy of `bench/fault_proxy.py` between
the provider and the emulator, re-running a failed step as a user would: by default odd seeds run
the Catapult flagship (the root project), even seeds the current platform's
(`examples/hosted_messaging_v2`, OAuth2). Here: seed 3 runs the one and seed 4 the other; the soak
exits 0 and its counts are what issue #15 asks (nothing left, duplicated or lost, no re-run after
a single fault), with faults of several kinds injected. The proxy's faults and the soak's
counting are checked on their own first, without the CLI.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from engine import REPO

from bench.fault_proxy import (
    DISRUPTIVE,
    KINDS,
    Fault,
    FaultPlan,
    FaultProxy,
    Kind,
    fault_proxy,
    request_key,
)
from bench.soak_checks import check_holdings, left_behind, order_replay, request_pattern
from bench.soak_seed import pick_numbers
from bench.soak_v2 import check_holdings_v2, seed_platform
from bw_pulumi.emulator import Emulator

#: Two seeds whose 10% draws fault creating POSTs, look-ups and order polls (see the soak's
#: transcripts): 3 runs the Catapult flagship, 4 the current platform's (its token POST, its
#: Location's feature reads and its removal order are among the faulted requests); the soak
#: takes 15-45 s per seed through the CLI.
SEEDS = (3, 4)
SOAK_TIMEOUT = 170
SUBSCRIPTION = (
    b"<Subscription><OrderType>importtnorders</OrderType><CallbackSubscription>"
    b"<URL>http://127.0.0.1:9/hook</URL><Expiry>3600</Expiry></CallbackSubscription>"
    b"</Subscription>"
)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as running:
        yield running


def only(kind: Kind) -> FaultPlan:
    return FaultPlan(seed=1, rate=1.0, kinds=(kind,), max_delay=0.2)


def subscribe(proxy: FaultProxy, emu: Emulator) -> requests.Response:
    return requests.post(
        f"{proxy.dashboard_url}/accounts/{emu.account_id}/subscriptions",
        data=SUBSCRIPTION,
        headers={"Content-Type": "application/xml"},
        auth=(emu.username, emu.password),
        timeout=10,
    )


def applications(proxy: FaultProxy, emu: Emulator) -> requests.Response:
    return requests.get(
        f"{proxy.catapult_url}/v1/users/{emu.user_id}/applications",
        auth=(emu.api_token, emu.api_secret),
        timeout=10,
    )


def test_503_and_reset_never_reach_the_emulator(emu: Emulator) -> None:
    with fault_proxy(emu.base_url, only("503")) as proxy:
        assert subscribe(proxy, emu).status_code == 503
    with fault_proxy(emu.base_url, only("reset")) as proxy:
        with pytest.raises(requests.ConnectionError):
            subscribe(proxy, emu)
        assert [f.kind for f in proxy.faults()] == ["reset"]
    assert emu.control.state()["subscriptions"] == []


@pytest.mark.parametrize("kind", ["lose-answer", "forward-reset"])
def test_a_lost_answer_was_processed(emu: Emulator, kind: Kind) -> None:
    with fault_proxy(emu.base_url, only(kind)) as proxy, pytest.raises(requests.ConnectionError):
        subscribe(proxy, emu)
    assert len(emu.control.state()["subscriptions"]) == 1


def test_429_carries_each_apis_rate_limit_headers(emu: Emulator) -> None:
    with fault_proxy(emu.base_url, only("429")) as proxy:
        dashboard = subscribe(proxy, emu)
        catapult = applications(proxy, emu)
    assert dashboard.status_code == catapult.status_code == 429
    # Dashboard: empty body, epoch seconds (API doc 1.6); Catapult: JSON, epoch ms (API doc 9).
    assert dashboard.content == b""
    assert len(dashboard.headers["X-RateLimit-Reset"]) == 10
    assert len(catapult.headers["X-RateLimit-Reset"]) == 13
    body = catapult.json()
    assert (body["category"], body["code"]) == ("too-many-requests", "rate-limit-reached")
    assert "message" not in body
    assert emu.control.state()["subscriptions"] == []


def test_delay_and_no_fault_forward_the_answer(emu: Emulator) -> None:
    with fault_proxy(emu.base_url, only("delay")) as proxy:
        assert subscribe(proxy, emu).status_code == 201
    with fault_proxy(emu.base_url, FaultPlan(seed=1, rate=0.0)) as proxy:
        listed = applications(proxy, emu)
        assert listed.status_code == 200
        assert proxy.faults() == [] and proxy.requests == 1
    assert len(emu.control.state()["subscriptions"]) == 1


def test_draws_depend_on_the_seed_and_the_request_not_on_ids() -> None:
    order = "/api/accounts/9900000/importTnOrders/33e23be6-0c82-4ae4-bf58-2f4d2a85a700"
    other = "/api/accounts/9900000/importTnOrders/a1ffcd51-0bf2-4131-ac75-6af3b5749f31"
    assert request_key("GET", order, b"") == request_key("GET", other, b"")
    body = b'{"number": "+19195550111", "applicationId": "a-abcdefghijklmnopqrstuvw"}'
    key = request_key("POST", "/v1/users/u-1/phoneNumbers", body)
    assert "9195550111" in key
    targets = [("GET", f"/api/accounts/1/inserviceNumbers/91955501{i:02d}") for i in range(200)]

    def draws(seed: int) -> list[Kind | None]:
        plan = FaultPlan(seed, 0.25)
        return [plan.decide(method, target, b"").kind for method, target in targets]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    faulted = [k for k in draws(7) if k is not None]
    assert 20 < len(faulted) < 80
    assert set(faulted) <= set(KINDS)


def _order(kind: str, id_: str, at: float, tns: list[str], errors: Any = ()) -> dict[str, Any]:
    status = "FAILED" if errors and kind == "remove" else "COMPLETE"
    return {
        "id": id_,
        "status": status,
        "telephone_numbers": tns,
        "errors": [{"code": 5158, "telephone_numbers": list(e)} for e in errors],
        "history": [{"at": at - 1, "status": "RECEIVED"}, {"at": at, "status": status}],
    }


def test_order_replay_finds_duplicates_and_redundant_removals() -> None:
    state = {
        "import_orders": [
            _order("import", "i1", 1.0, ["9195550100", "9195550101"]),
            _order("import", "i2", 2.0, ["9195550101"]),  # while i1 still holds it
            _order("import", "i3", 5.0, ["9195550100"]),  # after its removal: legitimate
        ],
        "remove_orders": [
            _order("remove", "r1", 3.0, ["9195550100"]),
            _order("remove", "r2", 4.0, ["9195550100"], errors=[["9195550100"]]),
        ],
    }
    duplicates, redundant = order_replay(state)
    assert len(duplicates) == 1 and "i2" in duplicates[0] and "i1" in duplicates[0]
    assert len(redundant) == 1 and "r2" in redundant[0]


def test_holdings_count_lost_missing_and_stray_objects() -> None:
    outputs = {
        "application_id": "a-1",
        "subscription_id": "s-1",
        "imported_numbers": ["9195550100", "9195550101"],
        "number_ids": {"number-9195550100": "n-1", "number-9195550101": "n-2"},
    }
    state = {
        "subscriptions": [{"id": "s-1"}, {"id": "s-2"}],
        "applications": [{"id": "a-1"}],
        "phone_numbers": [
            {"id": "n-1", "number": "+19195550100", "application_id": "a-1"},
            {"id": "n-2", "number": "+19195550101", "application_id": "a-9"},
        ],
        "in_service": ["9195550100", "9195550101", "9195550102"],
    }
    lost, missing, stray = check_holdings(state, outputs, {"9195550100", "9195550101"}, "up")
    assert lost == ["after up: 9195550101 not bound to application a-1"]
    assert missing == []
    assert stray == ["after up: subscription s-2", "after up: 9195550102 in service"]


def test_v2_holdings_want_each_number_in_the_stacks_location_with_its_application() -> None:
    outputs = {
        "application_id": "app-1",
        "sip_peer_id": "500",
        "imported_numbers": ["9195550100", "9195550101"],
    }
    state = {
        "subscriptions": [{"id": "s-1"}],
        "applications": [],
        "dashboard_applications": [{"id": "app-1"}, {"id": "app-2"}],
        "sip_peers": [
            {"id": "500", "sms": {"Protocol": "HTTP"}, "application_id": "app-1"},
            {"id": "501", "sms": None, "application_id": None},
        ],
        "in_service": ["9195550100", "9195550101"],
        "in_service_peers": {"9195550100": "500", "9195550101": "501"},
    }
    wanted = {"9195550100", "9195550101"}
    lost, missing, stray = check_holdings_v2(state, outputs, wanted, "up")
    assert lost == ["after up: 9195550101 not in Location 500"]
    assert missing == []
    assert stray == ["after up: application app-2", "after up: Location 501"]
    state["sip_peers"][0]["application_id"] = None  # unassigned out of band
    _, missing, _ = check_holdings_v2(state, outputs, wanted, "up")
    assert missing == ["after up: Location 500 has SMS on and application None, not app-1"]


def test_left_behind_counts_the_current_platforms_objects_too() -> None:
    state = {
        "subscriptions": [],
        "applications": [],
        "phone_numbers": [],
        "in_service": [],
        "dashboard_applications": [{"id": "app-1", "app_name": "soak"}],
        "sip_peers": [{"id": "500", "name": "bw-hosted-messaging-v2-soak"}],
        "in_service_peers": {"9195550100": "500"},
        "sites": [{"id": "14"}],  # the emulator's own Site, there from the start
    }
    assert left_behind(state) == [
        "Messaging-V2 application app-1 (soak)",
        "Location 500 (bw-hosted-messaging-v2-soak)",
        "9195550100 in Location 500",
    ]


def test_both_platforms_alternate_by_seed_and_peer_ids_are_masked() -> None:
    assert [seed_platform(s, "both") for s in (3, 4, 5)] == ["catapult", "v2", "catapult"]
    assert seed_platform(4, "catapult") == "catapult"
    with pytest.raises(ValueError, match="both"):
        seed_platform(1, "v3")
    fault = Fault(0.0, "GET", "/api/accounts/9900000/sites/14/sippeers/858655/products", "503")
    assert request_pattern(fault) == "GET /api/accounts/{id}/sites/14/sippeers/{id}/products"


def test_the_number_change_adds_one_and_drops_one() -> None:
    first, second = pick_numbers(5, 3)
    assert len(set(first)) == len(set(second)) == 3
    assert len(set(first) - set(second)) == len(set(second) - set(first)) == 1
    assert pick_numbers(5, 3) == (first, second)


def test_soak_two_seeds_at_ten_percent(pulumi_bin_dir: Path, tmp_path: Path) -> None:
    if not (pulumi_bin_dir / "pulumi-language-python").exists():
        pytest.fail(
            f"no pulumi-language-python beside {pulumi_bin_dir}: run scripts/install-pulumi"
        )
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.fail(f"{REPO / '.venv'} is missing: run scripts/setup (the root project's venv)")
    report = tmp_path / "soak.json"
    command = [
        str(REPO / "scripts" / "soak"),
        "--seeds",
        str(len(SEEDS)),
        "--seed-start",
        str(SEEDS[0]),
        "--fault-rate",
        "0.10",
        "--processing-seconds",
        "0.2",
        "--log-dir",
        str(tmp_path / "logs"),
        "--json",
        str(report),
    ]
    env = {**os.environ, "PYTHON": sys.executable, "BW_PULUMI_BIN_DIR": str(pulumi_bin_dir)}
    soak = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = soak.communicate(timeout=SOAK_TIMEOUT)
    except subprocess.TimeoutExpired:
        soak.terminate()  # the soak ends the CLI command it runs, then itself
        try:
            stdout, stderr = soak.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(soak.pid, signal.SIGKILL)
            stdout, stderr = soak.communicate()
        pytest.fail(f"the soak took over {SOAK_TIMEOUT} s:\n{stdout[-4000:]}{stderr[-2000:]}")
    proc = subprocess.CompletedProcess(command, soak.returncode, stdout, stderr)
    print(proc.stdout, proc.stderr)  # the per-seed lines and the table, shown on failure
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    results = json.loads(report.read_text())
    seeds = results["seeds"]
    assert [s["seed"] for s in seeds] == list(SEEDS)
    for seed in seeds:
        assert seed["problems"] == [], seed["problems"]
        for name in ("left", "duplicates", "lost", "missing", "stray", "drift", "failed_steps"):
            assert seed[name] == [], (name, seed[name])
        assert seed["single_fault_failures"] == 0
        steps = [a["step"] for a in seed["attempts"] if a["returncode"] == 0]
        assert steps == ["up", "refresh", "change", "destroy"]
    assert [s["platform"] for s in seeds] == ["catapult", "v2"]
    faults: dict[str, int] = {}
    for seed in seeds:
        for kind, count in seed["faults"].items():
            faults[kind] = faults.get(kind, 0) + count
    assert sum(faults.get(k, 0) for k in DISRUPTIVE) >= 4, faults
    assert len(faults) >= 3, f"several fault kinds struck: {faults}"
    assert "PASS" in proc.stdout and "command: scripts/soak" in proc.stdout
