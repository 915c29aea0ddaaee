"""manifest.yml against the parts of Slack's manifest schema (v1) it uses, and against what the adapter serves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from adapters.slack.app import BOT_EVENTS, SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"
SUBCOMMANDS = (
    "ask",
    "deadlines",
    "topics",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "settings",
    "help",
    "add",
    "rate",
    "articles",
    "fix",
    "forget",
)
# The scope each bot event needs (https://docs.slack.dev/reference/events).
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None}
# Allowed keys per section, from github.com/slackapi/manifest-schema schemas/manifest.schema.1.0.0.json.
ALLOWED = {
    "": {"_metadata", "display_information", "features", "oauth_config", "settings"},
    "display_information": {"name", "description", "background_color", "long_description"},
    "features": {"app_home", "bot_user", "slash_commands", "shortcuts", "unfurl_domains"},
    "features.app_home": {"home_tab_enabled", "messages_tab_enabled", "messages_tab_read_only_enabled"},
    "features.bot_user": {"display_name", "always_online"},
    "oauth_config": {"redirect_urls", "scopes", "token_management_enabled"},
    "oauth_config.scopes": {"bot", "user"},
    "settings": {
        "allowed_ip_address_ranges",
        "event_subscriptions",
        "incoming_webhooks",
        "interactivity",
        "org_deploy_enabled",
        "socket_mode_enabled",
        "token_rotation_enabled",
    },
    "settings.event_subscriptions": {"request_url", "bot_events", "user_events"},
    "settings.interactivity": {"is_enabled", "request_url", "message_menu_options_url"},
}


def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def section(data: dict[str, Any], path: str) -> dict[str, Any]:
    for part in filter(None, path.split(".")):
        data = data[part]
    return data


def test_only_keys_the_schema_allows() -> None:
    data = manifest()
    for path, allowed in ALLOWED.items():
        try:
            keys = set(section(data, path))
        except KeyError:
            continue
        assert keys <= allowed, f"{path or 'top level'}: {sorted(keys - allowed)}"


def test_required_fields_and_lengths() -> None:
    data = manifest()
    info = data["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert 1 <= len(info.get("description", "x")) <= 140
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", info.get("background_color", "#fff"))
    assert data["_metadata"]["major_version"] == 1
    assert 1 <= len(data["features"]["bot_user"]["display_name"]) <= 80
    home = data["features"]["app_home"]
    assert home["home_tab_enabled"] is True and home["messages_tab_enabled"] is True
    for command in data["features"]["slash_commands"]:
        assert set(command) <= {"command", "description", "usage_hint", "should_escape", "url"}
        assert re.fullmatch(r"/.{1,31}", command["command"])
        assert 1 <= len(command["description"]) <= 2000
        assert 1 <= len(command["usage_hint"]) <= 1000
        assert isinstance(command.get("should_escape", False), bool)
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"].get("interactivity", {"is_enabled": False})["is_enabled"] in (True, False)


def test_the_brief_command_and_its_subcommands() -> None:
    commands = manifest()["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [SLASH_COMMAND]
    hint = commands[0]["usage_hint"]
    for sub in SUBCOMMANDS:
        assert re.search(rf"\b{sub}\b", hint), sub


def test_events_match_the_adapter_and_scopes_are_minimal() -> None:
    data = manifest()
    events = data["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == sorted(BOT_EVENTS)
    assert len(events) == len(set(events))
    # users:read: users.info tells whether the person fixing a fact is a workspace admin or owner.
    needed = {"chat:write", "commands", "users:read"} | {EVENT_SCOPES[e] for e in events if EVENT_SCOPES[e]}
    assert sorted(data["oauth_config"]["scopes"]["bot"]) == sorted(needed)
    assert "user" not in data["oauth_config"]["scopes"]


def test_interactivity_is_on_for_the_rating_buttons() -> None:
    # 👍/👎 clicks and the 👎 form are interactions: Slack sends none unless interactivity is on.
    assert manifest()["settings"]["interactivity"]["is_enabled"] is True
