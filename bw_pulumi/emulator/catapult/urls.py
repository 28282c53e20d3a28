"""The Catapult v1 route table (paths matched as sent). Endpoint names are public in
``GET /_emulator/stats`` and name the request budgets: never rename one.
"""

from __future__ import annotations

from bw_pulumi.emulator.catapult import responses as cat
from bw_pulumi.emulator.wire import Route
from bw_pulumi.emulator.wire import route as _route

__all__ = ["ROUTES"]

_U = "/v1/users/<user_id>"
_APP = f"{_U}/applications/<application_id>"
_NUM = f"{_U}/phoneNumbers/<number_id>"
ROUTES: list[Route] = [
    _route("POST", f"{_U}/applications", "catapult.applications.create", cat.create_application),
    _route("GET", f"{_U}/applications", "catapult.applications.list", cat.list_applications),
    _route("GET", _APP, "catapult.applications.get", cat.get_application),
    _route("POST", _APP, "catapult.applications.update", cat.update_application),
    _route("DELETE", _APP, "catapult.applications.delete", cat.delete_application),
    _route("POST", f"{_U}/phoneNumbers", "catapult.numbers.create", cat.create_number),
    _route("GET", f"{_U}/phoneNumbers", "catapult.numbers.list", cat.list_numbers),
    _route("GET", _NUM, "catapult.numbers.get", cat.get_number),
    _route("POST", _NUM, "catapult.numbers.update", cat.update_number),
    _route("DELETE", _NUM, "catapult.numbers.delete", cat.delete_number),
    _route("POST", f"{_U}/messages", "catapult.messages.create", cat.send_message),
    _route("GET", f"{_U}/messages/<message_id>", "catapult.messages.get", cat.get_message),
]
