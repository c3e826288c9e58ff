"""Configuration is read once from the environment; production refuses unsafe settings."""

from __future__ import annotations

import pytest

from app.config import DEFAULT_SECRET, ConfigError, load_config


def test_environment_values_are_typed(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    config = load_config({"APP_ENV": "development", "DATABASE_URL": "postgresql://x/y", "REDIS_URL": "redis://x"})
    assert config.MAIL_PORT == 2525
    assert config.MAIL_USE_TLS is True


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"APP_ENV": "production", "SECRET_KEY": DEFAULT_SECRET, "DATABASE_URL": "postgresql://x/y"})


def test_production_refuses_a_short_secret():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"APP_ENV": "production", "SECRET_KEY": "short", "DATABASE_URL": "postgresql://x/y"})


def test_production_needs_a_real_database():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config({"APP_ENV": "production", "SECRET_KEY": "s" * 40, "DATABASE_URL": ""})


def test_an_unknown_app_env_is_refused():
    with pytest.raises(ConfigError, match="APP_ENV"):
        load_config({"APP_ENV": "staging"})


def test_overrides_that_are_not_settings_still_reach_flask():
    config = load_config({"APP_ENV": "test", "RATELIMIT_KEY_PREFIX": "x", "DATABASE_URL": "postgresql://x/y"})
    assert config.as_flask()["RATELIMIT_KEY_PREFIX"] == "x"


def test_a_server_started_without_app_env_is_production_and_refuses_the_default_secret(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"DATABASE_URL": "postgresql://x/y"})
    assert load_config({"SECRET_KEY": "s" * 40, "DATABASE_URL": "postgresql://x/y"}).is_production


def test_make_run_says_development(monkeypatch):
    import app.devserver as devserver

    monkeypatch.setenv("APP_ENV", "")
    monkeypatch.delenv("APP_ENV")
    monkeypatch.setenv("DATABASE_URL", "postgresql://x/y")
    monkeypatch.setenv("REDIS_URL", "redis://x")
    monkeypatch.setattr(devserver, "_ensure_named_database", lambda url: None)

    assert devserver._prepare_environment()["APP_ENV"] == "development"
