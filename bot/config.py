"""Settings from the environment and `.env` (pydantic-settings); secrets never printed."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_path() -> Path:
    """Where the embedded SQLite store lives when no database URL is set."""
    return Path(user_data_dir("briefbot", appauthor=False)) / "briefbot.db"


class Settings(BaseSettings):
    """Everything briefbot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("", validation_alias="BRIEFBOT_DATABASE_URL")
    topics_file: str = Field("", validation_alias="BRIEFBOT_TOPICS_FILE")
    log_level: str = Field("INFO", validation_alias="BRIEFBOT_LOG_LEVEL")
    log_format: str = Field("text", validation_alias="BRIEFBOT_LOG_FORMAT", pattern="^(text|json)$")
    http_port: int = Field(3000, validation_alias="BRIEFBOT_HTTP_PORT", ge=0, le=65535)
    grace_hours: float = Field(6.0, validation_alias="BRIEFBOT_GRACE_HOURS", ge=0)
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="BRIEFBOT_SLACK_API_URL")
    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_api_url: str = Field("", validation_alias="BRIEFBOT_DISCORD_API_URL")
    discord_gateway_url: str = Field("", validation_alias="BRIEFBOT_DISCORD_GATEWAY_URL")
    discord_guild: int | None = Field(None, validation_alias="BRIEFBOT_DISCORD_GUILD")

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file."""
        return self.database_url or f"sqlite:///{default_database_path()}"


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


def load_settings() -> Settings:
    """Read the settings, turning the first validation error into one line naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        variable = ".".join(str(part) for part in first.get("loc", ())) or "settings"
        raise ConfigError(f"configuration error: {variable}: {first.get('msg', 'invalid')}") from None
