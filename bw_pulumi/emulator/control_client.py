"""The HTTP client of the ``/_emulator/`` control API (``emu.control`` in tests and the bench).

Kept apart from :mod:`.control`, the server side, because users script a running emulator with
it from other processes and it must not pull in the server.
"""

from __future__ import annotations

from typing import Any

import requests

__all__ = ["ControlClient"]


class ControlClient:
    """Scripts a running emulator over HTTP (``emu.control`` in tests)."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/") + "/_emulator"
        self._timeout = timeout
        self._session = requests.Session()

    def _call(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        response = self._session.request(
            method, f"{self.base_url}/{name}", json=body, timeout=self._timeout
        )
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "state")
        return result

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def faults(self, **plan: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "faults", plan)
        return result

    def progression(self, mode: str, **settings: Any) -> dict[str, Any]:
        """How orders placed from now on progress: ``progression("reads", reads=1)``,
        ``progression("immediate")`` or ``progression("timed", seconds=1.5)``."""
        result: dict[str, Any] = self._call("POST", "progression", {"mode": mode, **settings})
        return result

    def settle(self) -> list[str]:
        """End every pending order now; the ids of the orders that were pending."""
        result: list[str] = self._call("POST", "settle", {})["settled"]
        return result

    def limits(self, **budgets: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "limits", budgets)
        return result

    def numbers(
        self,
        unimportable: dict[str, int] | None = None,
        failing: dict[str, int] | None = None,
        in_service: list[str] | None = None,
        exception: list[str] | None = None,
        undeliverable: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        body = {
            "unimportable": unimportable,
            "failing": failing,
            "in_service": in_service,
            "exception": exception,
            "undeliverable": undeliverable,
        }
        result: dict[str, Any] = self._call("POST", "numbers", body)
        return result

    def callbacks(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "callbacks")
        return result

    def inbound(self, from_: str, to: str, text: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "inbound", {"from": from_, "to": to, "text": text}
        )
        return result

    def oauth(self, *, token_seconds: float | None = None, expire: bool = False) -> dict[str, Any]:
        """Set the lifetime of tokens issued from now on, and/or expire every issued token."""
        body: dict[str, Any] = {"expire": expire}
        if token_seconds is not None:
            body["token_seconds"] = token_seconds
        result: dict[str, Any] = self._call("POST", "oauth", body)
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "stats")
        return result

    def close(self) -> None:
        self._session.close()
