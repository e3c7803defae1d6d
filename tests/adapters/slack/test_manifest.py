"""The app manifest in the repository matches what the adapter listens for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.adapters.slack.app import SLASH_COMMAND
from bot.adapters.slack.http import ROUTE
from bot.adapters.slack.oauth import REDIRECT_PATH
from bot.adapters.slack.translate import SHORTCUT_CALLBACK
from bot.config import DEFAULT_SLACK_SCOPES

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yaml"


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_manifest_declares_what_the_bot_uses() -> None:
    manifest = _manifest()
    features, settings = manifest["features"], manifest["settings"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    [command] = features["slash_commands"]
    assert command["command"] == SLASH_COMMAND
    urls = [
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert all(url.startswith("https://") and url.endswith(ROUTE) for url in urls)
    assert len(set(urls)) == 1  # events, interactivity and the command share one Request URL
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "message.im",
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False  # documented switch for Socket Mode
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "chat:write",
        "commands",
        "im:history",
        "im:read",
        "im:write",
        "users:read",
        "files:write",
    }
    assert scopes == set(DEFAULT_SLACK_SCOPES.split(","))  # what an OAuth install asks for
    info = manifest["display_information"]
    assert len(info["description"]) <= 140 and 175 <= len(info["long_description"]) <= 4000


def test_manifest_is_for_oauth_installs_grid_and_rotation() -> None:
    manifest = _manifest()
    settings, oauth_config = manifest["settings"], manifest["oauth_config"]
    [redirect] = oauth_config["redirect_urls"]
    assert redirect.startswith("https://") and redirect.endswith(REDIRECT_PATH)
    assert settings["org_deploy_enabled"] is True
    assert settings["token_rotation_enabled"] is True
    [shortcut] = manifest["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == SHORTCUT_CALLBACK
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 80
