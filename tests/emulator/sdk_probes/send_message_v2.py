"""Run by tests/emulator/test_bandwidth_sdk_v2.py in a virtualenv holding ``bandwidth-sdk`` 23.x
(not in the project's: the test extra pins the old Catapult SDK under the same PyPI name).

Sends one message with Bandwidth's own ``MessagesApi`` and prints the answer as JSON. The
argument is a JSON object: host, account_id, app, from, to and either username/password or
client_id/client_secret/token_url.
"""

from __future__ import annotations

import json
import sys

import bandwidth  # type: ignore[import-not-found]
from bandwidth.models.message_request import MessageRequest  # type: ignore[import-not-found]


def main() -> None:
    args = json.loads(sys.argv[1])
    # ignore_operation_servers: else the operation's own server (messaging.bandwidth.com) wins.
    settings = {"host": args["host"], "ignore_operation_servers": True}
    if "client_id" in args:
        settings.update(
            client_id=args["client_id"],
            client_secret=args["client_secret"],
            access_token_url=args["token_url"],
        )
    else:
        settings.update(username=args["username"], password=args["password"])
    with bandwidth.ApiClient(bandwidth.Configuration(**settings)) as client:
        request = MessageRequest(
            application_id=args["app"], to=[args["to"]], var_from=args["from"], text=args["text"]
        )
        message = bandwidth.MessagesApi(client).create_message(args["account_id"], request)
    answer = {
        "version": bandwidth.__version__,
        "id": message.id,
        "owner": message.owner,
        "application_id": message.application_id,
        "segment_count": message.segment_count,
        "to": message.to,
        "time": message.time.isoformat() if message.time else None,
    }
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
