"""Bandwidth's current Python SDK (``bandwidth-sdk`` 23.x) sends a message through the emulator.

The project's test extra pins ``bandwidth-sdk==3.1.0``, the old Catapult SDK published under the
same PyPI name and the same ``bandwidth`` module, so the two cannot share a virtualenv. This
test keeps the pinned 23.x in a virtualenv of its own, made once under the user's cache
(``~/.cache/bw-pulumi/sdk/``, or ``$BW_PULUMI_SDK_VENVS``) with the ordinary ``pip``, and runs
``sdk_probes/send_message_v2.py`` there against the emulator over real HTTP. When the
virtualenv cannot be made (no package index reachable) the test skips and says why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _emu_helpers import (
    Api,
    Receiver,
    app_body,
    create_app,
    import_into,
    messaging_location,
    wait_for,
)

SDK = "bandwidth-sdk==23.3.1"
PROBE = Path(__file__).resolve().parent / "sdk_probes" / "send_message_v2.py"
NUMBER = "9195550100"


def _venvs() -> Path:
    default = Path.home() / ".cache" / "bw-pulumi" / "sdk"
    return Path(os.environ.get("BW_PULUMI_SDK_VENVS", str(default)))


@pytest.fixture(scope="module")
def sdk_python() -> Path:
    """The python of a virtualenv holding ``SDK`` (made on first use, then reused)."""
    home = _venvs() / SDK.replace("==", "-")
    python = home / "bin" / "python"
    if (home / ".complete").exists():
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SDK],
            check=True,
            timeout=600,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"could not make a virtualenv with {SDK}: {exc}")
    (home / ".complete").write_text(SDK, encoding="utf-8")
    return python


def _probe(python: Path, args: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), str(PROBE), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


@pytest.fixture
def sending_app(api: Api, receiver: Receiver) -> str:
    extra = (
        f"<OutboundCallbackUrl>{receiver.url}/out</OutboundCallbackUrl><RequestedCallbackTypes>"
        "<CallbackType>message-delivered</CallbackType></RequestedCallbackTypes>"
    )
    app_id = create_app(api, app_body(inbound=f"{receiver.url}/in", extra=extra))
    import_into(api, messaging_location(api, app_id), NUMBER)
    return app_id


def _args(api: Api, app_id: str) -> dict[str, Any]:
    emu = api.emu
    return {
        "host": emu.messaging_url,
        "account_id": emu.account_id,
        "app": app_id,
        "from": "+1" + NUMBER,
        "to": "+19195550199",
        "text": "hi from the sdk",
    }


def test_sdk_sends_with_basic_auth(api: Api, sending_app: str, sdk_python: Path) -> None:
    args = {**_args(api, sending_app), "username": api.emu.username}
    answer = _probe(sdk_python, {**args, "password": api.emu.password})
    assert answer["version"].startswith("23.")
    assert answer["application_id"] == sending_app and answer["to"] == ["+19195550199"]
    sent = {m["id"]: m for m in api.emu.control.state()["messages_v2"]}
    assert sent[answer["id"]]["text"] == "hi from the sdk"
    wait_for(lambda: any(c["kind"] == "webhook" for c in api.emu.control.callbacks()))


def test_sdk_sends_with_oauth2_client_credentials(
    api: Api, sending_app: str, sdk_python: Path
) -> None:
    emu = api.emu
    args = {
        **_args(api, sending_app),
        "client_id": emu.client_id,
        "client_secret": emu.client_secret,
        "token_url": emu.token_url,
    }
    answer = _probe(sdk_python, args)
    assert answer["owner"] == "+1" + NUMBER
    # The SDK fetched a bearer token and sent with it (Basic was never configured).
    assert emu.control.stats()["requests"]["POST oauth.token"] == 1
