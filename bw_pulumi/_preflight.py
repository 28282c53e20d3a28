"""``check_importability``: importTnChecker for programs that want a preflight report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._numbers import to_ten_digits
from ._runtime import RUNTIME
from .config import SETTINGS_KEYS, Settings
from .errors import ErrorDetail
from .resources._import_checks import positive_id

__all__ = ["ImportabilityReport", "check_importability"]


@dataclass(frozen=True)
class ImportabilityReport:
    """Which numbers Bandwidth would import, and why the others would fail (code, description)."""

    importable: tuple[str, ...]
    unimportable: Mapping[str, ErrorDetail]

    @property
    def ok(self) -> bool:
        return not self.unimportable


def _program_config() -> dict[str, object]:
    """``bandwidth:*`` from the running Pulumi program, if there is one."""
    try:
        import pulumi

        cfg = pulumi.Config("bandwidth")
        return {key: cfg.get(key.split(":", 1)[1]) for key, _ in SETTINGS_KEYS.values()}
    except Exception:  # not inside a Pulumi program: environment variables only
        return {}


def check_importability(
    telephone_numbers: Sequence[str],
    site_id: str | None = None,
    sip_peer_id: str | None = None,
    *,
    config: Mapping[str, object] | None = None,
) -> ImportabilityReport:
    """Ask importTnChecker about ``telephone_numbers`` (any common form) without ordering.

    Credentials come from ``config`` (``bandwidth:*`` keys), else the program's stack config,
    else ``BANDWIDTH_*`` environment variables. A clean report does not guarantee the import
    succeeds (Bandwidth says so). A ``site_id`` or ``sip_peer_id`` that is not a positive whole
    number raises ``ValueError`` naming it (Bandwidth would refuse the order with 7309).
    """
    site_id, sip_peer_id = _id_text("site_id", site_id), _id_text("sip_peer_id", sip_peer_id)
    settings = Settings.load(config if config is not None else _program_config())
    client = RUNTIME.dashboard(settings)
    numbers = sorted({to_ten_digits(n) for n in telephone_numbers})
    result = client.check_importability(numbers, site_id, sip_peer_id)
    bad = {
        tn: ErrorDetail(e.code, e.description, (tn,))
        for e in result.errors
        for tn in e.telephone_numbers
    }
    return ImportabilityReport(tuple(n for n in numbers if n not in bad), bad)


def _id_text(name: str, value: object) -> str | None:
    """``value`` as the id text Bandwidth takes, or ``ValueError`` naming the argument."""
    if value is None:
        return None
    text = positive_id(value)
    if text is None:
        raise ValueError(f"{name} must be a positive whole number such as 14; got {value!r}")
    return text
