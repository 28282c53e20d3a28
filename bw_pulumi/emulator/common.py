"""Ids and times every API's objects use (no HTTP, no state)."""

from __future__ import annotations

import dataclasses
import secrets
import string
import time
import uuid
from datetime import datetime, timezone
from typing import Any

__all__ = ["iso_millis", "iso_seconds", "new_catapult_id", "new_uuid", "now", "to_dict"]

_ALNUM = string.ascii_lowercase + string.digits


def new_uuid() -> str:
    """Dashboard order and subscription ids are UUID strings (API doc 1.8)."""
    return str(uuid.uuid4())


def new_catapult_id(prefix: str) -> str:
    """``a-``/``n-``/``m-`` plus 23 lowercase alphanumerics (API doc 9, MOCK)."""
    return prefix + "-" + "".join(secrets.choice(_ALNUM) for _ in range(23))


def now() -> float:
    return time.time()


def iso_millis(epoch: float) -> str:
    """Dashboard timestamps: ISO-8601 UTC with milliseconds and ``Z`` (API doc 1.8)."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_seconds(epoch: float) -> str:
    """Catapult ``createdTime``/``time``: ISO-8601 UTC, seconds (API doc 11 fixture)."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_dict(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)
