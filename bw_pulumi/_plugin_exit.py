"""Let the provider plugin exit in milliseconds, not a sixth of a second.

The engine ends every command by interrupting the provider plugin and waiting for it to exit
(``InterruptChildren``, then up to 5 s: sdk/go/common/resource/plugin/plugin.go), and the
command is not over until it has. Once the gRPC server stops, CPython's finalization runs one
last cyclic garbage collection over every object that pulumi, grpc and protobuf created: about
150 ms of every ``up``, ``refresh`` and ``destroy`` on the benchmark machine, 20 ms with the heap
frozen. Frozen objects are still freed by reference counting; only cycles are left for the
operating system to reclaim with the process. Nothing in the plugin needs a cycle finalized at
exit: sockets and files close with the process, and the interpreter flushes stdio regardless.

Not after a failed call: the engine then cancels the program while the plugin exits, and a
plugin gone 150 ms sooner let it interrupt the program in the middle of its own shutdown, which
printed Python tracebacks under the stack's row of a failed ``up`` (3 runs in 6 with a wrong
password, through the plain CLI; none in 6 with the slower exit). The dynamic server reports
every failed call through ``traceback.format_exc``, which :mod:`bw_pulumi._display` answers, so
that is where :func:`note_failed_call` is called.

Registered by ``BaseProvider.configure`` once the error display is in place: that also tells it
this process is the plugin (``python -m pulumi.dynamic``), never a program, a test or anyone
else's process.
"""

from __future__ import annotations

import atexit
import gc

__all__ = ["freeze_heap_at_exit", "note_failed_call"]

_failed_call = False


def freeze_heap_at_exit() -> None:
    """Freeze the heap when this (plugin) process exits, unless a call failed. Idempotent."""
    atexit.unregister(_freeze_unless_a_call_failed)
    atexit.register(_freeze_unless_a_call_failed)


def note_failed_call() -> None:
    """A provider call failed in this process: let it exit as CPython does."""
    global _failed_call
    _failed_call = True


def _freeze_unless_a_call_failed() -> None:
    if not _failed_call:
        gc.freeze()
