"""Guard against a Pulumi Python SDK leak that breaks programs with ~900+ dynamic resources.

``pulumi.dynamic.dynamic.serialize_provider`` (seen in SDK 3.272) swaps ``pickle.Pickler`` for
``pickle._Pickler`` and wraps ``_Pickler._batch_setitems`` (and ``save_dict``) with a sorting
wrapper around the *current* method, but restores only ``pickle.Pickler``. Each dynamic resource
constructed therefore adds a wrapper layer, and around the 900th the program dies with
``RecursionError`` (probably pulumi/pulumi#17803, closed upstream as "no repro"). A hosted-messaging
stack has one PhoneNumber per number, so 1,000 numbers hit it. We restore both methods after every
call: each call then wraps the originals exactly once and produces the same bytes.

Installed by the first bw-pulumi resource constructed (its ``__init__``, before the SDK pickles
the provider), not at import: importing the package changes nothing in the SDK.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import dynamic

__all__ = ["install_serialize_provider_guard"]

_MARK = "_bw_pulumi_guarded"


def install_serialize_provider_guard() -> None:
    """Idempotent; a no-op on SDKs without ``pickle._Pickler`` patching to undo."""
    original: Callable[[Any], str] = dynamic.serialize_provider
    pickler: Any = getattr(pickle, "_Pickler", None)
    if getattr(original, _MARK, False) or pickler is None:
        return

    @functools.wraps(original)
    def serialize_provider(provider: Any) -> str:
        saved = (pickler._batch_setitems, pickler.save_dict)
        try:
            return original(provider)
        finally:
            pickler._batch_setitems, pickler.save_dict = saved

    setattr(serialize_provider, _MARK, True)
    dynamic.serialize_provider = serialize_provider
