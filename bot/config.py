"""Settings from the environment and `.env` (pydantic-settings); secrets never printed."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

logger = logging.getLogger(__name__)

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# An article published more than this many days before it was ingested changes facts but posts nothing.
DEFAULT_UPDATE_MAX_AGE_DAYS = 7


def default_database_path() -> Path:
    """Where the embedded SQLite store lives when no database URL is set."""
    return Path(user_data_dir("briefbot", appauthor=False)) / "briefbot.db"


def redact_url(url: str) -> str:
    """A database URL safe to print: the password, if any, replaced by ***."""
    if not url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


class Settings(BaseSettings):
    """Everything briefbot reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    database_url: str = Field("", validation_alias="BRIEFBOT_DATABASE_URL", repr=False)
    topics_file: str = Field("", validation_alias="BRIEFBOT_TOPICS_FILE")
    log_level: str = Field("INFO", validation_alias="BRIEFBOT_LOG_LEVEL")
    log_format: str = Field("text", validation_alias="BRIEFBOT_LOG_FORMAT", pattern="^(text|json)$")
    http_port: int = Field(3000, validation_alias="BRIEFBOT_HTTP_PORT", ge=0, le=65535)
    grace_hours: float = Field(6.0, validation_alias="BRIEFBOT_GRACE_HOURS", ge=0)
    update_max_age_days: int = Field(
        DEFAULT_UPDATE_MAX_AGE_DAYS, validation_alias="BRIEFBOT_UPDATE_MAX_AGE_DAYS", ge=0
    )
    feed_max_entries: int = Field(50, validation_alias="BRIEFBOT_FEED_MAX_ENTRIES", ge=1, le=10000)
    leader_retry_seconds: float = Field(15.0, validation_alias="BRIEFBOT_LEADER_RETRY_SECONDS", gt=0, le=60)
    shutdown_seconds: float = Field(20.0, validation_alias="BRIEFBOT_SHUTDOWN_SECONDS", ge=0)
    # Host names, addresses or CIDR ranges that may be fetched although private or loopback (intranets).
    fetch_allow: str = Field("", validation_alias="BRIEFBOT_FETCH_ALLOW")
    # Slack user ids (comma-separated) who may fix facts and retract articles besides workspace admins.
    editors: str = Field("", validation_alias="BRIEFBOT_EDITORS")
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="BRIEFBOT_SLACK_API_URL")
    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_api_url: str = Field("", validation_alias="BRIEFBOT_DISCORD_API_URL")
    discord_gateway_url: str = Field("", validation_alias="BRIEFBOT_DISCORD_GATEWAY_URL")
    discord_guild: int | None = Field(None, validation_alias="BRIEFBOT_DISCORD_GUILD")

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if value.startswith("postgres://"):  # the scheme many hosting platforms hand out
            value = "postgresql://" + value.removeprefix("postgres://")
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "not a database URL (expected sqlite:///path.db or postgresql+psycopg://user:pw@host/db)"
            ) from None
        backend = url.get_backend_name()
        if backend not in SUPPORTED_BACKENDS:
            raise ValueError(f"unsupported database {backend!r} (use sqlite or postgresql+psycopg)")
        if backend == "postgresql":
            if url.drivername == "postgresql+psycopg2":
                raise ValueError("the psycopg2 driver is not installed: use postgresql+psycopg://")
            # psycopg 3 is the driver briefbot ships with; a bare `postgresql://` means it too.
            url = url.set(drivername="postgresql+psycopg")
            if not url.database:
                raise ValueError("the PostgreSQL URL names no database (…/dbname)")
            return url.render_as_string(hide_password=False)
        return value

    @field_validator(
        "slack_bot_token", "slack_app_token", "slack_signing_secret", "discord_token", mode="before"
    )
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        # docker compose passes `SLACK_BOT_TOKEN=` for an unset variable: that means "not configured".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("fetch_allow")
    @classmethod
    def _check_fetch_allow(cls, value: str) -> str:
        if not value.strip():
            return ""
        from facts.web.fetch import AddressPolicy  # loaded only when set: httpx costs other commands

        AddressPolicy.parse(value)  # raises ValueError naming the malformed entry
        return value

    @field_validator("editors")
    @classmethod
    def _check_editors(cls, value: str) -> str:
        for user in editor_ids(value):
            if not re.fullmatch(r"[UW][A-Z0-9]{2,30}", user):
                raise ValueError(f"{user[:40]!r} is not a Slack user id (such as U0123ABCD)")
        return value

    def editor_ids(self) -> frozenset[str]:
        """The Slack user ids in BRIEFBOT_EDITORS."""
        return editor_ids(self.editors)

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown log level (use one of {', '.join(LOG_LEVELS)})")
        return level

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file."""
        return self.database_url or f"sqlite:///{default_database_path()}"

    def safe_database_url(self) -> str:
        """The database URL with its password hidden, for logs and messages."""
        return redact_url(self.resolved_database_url())

    def secret_values(self) -> list[str]:
        """Every secret in the settings (tokens, signing secret, database password), for log scrubbing."""
        found = [
            secret.get_secret_value()
            for secret in (
                self.slack_bot_token,
                self.slack_app_token,
                self.slack_signing_secret,
                self.discord_token,
            )
            if secret is not None
        ]
        if self.database_url:
            password = make_url(self.database_url).password
            if password:
                found.append(str(password))
        return found

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield ("database_url", redact_url(self.database_url))
        yield from super().__repr_args__()


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


def _variable(loc: tuple[int | str, ...]) -> str:
    """The environment variable a validation error location points at."""
    if not loc:
        return "settings"
    head = str(loc[0])
    field = Settings.model_fields.get(head)
    if field is not None and isinstance(field.validation_alias, str):
        head = field.validation_alias
    return head.upper()


def editor_ids(value: str) -> frozenset[str]:
    """Comma- or space-separated Slack user ids as a set."""
    return frozenset(part for part in re.split(r"[\s,]+", value.strip()) if part)


def load_settings() -> Settings:
    """Read the settings, turning the first validation error into one line naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        variable = _variable(tuple(first.get("loc", ())))
        raise ConfigError(f"configuration error: {variable}: {message}") from None
