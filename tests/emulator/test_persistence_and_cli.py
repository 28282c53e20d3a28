"""A state file keeps the world across restarts; the CLI prints its URLs and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests
from _emu_helpers import (
    Api,
    create,
    create_app,
    import_body,
    import_into,
    messaging_location,
    post_order,
    subscription_body,
    wait_for,
)

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator, Progression


def test_restart_on_the_same_state_file_keeps_every_object(tmp_path: Path) -> None:
    state_file = tmp_path / "world.json"
    with Emulator(processing_seconds=0, state_file=state_file) as first:
        api = Api(first)
        sid = create(api, subscription_body())
        order_id = post_order(api, "importTnOrders", import_body("9195550100"))
        app = api.c("POST", "/applications", json={"name": "a", "incomingMessageUrl": "http://x/"})
        app_id = app.headers["Location"].rsplit("/", 1)[1]
        number = api.c(
            "POST",
            "/phoneNumbers",
            json={
                "number": "+19195550100",
                "applicationId": app_id,
                "provider": {
                    "providerName": "bandwidth-dashboard",
                    "properties": {
                        "accountId": first.account_id,
                        "userName": first.username,
                        "password": first.password,
                    },
                },
            },
        )
        assert number.status_code == 201
        before = first.control.state()
    with Emulator(processing_seconds=0, state_file=state_file) as second:
        api = Api(second)
        after = second.control.state()
        for key in ("import_orders", "in_service", "applications", "phone_numbers"):
            assert after[key] == before[key], key
        assert [s["id"] for s in after["subscriptions"]] == [sid]
        assert api.d("GET", f"/subscriptions/{sid}").status_code == 200
        got = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}").content)
        assert _xml.find_text(got, "ProcessingStatus") == "COMPLETE"
        assert api.c("GET", f"/applications/{app_id}").status_code == 200
        assert api.d("GET", "/inserviceNumbers/9195550100").status_code == 200


def test_restart_keeps_the_site_of_each_in_service_number(tmp_path: Path) -> None:
    state_file = tmp_path / "world.json"
    with Emulator(processing_seconds=0, state_file=state_file) as first:
        post_order(Api(first), "importTnOrders", import_body("9195550100"))
    with Emulator(processing_seconds=0, state_file=state_file) as second:
        api = Api(second)
        listed = _xml.parse(api.d("GET", "/sites/743/inserviceNumbers").content)
        assert _xml.texts(listed, "TelephoneNumber") == ["9195550100"]
        assert api.d("GET", "/sites/744/inserviceNumbers").status_code == 204


def test_orders_pending_at_shutdown_resume_after_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "world.json"
    # Progression by reads: the order is certainly still pending when the first run stops.
    with Emulator(progression=Progression.after_reads(1), state_file=state_file) as first:
        order_id = post_order(Api(first), "importTnOrders", import_body("9195550100"))
    with Emulator(state_file=state_file) as second:
        api = Api(second)

        def status() -> str | None:
            root = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}").content)
            return _xml.find_text(root, "ProcessingStatus")

        assert second.control.state()["in_service"] == []
        assert [status(), status()] == ["PROCESSING", "COMPLETE"]
        assert second.control.state()["in_service"] == ["9195550100"]


def test_timed_orders_keep_their_absolute_due_times_across_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "world.json"
    with Emulator(processing_seconds=600, state_file=state_file) as first:
        post_order(Api(first), "importTnOrders", import_body("9195550100"))
        [before] = first.control.state()["import_orders"]
    with Emulator(processing_seconds=600, state_file=state_file) as second:
        [after] = second.control.state()["import_orders"]
    assert after["status"] == "RECEIVED"
    assert after["pending"] == before["pending"] and len(after["pending"]) == 2


def test_current_platform_objects_survive_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "v2.json"
    with Emulator(processing_seconds=0, state_file=state_file) as first:
        api = Api(first)
        app_id = create_app(api)
        peer = messaging_location(api, app_id)
        import_into(api, peer, "9195550100")
        api.d("POST", "/sites", data="<Site><Name>Extra</Name></Site>")
        before = first.control.state()
    with Emulator(processing_seconds=0, state_file=state_file) as second:
        after = second.control.state()
        settings = f"/sites/14/sippeers/{peer}/products/messaging/applicationSettings"
        got = _xml.parse(Api(second).d("GET", settings).content)
    for key in ("dashboard_applications", "sites", "sip_peers", "in_service_peers"):
        assert after[key] == before[key], key
    assert _xml.find_text(got, "HttpMessagingV2AppId") == app_id


def test_cli_prints_urls_and_credentials_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bw_pulumi.emulator", "--port", "0", "--account-id", "5550001",
         "--processing-seconds", "0", "--failing", "9195550101:19005",
         "--exception", "9195550102", "--client-id", "emulator-client-id",
         "--state-file", str(tmp_path / "cli.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(9)]
        text = "".join(lines)
        dashboard = re.search(r"Dashboard API: (http://\S+/api)", text)
        assert dashboard is not None, text
        assert "accountId=5550001" in text and "apiToken=" in text
        assert "/api/v2/users/5550001/messages" in text
        assert "/api/v1/oauth2/token" in text and "clientId=emulator-client-id" in text
        base = dashboard.group(1).removesuffix("/api")
        state = requests.get(f"{base}/_emulator/state", timeout=5).json()
        assert state["failing"] == {"9195550101": 19005}
        assert state["exception"] == ["9195550102"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert (tmp_path / "cli.json").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def test_a_state_file_saved_before_progressions_existed_still_loads(tmp_path: Path) -> None:
    # The format as written before orders carried their progression: no reads fields.
    order = {
        "order_id": "5bb3b642-cbbb-4438-9a44-56069550d603",
        "kind": "import",
        "created": 1_700_000_000.0,
        "last_modified": 1_700_000_000.0,
        "created_by": "emulator-user",
        "telephone_numbers": ["9195550100"],
        "status": "RECEIVED",
        "customer_order_id": "old-1",
        "site_id": "743",
        "history": [{"at": 1_700_000_000.0, "status": "RECEIVED", "note": "n", "author": "a"}],
        "pending": [[1_700_000_000.5, "PROCESSING"], [1_700_000_001.0, "RESOLVE"]],
    }
    saved = {"version": 1, "orders": [order], "in_service": {}, "exception": []}
    state_file = tmp_path / "old.json"
    state_file.write_text(json.dumps(saved), encoding="utf-8")
    with Emulator(state_file=state_file) as emu:
        api = Api(emu)
        # Its due times passed long ago: the clock finishes it as soon as the emulator starts.
        got = wait_for(lambda: emu.control.state()["in_service"])
        assert got == ["9195550100"]
        root = _xml.parse(api.d("GET", f"/importTnOrders/{order['order_id']}").content)
        assert _xml.find_text(root, "ProcessingStatus") == "COMPLETE"
