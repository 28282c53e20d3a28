"""CLI: ``python -m bw_pulumi.emulator [--host H] [--port P] [--state-file F] ...``.

Prints the two base URLs and the credentials it accepts (flushed, so a parent process reading
the pipe sees them at once) and stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import sys

from bw_pulumi.emulator import missing_extra

# Before the modules that need werkzeug are imported: one line naming the extra, no traceback.
if __name__ == "__main__" and (_missing := missing_extra()):
    sys.exit(f"python -m bw_pulumi.emulator: {_missing}")

import argparse
import signal
import threading
from collections.abc import Sequence
from types import FrameType

from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.dashboard.models import DEFAULT_FAILING_CODE, DEFAULT_UNIMPORTABLE_CODE
from bw_pulumi.emulator.models import Accounts
from bw_pulumi.emulator.oauth import DEFAULT_TOKEN_SECONDS
from bw_pulumi.emulator.server import Emulator

_DEFAULTS = Accounts()


def _numbers(value: str, default: int) -> dict[str, int]:
    """``TN[,TN]``, each optionally ``TN:CODE``."""
    out: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        tn, _, code = item.partition(":")
        if len(tn) != 10 or not tn.isdigit():
            raise argparse.ArgumentTypeError(f"{tn!r} is not a 10-digit number")
        out[tn] = int(code) if code else default
    return out


#: The credentials the emulated APIs accept, and the config key each stands in for.
_CREDENTIALS = (
    ("--account-id", "account_id", "Dashboard account id it serves (in every path)", "accountId"),
    ("--username", "username", "Dashboard API user name it accepts (Basic auth)", "username"),
    ("--password", "password", "Dashboard API password it accepts (Basic auth)", "password"),
    ("--user-id", "user_id", "Catapult user id it serves (in every path)", "userId"),
    ("--api-token", "api_token", "Catapult API token it accepts (Basic auth user)", "apiToken"),
    ("--api-secret", "api_secret", "Catapult API secret it accepts (Basic password)", "apiSecret"),
)


def _credential_flags(p: argparse.ArgumentParser) -> None:
    """Each credential it accepts: what it is, the ``bandwidth:*`` key it matches, its default."""
    for flag, field, what, key in _CREDENTIALS:
        p.add_argument(
            flag,
            default=getattr(_DEFAULTS, field),
            help=f"{what}; stands in for bandwidth:{key} (default: %(default)s)",
        )


def _oauth_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--client-id",
        default=_DEFAULTS.client_id,
        help="OAuth2 client id it accepts at the token URL (bandwidth:clientId; "
        "default: %(default)s)",
    )
    p.add_argument(
        "--client-secret",
        default=_DEFAULTS.client_secret,
        help="OAuth2 client secret it accepts (bandwidth:clientSecret; default: %(default)s)",
    )
    p.add_argument(
        "--token-seconds",
        type=float,
        default=DEFAULT_TOKEN_SECONDS,
        help="lifetime of the OAuth2 bearer tokens it issues, in seconds (default: %(default)s)",
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bw_pulumi.emulator",
        description="Emulate Bandwidth's Dashboard, Catapult v1 and Messaging v2 APIs on one port.",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument(
        "--port", type=int, default=8080, help="0 picks a free port (default: %(default)s)"
    )
    p.add_argument("--state-file", help="JSON file the world survives restarts in")
    _credential_flags(p)
    _oauth_flags(p)
    p.add_argument(
        "--processing-seconds",
        type=float,
        default=1.0,
        help="time an order takes from RECEIVED to its end (0 = immediate)",
    )
    p.add_argument(
        "--after-reads",
        type=int,
        metavar="N",
        help="orders take one step per N reads of the order instead (overrides the seconds)",
    )
    p.add_argument(
        "--unimportable",
        default="",
        metavar="TN[:CODE][,...]",
        help=f"numbers importTnChecker rejects (code default {DEFAULT_UNIMPORTABLE_CODE})",
    )
    p.add_argument(
        "--failing",
        default="",
        metavar="TN[:CODE][,...]",
        help=f"numbers that pass the checker but fail in orders (default {DEFAULT_FAILING_CODE})",
    )
    p.add_argument(
        "--exception",
        default="",
        metavar="TN[,TN]",
        help="numbers whose import orders end EXCEPTION (the numbers stay out of service)",
    )
    return p


def _announce(emulator: Emulator) -> None:
    """The URLs and the credentials it accepts, one per line (tests and scripts read them)."""
    print(
        f"Dashboard API: {emulator.dashboard_url}  (also /api/v1 and /v1.0; "
        "/api/v2 is the Universal Platform dialect)"
    )
    print(f"Catapult API:  {emulator.catapult_url}/v1/users/{emulator.user_id}")
    print(f"Control API:   {emulator.base_url}/_emulator/")
    print(
        f"Dashboard credentials: accountId={emulator.account_id} "
        f"username={emulator.username} password={emulator.password}"
    )
    print(
        f"Catapult credentials:  userId={emulator.user_id} "
        f"apiToken={emulator.api_token} apiSecret={emulator.api_secret}"
    )
    print(f"Messaging API: {emulator.messaging_url}/users/{emulator.account_id}/messages")
    print(f"OAuth2 token:  {emulator.token_url}")
    print(
        f"OAuth2 client:         clientId={emulator.client_id} "
        f"clientSecret={emulator.client_secret} (tokens last {emulator.token_seconds:g} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        unimportable = _numbers(args.unimportable, DEFAULT_UNIMPORTABLE_CODE)
        failing = _numbers(args.failing, DEFAULT_FAILING_CODE)
        exception = list(_numbers(args.exception, 0))
    except argparse.ArgumentTypeError as exc:
        parser().error(str(exc))
    if args.after_reads is not None and args.after_reads < 1:
        parser().error("--after-reads needs at least 1")
    emulator = Emulator(
        processing_seconds=args.processing_seconds,
        progression=None if args.after_reads is None else Progression.after_reads(args.after_reads),
        state_file=args.state_file,
        account_id=args.account_id,
        username=args.username,
        password=args.password,
        user_id=args.user_id,
        api_token=args.api_token,
        api_secret=args.api_secret,
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_seconds=args.token_seconds,
        unimportable=unimportable,
        failing=failing,
        exception=exception,
        host=args.host,
        port=args.port,
    ).start()
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    _announce(emulator)
    print("Press Ctrl-C to stop.", flush=True)
    emulator.serve_until(stop)
    print("Emulator stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
