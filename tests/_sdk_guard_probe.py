"""Run in a fresh interpreter by test_public_surface: is the SDK patched, and when?"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import dynamic

import bw_pulumi


def guarded() -> str:
    return (
        "guarded"
        if getattr(dynamic.serialize_provider, "_bw_pulumi_guarded", False)
        else ("unguarded")
    )


class Mocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", args.inputs

    def call(self, args: Any) -> dict[str, Any]:
        return {}


print(f"after-import:{guarded()}")
pulumi.runtime.set_mocks(Mocks(), preview=False)
bw_pulumi.Application("a", bw_pulumi.ApplicationArgs(name="n", incoming_message_url="http://x"))
print(f"after-construction:{guarded()}")
