"""What the engine shows for a failed provider call, through the real `python -m pulumi.dynamic`.

Errors a user can act on (BwPulumiError) arrive as their one- or two-line message, naming what
to check; anything else is a bug and arrives with its full traceback, as the SDK sends it.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from typing import Any

import pytest
from bw_helpers import (
    BW_API_SECRET,
    BW_PASSWORD,
    application_inputs,
    assert_no_credentials,
    bw_stack_config,
    order_inputs,
)
from harness import CheckFailed, Engine, ProviderError, Resource, Secret
from pulumi.dynamic import CreateResult

from bw_pulumi import ApplicationProvider, ImportTnOrderProvider
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import ConfigError
from bw_pulumi.resources._provider import BaseProvider

WRONG_PASSWORD = "wrong-dash-pw-51c2"
WRONG_SECRET = "wrong-cat-secret-a9e0"
USER_ERROR = "missing Bandwidth configuration: bandwidth:userId (or env BANDWIDTH_USER_ID)."


class FaultyProvider(BaseProvider):
    """A bw-pulumi provider (so configure installs the display) with a bug in create."""

    apis = ()

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get("user_error"):
            raise ConfigError(USER_ERROR)
        return CreateResult(props["not_an_input"], {})  # the bug: a KeyError


def _failed_create(
    engine: Engine, provider: Any, inputs: dict[str, Any], *, step: str = "Create"
) -> str:
    """What the engine shows for a failed `pulumi up` of a new resource (Check, then Create)."""
    with pytest.raises(ProviderError) as failed:
        engine.create(provider, inputs)
    assert failed.value.method == step
    return failed.value.details


def _refused_at_preview(engine: Engine, provider: Any, inputs: dict[str, Any]) -> str:
    """The reason of the one Check failure (no property) a wrong config gets at preview."""
    with pytest.raises(CheckFailed) as failed:
        engine.check({}, engine.program_inputs(provider, inputs))
    [(prop, reason)] = failed.value.failures
    assert prop == ""
    return reason


def _failed_unchecked_create(engine: Engine, provider: Any, inputs: dict[str, Any]) -> str:
    """A Create whose preview passed (say, the password was revoked in between)."""
    with pytest.raises(ProviderError) as failed:
        engine._create_checked(Resource("", {}, {}, "res"), engine.program_inputs(provider, inputs))
    assert failed.value.method == "Create"
    return failed.value.details


def _config(emu: Emulator, **overrides: Any) -> dict[str, Any]:
    return {**bw_stack_config(emu), **overrides}


def _two_lines(details: str) -> tuple[str, str]:
    """A user-facing error: what failed, then what to check; never a traceback."""
    assert "Traceback" not in details
    head, check = details.splitlines()
    return head, check


def test_wrong_dashboard_password_reads_as_two_lines_naming_the_password_key(
    start_engine: Callable[..., Engine], bw_emu: Emulator
) -> None:
    engine = start_engine(_config(bw_emu, **{"bandwidth:password": Secret(WRONG_PASSWORD)}))
    inputs = order_inputs(["9195550101"])
    refused = _refused_at_preview(engine, ImportTnOrderProvider(), inputs)
    details = _failed_unchecked_create(engine, ImportTnOrderProvider(), inputs)
    assert refused.splitlines()[1] == details.splitlines()[1]
    assert WRONG_PASSWORD not in refused

    head, check = _two_lines(details)
    assert re.fullmatch(
        rf"Bandwidth Dashboard (GET|POST) /api/accounts/{bw_emu.account_id}/\S+ "
        r"failed with HTTP 401: .+",
        head,
    ), head
    assert check.startswith(
        "Bandwidth did not accept the credentials: check bandwidth:username and "
        "bandwidth:password (env BANDWIDTH_USERNAME, BANDWIDTH_PASSWORD); a refresh or destroy "
        "uses the ones saved by the last up"
    )
    assert "?" not in head  # no query string
    assert WRONG_PASSWORD not in details
    assert_no_credentials(details)


def test_catapult_401_names_the_catapult_token_and_secret_keys(
    start_engine: Callable[..., Engine], bw_emu: Emulator
) -> None:
    engine = start_engine(
        _config(bw_emu, **{"bandwidth:apiSecret": Secret(WRONG_SECRET)}),
        env={"BW_PULUMI_RATE_SCALE": "20"},
    )
    refused = _refused_at_preview(engine, ApplicationProvider(), application_inputs())
    details = _failed_unchecked_create(engine, ApplicationProvider(), application_inputs())
    assert refused.splitlines()[1] == details.splitlines()[1]

    head, check = _two_lines(details)
    assert re.fullmatch(
        rf"Bandwidth Catapult (GET|POST) /v1/users/{bw_emu.user_id}/\S+ "
        r"failed with HTTP 401: .+",
        head,
    ), head
    assert check.startswith(
        "Bandwidth did not accept the credentials: check bandwidth:apiToken and "
        "bandwidth:apiSecret (env BANDWIDTH_API_TOKEN, BANDWIDTH_API_SECRET); "
    )
    assert "bandwidth:password" not in details  # the Dashboard keys are not to blame
    for secret in (WRONG_SECRET, BW_API_SECRET, BW_PASSWORD):
        assert secret not in details


def test_invalid_config_in_configure_reads_as_the_config_error_alone(
    start_engine: Callable[..., Engine], bw_emu: Emulator
) -> None:
    engine = start_engine(_config(bw_emu, **{"bandwidth:dashboardUrl": "ftp://dashboard"}))
    # The plugin configures a provider on its first call, the Check.
    details = _failed_create(
        engine, ImportTnOrderProvider(), order_inputs(["9195550101"]), step="Check"
    )

    assert details == (
        "bandwidth:dashboardUrl (env BANDWIDTH_DASHBOARD_URL) must be an http(s) URL such as "
        "'https://dashboard.bandwidth.com/api'; got 'ftp://dashboard'"
    )


def test_a_dashboard_url_nothing_listens_on_fails_fast_naming_the_url_tried(
    start_engine: Callable[..., Engine], bw_emu: Emulator
) -> None:
    with socket.socket() as probe:  # a free port, never listened on: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = start_engine(
        _config(bw_emu, **{"bandwidth:dashboardUrl": f"http://127.0.0.1:{port}/api"})
    )
    details = _refused_at_preview(engine, ImportTnOrderProvider(), order_inputs(["9195550101"]))

    head, check = _two_lines(details)
    assert re.fullmatch(
        rf"Bandwidth Dashboard (GET|POST) /api/accounts/{bw_emu.account_id}/\S+ failed: "
        rf"connection refused by http://127.0.0.1:{port} after 3 attempts",
        head,
    ), head
    assert check == (
        "Check bandwidth:dashboardUrl (env BANDWIDTH_DASHBOARD_URL) and the network; a refresh or "
        "destroy uses the URL saved by the last up (run pulumi up, or add --run-program)."
    )
    assert_no_credentials(details)


def test_a_bug_in_a_provider_still_reaches_the_engine_with_its_full_traceback(
    start_engine: Callable[..., Engine],
) -> None:
    engine = start_engine({})
    # The same plugin reports a user-facing error as its message: the display is installed.
    assert _failed_create(engine, FaultyProvider(), {"user_error": True}) == USER_ERROR

    details = _failed_create(engine, FaultyProvider(), {"value": "v"})

    assert details.startswith("Traceback (most recent call last):")
    assert 'in create\n    return CreateResult(props["not_an_input"], {})' in details
    assert details.rstrip().endswith("KeyError: 'not_an_input'")
