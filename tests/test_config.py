"""Provider settings from ``bandwidth:*`` stack config with environment variables as fallback."""

from __future__ import annotations

import pytest

from bw_pulumi.config import (
    DEFAULT_CATAPULT_URL,
    DEFAULT_DASHBOARD_URL,
    DEFAULT_UNIVERSAL_DASHBOARD_URL,
    SETTINGS_KEYS,
    Settings,
)
from bw_pulumi.errors import ConfigError

FULL_CONFIG = {
    "bandwidth:accountId": "9900778",
    "bandwidth:username": "api-user",
    "bandwidth:password": "dash-secret",
    "bandwidth:dashboardUrl": "http://127.0.0.1:8080/api/",
    "bandwidth:userId": "u-1",
    "bandwidth:apiToken": "t-1",
    "bandwidth:apiSecret": "cat-secret",
    "bandwidth:catapultUrl": "http://127.0.0.1:8080",
}


def test_stack_config_is_read_with_full_keys() -> None:
    s = Settings.load(FULL_CONFIG, env={})
    assert s.dashboard_credentials() == ("9900778", "api-user", "dash-secret")
    assert s.catapult_credentials() == ("u-1", "t-1", "cat-secret")
    assert s.dashboard_url == "http://127.0.0.1:8080/api"  # trailing slash dropped
    assert s.catapult_url == "http://127.0.0.1:8080"


def test_environment_fills_what_config_lacks_and_config_wins() -> None:
    free_text = {a for a in SETTINGS_KEYS if "url" not in a and a != "dashboard_dialect"}
    env = {var: f"env-{attr}" for attr, (_, var) in SETTINGS_KEYS.items() if attr in free_text}
    s = Settings.load({"bandwidth:username": "from-config", "bandwidth:password": "  "}, env=env)
    assert s.username == "from-config"
    assert s.password == "env-password"  # a blank config value falls back to the env var
    assert s.account_id == "env-account_id"


def test_urls_default_to_production() -> None:
    s = Settings.load({}, env={})
    assert (s.dashboard_url, s.catapult_url) == (DEFAULT_DASHBOARD_URL, DEFAULT_CATAPULT_URL)
    assert DEFAULT_DASHBOARD_URL == "https://dashboard.bandwidth.com/api"


def test_catapult_url_as_bandwidth_documents_it_with_v1_is_accepted() -> None:
    s = Settings.load({"bandwidth:catapultUrl": "https://api.catapult.inetwork.com/v1/"}, env={})
    assert s.catapult_url == "https://api.catapult.inetwork.com"


@pytest.mark.parametrize(
    "url", ["ftp://host/api", "dashboard.bandwidth.com/api", "http://h/api?x=1", "http://h/#f"]
)
def test_bad_dashboard_url_names_key_and_env_var(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load({"bandwidth:dashboardUrl": url}, env={})
    assert "bandwidth:dashboardUrl" in str(info.value)
    assert "BANDWIDTH_DASHBOARD_URL" in str(info.value)


def test_credentials_inside_a_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load({"bandwidth:catapultUrl": "https://tok:url-s3cret@api.example.com"}, env={})
    assert "bandwidth:catapultUrl" in str(info.value)
    assert "url-s3cret" not in str(info.value)


def test_missing_credentials_name_every_key_and_env_var() -> None:
    s = Settings.load({"bandwidth:accountId": "1"}, env={})
    with pytest.raises(ConfigError) as info:
        s.dashboard_credentials()
    text = str(info.value)
    for key, var in (SETTINGS_KEYS["username"], SETTINGS_KEYS["password"]):
        assert key in text and var in text
    assert "bandwidth:accountId" not in text
    with pytest.raises(ConfigError, match="BANDWIDTH_API_SECRET"):
        s.catapult_credentials()


def test_secrets_never_appear_in_repr() -> None:
    text = repr(Settings.load(FULL_CONFIG, env={}))
    assert "dash-secret" not in text and "cat-secret" not in text
    assert "api-user" in text


def test_non_string_config_values_are_stringified() -> None:
    s = Settings.load({"bandwidth:accountId": 9900778}, env={})
    assert s.account_id == "9900778"


# -- the Dashboard dialect (bandwidth:dashboardDialect) -------------------------------------------


def _platform(config: dict[str, str], env: dict[str, str] | None = None) -> tuple[str, str]:
    s = Settings.load(config, env=env or {})
    return s.dashboard_dialect, s.dashboard_url


def test_the_dialect_defaults_to_classic_at_the_classic_url() -> None:
    assert _platform({}) == ("classic", DEFAULT_DASHBOARD_URL)
    assert _platform({"bandwidth:dashboardUrl": "http://127.0.0.1:8080/api"})[0] == "classic"


def test_a_universal_platform_url_selects_the_universal_dialect() -> None:
    url = "http://127.0.0.1:8080/api/v2/"
    assert _platform({"bandwidth:dashboardUrl": url}) == (
        "universal",
        "http://127.0.0.1:8080/api/v2",
    )


def test_the_universal_dialect_alone_uses_bandwidths_universal_platform_base() -> None:
    assert DEFAULT_UNIVERSAL_DASHBOARD_URL == "https://api.bandwidth.com/api/v2"
    assert _platform({"bandwidth:dashboardDialect": "Universal"}) == (
        "universal",
        DEFAULT_UNIVERSAL_DASHBOARD_URL,
    )
    env = {"BANDWIDTH_DASHBOARD_DIALECT": "universal"}
    assert _platform({}, env) == ("universal", DEFAULT_UNIVERSAL_DASHBOARD_URL)
    assert _platform({"bandwidth:dashboardDialect": "classic"}, env)[0] == "classic"


def test_an_unknown_dialect_names_the_key_the_variable_and_the_choices() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load({"bandwidth:dashboardDialect": "v2"}, env={})
    text = str(info.value)
    assert "bandwidth:dashboardDialect" in text and "BANDWIDTH_DASHBOARD_DIALECT" in text
    assert "classic, universal" in text and "'v2'" in text


@pytest.mark.parametrize(
    ("dialect", "url"),
    [
        ("universal", "https://dashboard.bandwidth.com/api"),
        ("universal", "https://dashboard.bandwidth.com/v1.0"),
        ("classic", "https://api.bandwidth.com/api/v2"),
    ],
)
def test_a_dialect_its_url_contradicts_is_refused_naming_both_keys(dialect: str, url: str) -> None:
    config = {"bandwidth:dashboardDialect": dialect, "bandwidth:dashboardUrl": url}
    with pytest.raises(ConfigError) as info:
        Settings.load(config, env={})
    assert "bandwidth:dashboardDialect" in str(info.value)
    assert "bandwidth:dashboardUrl" in str(info.value)


def test_universal_at_a_url_of_another_shape_is_taken_as_set() -> None:
    """A proxy in front of the Universal Platform may have any path."""
    config = {"bandwidth:dashboardDialect": "universal", "bandwidth:dashboardUrl": "https://p/bw"}
    assert _platform(config) == ("universal", "https://p/bw")
