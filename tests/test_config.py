"""Configuration: one-line errors naming the variable, and secrets kept out of repr, errors and logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from pg import PostgresServer

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings, redact_url
from facts.db import make_engine

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-bot-token",
    "SLACK_APP_TOKEN": "xapp-secret-app-token",
    "SLACK_SIGNING_SECRET": "signing-secret-value",
    "DISCORD_TOKEN": "discord-secret-token",
}


def error_for(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    return str(caught.value)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.http_port == 3000 and settings.log_format == "text" and settings.log_level == "INFO"
    assert settings.resolved_database_url().startswith("sqlite:///")
    assert settings.leader_retry_seconds == 15.0


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BRIEFBOT_HTTP_PORT", "abc", "valid integer"),
        ("BRIEFBOT_HTTP_PORT", "70000", "less than or equal to 65535"),
        ("BRIEFBOT_LOG_FORMAT", "xml", "pattern"),
        ("BRIEFBOT_LOG_LEVEL", "LOUD", "unknown log level"),
        ("BRIEFBOT_GRACE_HOURS", "-1", "greater than or equal to 0"),
        ("BRIEFBOT_DATABASE_URL", "mysql://u:pw@h/db", "unsupported database 'mysql'"),
        ("BRIEFBOT_DATABASE_URL", "not a url", "not a database URL"),
        ("BRIEFBOT_DATABASE_URL", "postgresql+psycopg://u:pw@h", "names no database"),
        ("BRIEFBOT_DISCORD_GUILD", "general", "valid integer"),
        ("BRIEFBOT_LEADER_RETRY_SECONDS", "0", "greater than 0"),
    ],
)
def test_bad_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    message = error_for(monkeypatch, **{variable: value})
    assert message.startswith(f"configuration error: {variable}: ")
    assert expected in message
    assert "\n" not in message
    if len(value) > 3:  # the input is never echoed (it may hold a password)
        assert value not in message


def test_bad_setting_in_dotenv_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BRIEFBOT_HTTP_PORT=http\n")
    with pytest.raises(ConfigError, match="^configuration error: BRIEFBOT_HTTP_PORT: "):
        load_settings()


def test_dotenv_and_lowercase_environment_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("BRIEFBOT_HTTP_PORT=8081\nSLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    monkeypatch.setenv("briefbot_log_level", "debug")
    settings = load_settings()
    assert settings.http_port == 8081 and settings.log_level == "DEBUG"
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-dotenv"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("postgres://u:pw@db:5432/briefbot", "postgresql+psycopg://u:pw@db:5432/briefbot"),
        ("postgresql://u:pw@db/briefbot", "postgresql+psycopg://u:pw@db/briefbot"),
        ("postgresql+psycopg://u@db/briefbot", "postgresql+psycopg://u@db/briefbot"),
        ("sqlite:////data/briefbot.db", "sqlite:////data/briefbot.db"),
    ],
)
def test_database_urls_are_normalised_to_psycopg(
    monkeypatch: pytest.MonkeyPatch, given: str, stored: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", given)
    assert load_settings().database_url == stored


def test_repr_and_str_hide_tokens_and_database_password(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", "postgresql+psycopg://bot:db-pass-123@db/briefbot")
    settings = load_settings()
    shown = repr(settings) + str(settings) + settings.safe_database_url()
    for secret in [*SECRETS.values(), "db-pass-123"]:
        assert secret not in shown
    assert "postgresql+psycopg://bot:***@db/briefbot" in repr(settings)
    assert set(settings.secret_values()) == {*SECRETS.values(), "db-pass-123"}


def test_direct_construction_error_does_not_echo_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", "mysql://bot:db-pass-123@db/x")
    with pytest.raises(Exception) as caught:
        Settings()
    assert "db-pass-123" not in str(caught.value)


def test_redact_url() -> None:
    assert redact_url("postgresql+psycopg://a:b-secret@h/d") == "postgresql+psycopg://a:***@h/d"
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"
    assert redact_url("::::") == "<unparseable database URL>"


def test_cli_stops_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_HTTP_PORT", "abc")
    assert main(["topics"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefbot: configuration error: BRIEFBOT_HTTP_PORT: ")
    assert err.count("\n") == 1


def test_cli_cannot_reach_database_hides_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", "postgresql+psycopg://bot:db-pass-123@127.0.0.1:1/briefbot")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert "cannot open the store (postgresql+psycopg://bot:***@127.0.0.1:1/briefbot)" in err
    assert "db-pass-123" not in err and err.count("\n") == 1


def test_logs_of_a_real_run_never_show_secrets(
    pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = pg_server.create_database()
    try:
        with pg_server.admin() as admin:
            admin.execute("drop role if exists briefbot_pw")
            admin.execute("create role briefbot_pw login superuser password 'db-pass-123'")
        url = f"postgresql+psycopg://briefbot_pw:db-pass-123@127.0.0.1:{pg_server.port}/{name}"
        monkeypatch.setenv("BRIEFBOT_DATABASE_URL", url)
        monkeypatch.setenv("BRIEFBOT_LOG_LEVEL", "DEBUG")
        monkeypatch.setenv("BRIEFBOT_LOG_FORMAT", "json")
        for variable, value in SECRETS.items():
            monkeypatch.setenv(variable, value)
        assert main(["db", "upgrade"]) == 0
        logging.getLogger("briefbot.test").info("url is %s, token %s", url, SECRETS["SLACK_BOT_TOKEN"])
        out = capsys.readouterr()
        lines = [json.loads(line) for line in out.err.splitlines() if line.startswith("{")]
        assert any(line["logger"] == "briefbot.test" for line in lines)
        for secret in [*SECRETS.values(), "db-pass-123"]:
            assert secret not in out.err and secret not in out.out
    finally:
        logging.getLogger().handlers = [
            h for h in logging.getLogger().handlers if not getattr(h, "_briefbot", False)
        ]
        pg_server.drop_database(name)


def test_blank_tokens_mean_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SECRETS:
        monkeypatch.setenv(name, "")  # what docker compose passes for an unset ${VAR:-}
    settings = load_settings()
    assert settings.slack_bot_token is None and settings.discord_token is None


def test_a_store_damaged_by_hand_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE corrections")
    engine.dispose()
    capsys.readouterr()
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert err == f"briefbot: the store failed ({url}): no such table: corrections\n"
