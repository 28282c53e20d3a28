"""The installed distribution's version: pyproject.toml is its one source."""

from __future__ import annotations

import functools

__all__ = ["version"]


@functools.lru_cache(maxsize=1)
def version() -> str:
    """Read once, when first asked (a User-Agent, ``bw_pulumi.__version__``): importlib.metadata
    costs ~10 ms of every provider process's start, and most never send a request."""
    from importlib import metadata

    try:
        return metadata.version("bw-pulumi")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree never installed
        return "0+unknown"
