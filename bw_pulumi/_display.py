"""Provider errors a user can act on reach the ``pulumi up`` display as their message only.

Why this patches the SDK: the dynamic provider server (``python -m pulumi.dynamic``, hence
``sys.modules["__main__"]`` in the plugin process) wraps every RPC in ``_abort_with_traceback``,
which answers any exception with ``context.abort(UNKNOWN, traceback.format_exc())``. The engine
shows that text twice (on the resource line and under Diagnostics), so a wrong password reads as
30 lines of Python frames. The SDK offers no hook; the wrapper looks ``traceback`` up in its
module's globals at call time, so we replace that one global with :class:`TracebackProxy`. Its
``format_exc()`` returns the message of a :class:`~bw_pulumi.errors.BwPulumiError` (whose text
says what failed and what to check) and the full traceback for every other exception: those
are bugs, and the frames are what a bug report needs.

:func:`install_error_display` runs from ``BaseProvider.configure`` (once per provider before any
call), never at import: importing bw_pulumi in a program or a test patches nothing. It is
idempotent and thread-safe, does nothing outside the dynamic server, and does nothing (rather
than fail) if a future SDK reports errors some other way.
"""

from __future__ import annotations

import sys
import threading
import traceback
import types
from collections.abc import MutableMapping
from typing import Any

from ._plugin_exit import note_failed_call
from .errors import BwPulumiError

__all__ = ["TracebackProxy", "install_error_display"]

_SERVICER = "DynamicResourceProviderServicer"
_WRAPPER = "_abort_with_traceback"
_lock = threading.Lock()


class TracebackProxy:
    """Stands in for the ``traceback`` module; only ``format_exc`` differs."""

    def __init__(self, real: types.ModuleType) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        note_failed_call()  # the server asks only when a call failed
        exc = sys.exc_info()[1]
        if isinstance(exc, BwPulumiError):
            try:
                return str(exc).strip() or type(exc).__name__
            except Exception:  # a message that cannot render: the traceback still tells
                pass
        return str(self._real.format_exc(limit, chain))


def _server_globals() -> MutableMapping[str, Any] | None:
    """The globals that ``_abort_with_traceback``'s wrappers read, if this is the dynamic server.

    Identified by shape, not by name: the module defines the servicer class and the wrapper, and
    the servicer's wrapped methods name ``traceback.format_exc`` and read this very namespace.
    """
    main = sys.modules.get("__main__")
    namespace = getattr(main, "__dict__", None)
    if not isinstance(namespace, dict):
        return None
    servicer = namespace.get(_SERVICER)
    if not isinstance(servicer, type) or not callable(namespace.get(_WRAPPER)):
        return None
    for method in vars(servicer).values():
        code = getattr(method, "__code__", None)
        if (
            getattr(method, "__globals__", None) is namespace
            and code is not None
            and {"traceback", "format_exc"} <= set(code.co_names)
        ):
            return namespace
    return None


def install_error_display() -> bool:
    """Make the dynamic server report :class:`BwPulumiError` as its message; True if in place.

    A no-op returning False when this process is not the dynamic provider server, or when the
    server's error reporting no longer has the shape described in the module docstring.
    """
    try:
        with _lock:
            namespace = _server_globals()
            if namespace is None:
                return False
            current = namespace.get("traceback")
            if isinstance(current, TracebackProxy):
                return True
            if current is not traceback:
                return False  # someone else's replacement, or a changed SDK: leave it alone
            namespace["traceback"] = TracebackProxy(traceback)
            return True
    except Exception:  # never let cosmetics break a provider call
        return False
