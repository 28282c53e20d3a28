"""Rate-limit shapes, seeded faults, budgets and request counters."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from _emu_helpers import Api

from bw_pulumi.emulator import Emulator


def test_dashboard_429_is_empty_with_reset_in_epoch_seconds(api: Api) -> None:
    api.emu.control.faults(seed=1, p429=1.0)
    response = api.d("GET", "/subscriptions")
    assert response.status_code == 429
    assert response.content == b""
    reset = int(response.headers["X-RateLimit-Reset"])
    assert time.time() - 5 < reset < time.time() + 60  # seconds, not milliseconds


def test_catapult_429_is_json_without_message_and_reset_in_milliseconds(api: Api) -> None:
    api.emu.control.faults(seed=1, p429=1.0)
    response = api.c("GET", "/applications")
    assert response.status_code == 429
    body = response.json()
    assert body["category"] == "too-many-requests" and body["code"] == "rate-limit-reached"
    assert "message" not in body
    reset = int(response.headers["X-RateLimit-Reset"])
    assert time.time() * 1000 - 5000 < reset < time.time() * 1000 + 60000
    assert {"name": "rateLimitResetTime", "value": str(reset)} in body["details"]


def _outcomes(api: Api, seed: int) -> list[int | str]:
    api.emu.control.faults(seed=seed, p500=0.2, p503=0.2, pdrop=0.2)
    seen: list[int | str] = []
    for _ in range(20):
        try:
            seen.append(api.d("GET", "/subscriptions").status_code)
        except requests.ConnectionError:
            seen.append("drop")
    return seen


def test_faults_follow_the_seed_and_empty_plan_turns_them_off(api: Api) -> None:
    first, second = _outcomes(api, 7), _outcomes(api, 7)
    assert first == second
    assert {500, 503, "drop", 200} <= set(first)
    api.emu.control.faults()
    assert api.d("GET", "/subscriptions").status_code == 200


def test_faults_never_touch_the_control_api(api: Api) -> None:
    api.emu.control.faults(seed=3, p503=1.0)
    assert api.emu.control.state()["applications"] == []
    assert api.emu.control.stats()["status"] == {}


def test_application_budget_answers_429_then_recovers(api: Api) -> None:
    api.emu.control.limits(catapult_applications_per_second=1, scale=20)
    assert api.c("GET", "/applications").status_code == 200
    limited = api.c("GET", "/applications")
    assert limited.status_code == 429 and "X-RateLimit-Reset" in limited.headers
    deadline = time.monotonic() + 2
    while api.c("GET", "/applications").status_code == 429:
        assert time.monotonic() < deadline
    api.emu.control.limits()
    assert all(api.c("GET", "/applications").status_code == 200 for _ in range(3))


def test_stats_count_requests_by_route_and_status(api: Api) -> None:
    api.d("GET", "/subscriptions")
    api.d("GET", "/subscriptions")
    api.c("GET", "/applications/a-missing")
    stats = api.emu.control.stats()
    assert stats["requests"]["GET dashboard.subscriptions.list"] == 2
    assert stats["requests"]["GET catapult.applications.get"] == 1
    assert stats["status"] == {"200": 2, "404": 1}
    assert stats["total"] == 3


def test_stats_say_when_each_route_was_first_and_last_asked_for(api: Api) -> None:
    before = time.time()
    api.d("GET", "/subscriptions")
    between = time.time()
    api.d("GET", "/subscriptions")
    first, last = api.emu.control.stats()["seen"]["GET dashboard.subscriptions.list"]
    assert before <= first <= between <= last <= time.time()


def test_reset_forgets_everything(api: Api) -> None:
    api.emu.control.numbers(in_service=["9195550100"], failing={"9195550101": 19005})
    api.c("POST", "/applications", json={"name": "a", "incomingMessageUrl": "http://x/y"})
    api.emu.control.reset()
    state = api.emu.control.state()
    assert state["in_service"] == [] and state["applications"] == [] and state["failing"] == {}


@pytest.mark.parametrize("bad", [{"p429": "x"}, {"nope": 1}])
def test_control_rejects_bad_fault_plans(emu: Emulator, bad: dict[str, object]) -> None:
    response = requests.post(f"{emu.base_url}/_emulator/faults", json=bad, timeout=5)
    assert response.status_code == 400


def test_concurrent_creates_are_all_kept(api: Api) -> None:
    def create_one(i: int) -> int:
        body = {"name": f"app{i}", "incomingMessageUrl": "http://x/y"}
        return api.c("POST", "/applications", json=body).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(create_one, range(64)))
    assert statuses == [201] * 64
    apps = api.emu.control.state()["applications"]
    assert len({a["id"] for a in apps}) == 64
