"""Configuration: defaults, the TOML file, environment variables, and their errors."""

from __future__ import annotations

import stat

import pytest

from shopfloor.config import (
    SETTINGS,
    ConfigError,
    database_url,
    load_settings,
    read_toml,
    secret_key,
)

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_defaults_apply_when_there_is_no_file_and_no_environment(tmp_path):
    settings = load_settings(tmp_path, environ={})
    assert settings.config_file is None
    assert settings["time_zone"] == "Europe/Warsaw"
    assert settings["default_language"] == "pl"
    assert database_url(settings, tmp_path) == f"sqlite:///{tmp_path / 'shopfloor.db'}"


def test_instance_config_toml_is_read_when_present(tmp_path):
    (tmp_path / "config.toml").write_text(
        'public_base_url = "https://shop.example.org/"\n[smtp]\nport = 2525\n', encoding="utf-8")
    settings = load_settings(tmp_path, environ={})
    assert settings.config_file == tmp_path / "config.toml"
    assert settings["smtp.port"] == 2525
    assert settings["public_base_url"] == "https://shop.example.org"  # trailing slash dropped


def test_environment_overrides_the_file_and_converts_types(tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text("[smtp]\nport = 2525\n[scheduler]\nenabled = true\n", encoding="utf-8")
    settings = load_settings(tmp_path, environ={
        "SHOPFLOOR_CONFIG": str(config),
        "SHOPFLOOR_SMTP_PORT": "1025",
        "SHOPFLOOR_SCHEDULER_ENABLED": "no",
        "SHOPFLOOR_COOPERATIVE_NAME": "Spółdzielnia Razem",
    })
    assert settings.config_file == config
    assert settings["smtp.port"] == 1025
    assert settings["scheduler.enabled"] is False
    assert settings["cooperative.name"] == "Spółdzielnia Razem"


def test_unknown_key_in_file_names_the_key_and_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[smtp]\nhots = 'mail'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path, environ={})
    assert "smtp.hots" in str(error.value)
    assert str(config) in str(error.value)


def test_wrong_type_in_file_names_the_key_and_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nport = "twenty-five"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"smtp\.port .*config\.toml.*whole number"):
        load_settings(tmp_path, environ={})


def test_wrong_type_in_environment_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="SHOPFLOOR_SMTP_PORT.*whole number"):
        load_settings(tmp_path, environ={"SHOPFLOOR_SMTP_PORT": "abc"})


def test_unknown_environment_variable_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SHOPFLOOR_DATABSE_URL"):
        load_settings(tmp_path, environ={"SHOPFLOOR_DATABSE_URL": "sqlite://"})


def test_value_outside_its_choices_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="default_language.*pl, en"):
        load_settings(tmp_path, environ={"SHOPFLOOR_DEFAULT_LANGUAGE": "de"})


def test_unknown_time_zone_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="Europe/Warsw"):
        load_settings(tmp_path, environ={"SHOPFLOOR_TIME_ZONE": "Europe/Warsw"})


def test_broken_toml_names_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("database_url = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config.toml is not valid TOML"):
        load_settings(tmp_path, environ={})


def test_missing_config_file_named_by_variable_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path, environ={"SHOPFLOOR_CONFIG": str(tmp_path / "nope.toml")})


def test_overrides_from_create_app_win_and_are_checked(tmp_path):
    settings = load_settings(tmp_path, {"smtp": {"port": 26}}, environ={"SHOPFLOOR_SMTP_PORT": "1"})
    assert settings["smtp.port"] == 26
    with pytest.raises(ConfigError, match="create_app"):
        load_settings(tmp_path, {"smtp.prot": 26}, environ={})


def test_example_file_documents_every_key_with_its_default(tmp_path):
    example = REPO_ROOT / "config.example.toml"
    settings = load_settings(tmp_path, environ={"SHOPFLOOR_CONFIG": str(example)})
    for setting in SETTINGS:
        assert settings[setting.key] == setting.default, setting.key
    text = example.read_text(encoding="utf-8")
    flat_keys = set()
    for table, values in read_toml(example).items():
        if isinstance(values, dict):
            flat_keys |= {f"{table}.{key}" for key in values}
        else:
            flat_keys.add(table)
    assert flat_keys == {s.key for s in SETTINGS}
    assert "SHOPFLOOR_" in text


def test_plain_postgresql_url_uses_the_psycopg_driver(tmp_path):
    settings = load_settings(tmp_path, environ={
        "SHOPFLOOR_DATABASE_URL": "postgresql://u@db.example/shop"})
    assert database_url(settings, tmp_path) == "postgresql+psycopg://u@db.example/shop"


def test_missing_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    settings = load_settings(tmp_path, environ={})
    first = secret_key(settings, tmp_path)
    second = secret_key(settings, tmp_path)
    assert first == second and len(first) >= 32
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_configured_secret_key_is_used_and_nothing_is_written(tmp_path):
    settings = load_settings(tmp_path, environ={"SHOPFLOOR_SECRET_KEY": "k" * 40})
    assert secret_key(settings, tmp_path) == "k" * 40
    assert not (tmp_path / "secret_key").exists()
