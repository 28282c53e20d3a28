"""The exception tree in ``bw_pulumi.errors``."""

from __future__ import annotations

import re
from pathlib import Path

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


# -- what the user reads (bw_pulumi._display shows str(error) as it is) --------------------------


def _error(
    cls: type[BandwidthError],
    status: int | None,
    api: str | None,
    details: tuple[ErrorDetail, ...] = (),
) -> str:
    path = "/v1/users/u-1/applications" if api == "catapult" else "/api/accounts/1/sites"
    return str(cls("DENIED", status=status, method="GET", path=path, api=api, details=details))


def test_a_single_bandwidth_error_stays_on_the_first_line_with_the_api_named() -> None:
    text = _error(ValidationError, 400, "dashboard", (ErrorDetail("5016", "Bad site."),))
    assert text == (
        "Bandwidth Dashboard GET /api/accounts/1/sites failed with HTTP 400: DENIED; "
        "[5016] Bad site."
    )


def test_dashboard_401_names_the_username_and_password_keys() -> None:
    assert _error(Unauthorized, 401, "dashboard").splitlines() == [
        "Bandwidth Dashboard GET /api/accounts/1/sites failed with HTTP 401: DENIED",
        "Bandwidth did not accept the credentials: check bandwidth:username and "
        "bandwidth:password (env BANDWIDTH_USERNAME, BANDWIDTH_PASSWORD); a refresh or destroy "
        "uses the ones saved by the last up: after changing them run pulumi destroy "
        "--run-program (or pulumi refresh --run-program), or pulumi up first.",
    ]


@pytest.mark.parametrize("cls, status", [(Unauthorized, 401), (Forbidden, 403)])
@pytest.mark.parametrize("api", ["dashboard", "catapult"])
def test_a_credential_hint_says_refresh_and_destroy_use_the_saved_config(
    cls: type[BandwidthError], status: int, api: str
) -> None:
    hint = _error(cls, status, api).splitlines()[1]
    assert "saved by the last up" in hint
    assert "pulumi destroy --run-program" in hint and "pulumi refresh --run-program" in hint


def test_the_env_var_rule_matches_every_config_key() -> None:
    from bw_pulumi.config import SETTINGS_KEYS

    for key, var in SETTINGS_KEYS.values():
        assert errors.env_var(key) == var


def test_errors_does_not_import_config_which_imports_it() -> None:
    import ast

    tree = ast.parse(Path(errors.__file__).read_text())
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert not any(name.endswith("config") for name in imported), imported


def test_dashboard_403_also_names_the_account_id_key() -> None:
    head, check = _error(
        Forbidden, 403, "dashboard", (ErrorDetail("1001", "Access Denied"),)
    ).splitlines()
    assert head.endswith("failed with HTTP 403: DENIED; [1001] Access Denied")
    assert "bandwidth:accountId, bandwidth:username and bandwidth:password" in check
    assert "BANDWIDTH_ACCOUNT_ID, BANDWIDTH_USERNAME, BANDWIDTH_PASSWORD" in check


def test_catapult_401_names_the_token_and_secret_keys() -> None:
    head, check = _error(Unauthorized, 401, "catapult").splitlines()
    assert head.startswith("Bandwidth Catapult GET /v1/users/u-1/applications failed with HTTP 401")
    assert check.startswith(
        "Bandwidth did not accept the credentials: check bandwidth:apiToken and "
        "bandwidth:apiSecret (env BANDWIDTH_API_TOKEN, BANDWIDTH_API_SECRET); "
    )


def test_catapult_403_names_the_user_id_token_and_secret_keys() -> None:
    check = _error(Forbidden, 403, "catapult").splitlines()[1]
    assert "bandwidth:userId, bandwidth:apiToken and bandwidth:apiSecret" in check
    assert "bandwidth:password" not in check


def test_connection_failure_names_the_base_url_key_and_the_url_a_refresh_uses() -> None:
    err = TransportError(
        "connection refused by http://127.0.0.1:9 after 3 attempts",
        method="GET",
        path="/v1/users/u-1/phoneNumbers",
        api="catapult",
    )
    assert str(err).splitlines() == [
        "Bandwidth Catapult GET /v1/users/u-1/phoneNumbers failed: connection refused by "
        "http://127.0.0.1:9 after 3 attempts",
        "Check bandwidth:catapultUrl (env BANDWIDTH_CATAPULT_URL) and the network; a refresh or "
        "destroy uses the URL saved by the last up (run pulumi up, or add --run-program).",
    ]


def test_every_key_a_hint_names_is_a_real_config_key() -> None:
    from bw_pulumi.config import SETTINGS_KEYS

    keys = {key for key, _ in SETTINGS_KEYS.values()}
    variables = {var for _, var in SETTINGS_KEYS.values()}
    for api in ("dashboard", "catapult"):
        for cls, status in ((Unauthorized, 401), (Forbidden, 403), (TransportError, None)):
            text = _error(cls, status, api)
            named = set(re.findall(r"bandwidth:\w+", text))
            assert named and named <= keys, (cls, api)
            assert set(re.findall(r"BANDWIDTH_\w+", text)) <= variables


def test_without_a_known_api_there_is_no_guessed_hint() -> None:
    assert _error(Unauthorized, 401, None) == (
        "Bandwidth GET /api/accounts/1/sites failed with HTTP 401: DENIED"
    )


def test_errors_that_need_no_hint_stay_one_line() -> None:
    for cls, status in ((NotFound, 404), (Conflict, 409), (RateLimited, 429), (ServerError, 503)):
        assert len(_error(cls, status, "dashboard").splitlines()) == 1, cls


def test_order_timeout_reads_as_one_line() -> None:
    err = OrderTimeout("import order o-1 is still PROCESSING after 600 s (wait_timeout).")
    assert str(err) == "import order o-1 is still PROCESSING after 600 s (wait_timeout)."
