"""The HTTP session of a transport, with what the environment says about proxies read once."""

from __future__ import annotations

import os

import requests

__all__ = ["session_for"]


def session_for(base_url: str) -> requests.Session:
    """A session with the environment's proxy and CA-bundle settings read once, for this host.

    requests reads them again for every request (scanning the whole environment: about a third
    of a request's CPU in a bulk run of 1000). A provider process serves one operation against
    one host, so once is the same answer; ``NO_PROXY`` is applied to that host as requests would.
    """
    session = requests.Session()
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False  # credentials are explicit: no .netrc look-up is lost
    return session
