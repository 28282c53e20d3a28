"""The exception tree in ``bw_pulumi.errors``."""

from __future__ import annotations

import pytest

from bw_pulumi import errors
from bw_pulumi.errors import (
    BandwidthError,
    BwPulumiError,
    ConfigError,
    Conflict,
    ErrorDetail,
    Forbidden,
    NotFound,
    OrderError,
    OrderTimeout,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationError,
    error_for_status,
)


def test_error_detail_renders_code_description_and_numbers() -> None:
    assert str(ErrorDetail("5158", "Not imported.")) == "[5158] Not imported."
    assert str(ErrorDetail(None, "The resource does not exist")) == "The resource does not exist"
    detail = ErrorDetail("19006", "No.", ("9195550100", "9195550101"))
    assert str(detail) == "[19006] No. (numbers: 9195550100, 9195550101)"


def test_bandwidth_error_names_method_path_status_and_every_detail() -> None:
    err = NotFound(
        "Not Found",
        status=404,
        method="GET",
        path="/api/accounts/1/subscriptions/x",
        details=[ErrorDetail("16000", "Subscription x not found"), ErrorDetail(None, "extra")],
    )
    text = str(err)
    assert text.splitlines()[0] == (
        "Bandwidth GET /api/accounts/1/subscriptions/x failed with HTTP 404: Not Found"
    )
    assert "  - [16000] Subscription x not found" in text
    assert "  - extra" in text
    assert err.codes == ["16000"]
    assert (err.status, err.method, err.path, err.message) == (
        404,
        "GET",
        "/api/accounts/1/subscriptions/x",
        "Not Found",
    )


def test_bandwidth_error_without_location_or_status_still_reads() -> None:
    assert str(BandwidthError("boom")) == "Bandwidth request failed: boom"
    assert str(BandwidthError("", status=500)) == "Bandwidth request failed with HTTP 500"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (409, Conflict),
        (422, ValidationError),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
        (599, ServerError),
        (418, BandwidthError),
    ],
)
def test_error_for_status_maps_each_status(status: int, cls: type[BandwidthError]) -> None:
    assert error_for_status(status) is cls


def test_every_error_is_a_bw_pulumi_error() -> None:
    for cls in (
        ConfigError,
        BandwidthError,
        ValidationError,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        RateLimited,
        ServerError,
        TransportError,
        OrderError,
        OrderTimeout,
    ):
        assert issubclass(cls, BwPulumiError)
    assert issubclass(OrderTimeout, OrderError)
    assert not issubclass(OrderError, BandwidthError)


def test_order_error_lists_every_detail() -> None:
    err = OrderError(
        "import order o-1 FAILED",
        order_id="o-1",
        status="FAILED",
        details=[ErrorDetail("5016", "The SiteId submitted is invalid.", ("9193039169",))],
    )
    assert str(err).splitlines() == [
        "import order o-1 FAILED",
        "  - [5016] The SiteId submitted is invalid. (numbers: 9193039169)",
    ]
    assert (err.order_id, err.status) == ("o-1", "FAILED")


def test_public_names_are_sorted_and_exported() -> None:
    assert errors.__all__ == sorted(errors.__all__)
    for name in errors.__all__:
        assert hasattr(errors, name)
