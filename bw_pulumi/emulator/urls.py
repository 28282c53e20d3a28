"""The route tables: each API's own (its ``urls`` module, as moto keeps one per service) and the
control API's, written here.

One list of ``(rule, handler)`` pairs per API, because each API has its own path space and its
own handler context: Dashboard paths are matched after the app strips the base prefix (API doc
1.1), Messaging paths after its ``/api/v2`` base, Catapult and OAuth paths as sent, control
paths under ``/_emulator``. Endpoint names are public in
``GET /_emulator/stats`` and name the request budgets (:mod:`.traffic`): never rename one.
"""

from __future__ import annotations

from bw_pulumi.emulator import control as ctl
from bw_pulumi.emulator import oauth
from bw_pulumi.emulator.catapult.urls import ROUTES as CATAPULT
from bw_pulumi.emulator.dashboard.urls import ROUTES as DASHBOARD
from bw_pulumi.emulator.messaging.urls import ROUTES as MESSAGING
from bw_pulumi.emulator.wire import Route
from bw_pulumi.emulator.wire import route as _route

__all__ = ["CATAPULT", "CONTROL", "DASHBOARD", "MESSAGING", "OAUTH", "Route"]

#: The OAuth2 token endpoint, matched as sent (bandwidth-api.md 1.2).
OAUTH: list[Route] = [_route("POST", oauth.TOKEN_PATH, "oauth.token", oauth.issue_token)]

_C = "/_emulator"
CONTROL: list[Route] = [
    _route("GET", f"{_C}/state", "control.state", ctl.get_state),
    _route("POST", f"{_C}/reset", "control.reset", ctl.post_reset),
    _route("POST", f"{_C}/faults", "control.faults", ctl.post_faults),
    _route("POST", f"{_C}/limits", "control.limits", ctl.post_limits),
    _route("POST", f"{_C}/progression", "control.progression", ctl.post_progression),
    _route("POST", f"{_C}/settle", "control.settle", ctl.post_settle),
    _route("POST", f"{_C}/numbers", "control.numbers", ctl.post_numbers),
    _route("GET", f"{_C}/callbacks", "control.callbacks", ctl.get_callbacks),
    _route("POST", f"{_C}/inbound", "control.inbound", ctl.post_inbound),
    _route("GET", f"{_C}/stats", "control.stats", ctl.get_stats),
    _route("POST", f"{_C}/oauth", "control.oauth", ctl.post_oauth),
]
