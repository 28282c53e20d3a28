"""``bw_pulumi._display``: the traceback proxy, against the SDK's own dynamic-server code.

The SDK's ``pulumi/dynamic/__main__.py`` starts its server when imported, so these tests load
its source without the final ``main()`` call and put it where the plugin has it: as
``sys.modules["__main__"]``. Its real ``_abort_with_traceback`` then reports errors.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import traceback
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bw_pulumi._display import TracebackProxy, install_error_display
from bw_pulumi.errors import BwPulumiError, ErrorDetail, OrderError, Unauthorized


class Aborted(Exception):
    """What grpc's ``context.abort`` raises."""


class RecordingContext:
    """The gRPC servicer context, as far as ``_abort_with_traceback`` uses it."""

    details: str | None = None

    def abort(self, code: Any, details: str) -> None:
        self.code, self.details = code, details
        raise Aborted(details)


def _server_module(name: str = "dynamic_server_under_test") -> types.ModuleType:
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    with open(spec.origin, encoding="utf-8") as source:
        tree = ast.parse(source.read(), spec.origin)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr) and ast.unparse(last) == "main()"
    tree.body.pop()
    module = types.ModuleType(name)
    module.__file__ = spec.origin
    exec(compile(tree, spec.origin, "exec"), module.__dict__)
    return module


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The dynamic server's module, installed as this process's ``__main__``."""
    module = _server_module()
    monkeypatch.setitem(sys.modules, "__main__", module)
    return module


def _reported(server: types.ModuleType, raise_: Callable[[], None]) -> str:
    """The gRPC details the server's wrapper sends when an RPC raises."""

    @server._abort_with_traceback
    def rpc(_self: object, _request: object, _context: object) -> None:
        raise_()

    context = RecordingContext()
    with pytest.raises(Aborted):
        rpc(None, None, context)
    assert context.details is not None
    return context.details


def _unauthorized() -> None:
    raise Unauthorized(
        "UNAUTHORIZED",
        status=401,
        method="GET",
        path="/api/accounts/1/importTnOrders",
        api="dashboard",
    )


def _bug() -> None:
    _ = {}["missing"]


def test_before_install_the_server_reports_every_error_with_its_traceback(
    server: types.ModuleType,
) -> None:
    # Importing bw_pulumi (done by this module) patched nothing.
    assert server.traceback is traceback
    assert _reported(server, _unauthorized).startswith("Traceback (most recent call last):")


def test_user_facing_error_is_reported_as_its_message_only(server: types.ModuleType) -> None:
    assert install_error_display() is True
    with pytest.raises(Unauthorized) as raised:
        _unauthorized()

    reported = _reported(server, _unauthorized)

    assert reported == str(raised.value)
    assert "Traceback" not in reported
    assert len(reported.splitlines()) == 2
    assert "bandwidth:password" in reported


def test_multi_error_order_failure_keeps_one_line_per_bandwidth_error(
    server: types.ModuleType,
) -> None:
    install_error_display()
    details = [ErrorDetail("19005", "No route.", ("9195550101",)), ErrorDetail("19006", "No.")]

    def refuse() -> None:
        raise OrderError("2 of 2 numbers cannot be imported", details=details)

    assert _reported(server, refuse).splitlines() == [
        "2 of 2 numbers cannot be imported",
        "  - [19005] No route. (numbers: 9195550101)",
        "  - [19006] No.",
    ]


def test_a_user_facing_error_without_text_is_reported_by_its_class_name(
    server: types.ModuleType,
) -> None:
    install_error_display()

    def silent() -> None:
        raise BwPulumiError()

    assert _reported(server, silent) == "BwPulumiError"


def test_a_bug_is_still_reported_with_its_full_traceback(server: types.ModuleType) -> None:
    install_error_display()

    reported = _reported(server, _bug)

    assert reported.startswith("Traceback (most recent call last):")
    assert "in _bug" in reported
    assert reported.rstrip().endswith("KeyError: 'missing'")


def test_install_is_idempotent(server: types.ModuleType) -> None:
    assert install_error_display() is True
    proxy = server.traceback
    assert install_error_display() is True

    assert server.traceback is proxy
    assert isinstance(proxy, TracebackProxy)
    assert proxy._real is traceback  # never a proxy of a proxy
    assert _reported(server, _bug).startswith("Traceback (most recent call last):")


def test_concurrent_installs_leave_exactly_one_proxy(server: types.ModuleType) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: install_error_display(), range(16)))

    assert results == [True] * 16
    assert isinstance(server.traceback, TracebackProxy)
    assert server.traceback._real is traceback


def test_install_is_a_no_op_outside_the_dynamic_server() -> None:
    main = sys.modules["__main__"]  # pytest's entry point, as the program's would be
    before = dict(vars(main))

    assert install_error_display() is False

    assert vars(main) == before


def test_install_leaves_a_server_that_reports_errors_differently_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A future SDK: same names, but the wrapper no longer reads `traceback.format_exc`.
    module = types.ModuleType("future_dynamic_server")
    exec(
        "import traceback\n"
        "def _abort_with_traceback(fn):\n"
        "    def wrapper(self, request, context):\n"
        "        return fn(self, request, context)\n"
        "    return wrapper\n"
        "class DynamicResourceProviderServicer:\n"
        "    @_abort_with_traceback\n"
        "    def Create(self, request, context):\n"
        "        pass\n",
        module.__dict__,
    )
    monkeypatch.setitem(sys.modules, "__main__", module)

    assert install_error_display() is False
    assert module.traceback is traceback


def test_install_leaves_someone_elses_traceback_replacement_alone(
    server: types.ModuleType,
) -> None:
    replacement = types.SimpleNamespace(format_exc=lambda *a, **k: "theirs")
    server.traceback = replacement

    assert install_error_display() is False
    assert server.traceback is replacement


def test_proxy_delegates_to_the_traceback_module_for_other_exceptions_and_names() -> None:
    proxy = TracebackProxy(traceback)
    try:
        _bug()
    except KeyError:
        assert proxy.format_exc() == traceback.format_exc()
        assert proxy.format_exc(limit=1) == traceback.format_exc(limit=1)
    assert proxy.format_exc() == traceback.format_exc()  # no exception being handled
    assert proxy.format_exception is traceback.format_exception
    assert proxy.print_exc is traceback.print_exc


def test_proxy_reports_the_message_of_a_bw_pulumi_error_being_handled() -> None:
    proxy = TracebackProxy(traceback)
    try:
        _unauthorized()
    except Unauthorized as exc:
        assert proxy.format_exc() == str(exc)
