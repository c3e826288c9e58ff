"""Configuration, read once from the environment (docs/architecture.md, "Configuration")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - the refused default, see load_config


class ConfigError(RuntimeError):
    """Raised at start-up when the environment describes an unsafe or impossible setup."""


@dataclass(frozen=True)
class Config:
    # A server started any other way than `make run` (which says development) is production unless told.
    APP_ENV: str = "production"
    SECRET_KEY: str = DEFAULT_SECRET
    # Owner URL: migrations and provisioning run as this role. The app itself connects as APP_DB_ROLE.
    DATABASE_URL: str = ""
    APP_DB_PASSWORD: str = ""
    REDIS_URL: str = ""
    INSTANCE_DIR: str = str(ROOT / "instance")
    STORAGE_DIR: str = str(ROOT / "instance" / "storage")
    MAIL_SERVER: str = ""
    MAIL_PORT: int = 25
    MAIL_USERNAME: str = ""
    MAIL_PASSWORD: str = ""
    MAIL_USE_TLS: bool = False
    MAIL_DEFAULT_SENDER: str = "Chalkline <no-reply@chalkline.test>"
    MAIL_DIR: str = str(ROOT / "instance" / "mail")
    BASE_URL: str = "http://127.0.0.1:5000"
    MAX_CONTENT_LENGTH: int = 16 * 1024 * 1024
    # Failed sign-ins only count against these (docs/decisions/0010-security-hardening.md): an account from one
    # address, one address for any account (a school shares one), and an account from anywhere, more slowly.
    LOGIN_LIMIT_PER_ACCOUNT_AND_IP: str = "5 per 10 minutes"
    LOGIN_LIMIT_PER_IP: str = "50 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT: str = "30 per hour"
    RESET_LIMIT_PER_IP: str = "10 per 10 minutes"
    RESET_LIMIT_PER_ACCOUNT: str = "3 per hour"
    # How many reverse proxies in front of the app set X-Forwarded-For / -Proto; 0 trusts neither header.
    TRUSTED_PROXIES: int = 0
    RESET_TOKEN_HOURS: int = 1
    INVITE_TOKEN_DAYS: int = 7
    SESSION_HOURS: int = 12
    # argon2id cost: OWASP's recommended configuration (m=19 MiB, t=2, p=1), about 18 ms a verification here, so
    # a district's 8:00 sign-in rush fits on two cores (perf/RESULTS.md, issue 14). Hashes made with other
    # parameters are re-hashed at the next sign-in. Tests pass a cheaper one.
    ARGON2_TIME_COST: int = 2
    ARGON2_MEMORY_KIB: int = 19456
    ARGON2_PARALLELISM: int = 1
    SUPPORTED_LOCALES: tuple[str, ...] = ("en", "es")
    TESTING: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.APP_ENV == "production"

    def as_flask(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        data.update(self.extra)
        return data


def _coerce(kind: type, raw: str):
    if kind is bool or kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int or kind == "int":
        return int(raw)
    return raw


def load_config(overrides: dict | None = None) -> Config:
    """Build the config from the environment plus explicit overrides (tests pass these)."""
    values: dict = {}
    for f in fields(Config):
        if f.name in {"extra", "SUPPORTED_LOCALES"}:
            continue
        raw = os.environ.get(f.name)
        if raw is not None and raw != "":
            values[f.name] = _coerce(f.type, raw)
    overrides = dict(overrides or {})
    known = {f.name for f in fields(Config)}
    values.update({k: v for k, v in overrides.items() if k in known})
    values["extra"] = {k: v for k, v in overrides.items() if k not in known}
    config = Config(**values)
    if config.APP_ENV not in {"development", "test", "production"}:
        raise ConfigError(f"APP_ENV must be development, test or production, not {config.APP_ENV!r}")
    if config.is_production and (config.SECRET_KEY == DEFAULT_SECRET or len(config.SECRET_KEY) < 32):
        raise ConfigError("production needs SECRET_KEY set to a random value of at least 32 characters")
    if config.is_production and not config.DATABASE_URL:
        raise ConfigError("production needs DATABASE_URL; the embedded database is for development")
    return config
