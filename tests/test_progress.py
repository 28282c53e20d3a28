"""Progress lines: to the engine's log for the working resource inside the plugin (proven through
the plain CLI in tests/e2e/test_plain_cli_ownership.py), printed anywhere else."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bw_pulumi import _progress


def test_outside_the_plugin_a_line_is_printed_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert _progress.current_urn() is None
    _progress.say("placed import order o-1")
    assert capsys.readouterr().err == "bw-pulumi: placed import order o-1\n"


def test_worker_threads_carry_the_callers_resource() -> None:
    urn = "urn:pulumi:s::p::pulumi-python:dynamic/bandwidth:ImportTnOrder::numbers"
    token = _progress._URN.set(urn)  # as the server's request would name it up the stack
    try:
        carried = _progress.carrying_urn(lambda _item: _progress.current_urn())
    finally:
        _progress._URN.reset(token)
    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(carried, ["a", "b"])) == [urn, urn]
        assert list(pool.map(lambda _i: _progress.current_urn(), ["c"])) == [None]


def test_a_request_of_the_dynamic_server_up_the_stack_names_the_resource() -> None:
    class Request:
        urn = "urn:pulumi:s::p::pulumi-python:dynamic/bandwidth:Application::app"

    namespace = {"DynamicResourceProviderServicer": object, "current_urn": _progress.current_urn}
    exec("def Create(request):\n    return current_urn()\n", namespace)  # a server method
    assert namespace["Create"](Request()) == Request.urn
