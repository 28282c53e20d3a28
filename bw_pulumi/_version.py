"""The installed distribution's version: pyproject.toml is its one source."""

from __future__ import annotations

from importlib import metadata

__all__ = ["VERSION"]

try:
    VERSION = metadata.version("bw-pulumi")
except metadata.PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    VERSION = "0+unknown"
