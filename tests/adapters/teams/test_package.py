"""The Teams app package (`make teams-package`): manifest, scopes, commands, RSC, icons."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"  # an example GUID, not a real registration


def package_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("teams_package", ROOT / "teams" / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(tmp_path: Path, **environ: str) -> tuple[dict[str, object], zipfile.ZipFile, list[str]]:
    out = tmp_path / "reflect-teams.zip"
    warnings = package_module().build(out, {"MICROSOFT_APP_ID": APP_ID, **environ})
    archive = zipfile.ZipFile(out)
    return json.loads(archive.read("manifest.json")), archive, warnings


def test_the_package_holds_a_manifest_with_the_app_id_and_both_icons(tmp_path: Path) -> None:
    manifest, archive, warnings = build(tmp_path, REFLECT_TEAMS_PRIVACY_URL="https://council.example/privacy")
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert tuple(int(x) for x in str(manifest["manifestVersion"]).split(".")) >= (1, 17)
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]  # type: ignore[misc]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    commands = {c["title"] for lst in bot["commandLists"] for c in lst["commands"]}
    assert {"reflect", "help", "group"} <= commands
    rsc = {p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]}  # type: ignore[index]
    assert rsc == {"ChannelMessage.Read.Group", "ChatMessage.Read.Chat"}
    assert manifest["webApplicationInfo"]["id"] == APP_ID  # type: ignore[index]
    assert manifest["developer"]["privacyUrl"] == "https://council.example/privacy"  # type: ignore[index]
    assert "${" not in json.dumps(manifest)
    assert len(warnings) == 2  # website and terms fell back to placeholders, and it said so
    assert len(manifest["description"]["short"]) <= 80  # type: ignore[index]
    assert len(manifest["name"]["short"]) <= 30  # type: ignore[index]


def test_icons_have_the_sizes_teams_wants_and_the_outline_is_white_on_transparent(tmp_path: Path) -> None:
    from PIL import Image

    _, archive, _ = build(tmp_path)
    archive.extractall(tmp_path / "unzipped")
    color = Image.open(tmp_path / "unzipped" / "color.png")
    outline = Image.open(tmp_path / "unzipped" / "outline.png").convert("RGBA")
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert all(p[:3] == (255, 255, 255) for p in pixels if isinstance(p, tuple) and p[3] > 0)
    assert any(isinstance(p, tuple) and p[3] == 0 for p in pixels)  # transparent background
    assert any(isinstance(p, tuple) and p[3] == 255 for p in pixels)  # and a drawn outline


def test_without_an_app_id_or_with_a_plain_http_url_it_refuses(tmp_path: Path) -> None:
    module = package_module()
    with pytest.raises(ValueError, match="MICROSOFT_APP_ID"):
        module.build(tmp_path / "x.zip", {})
    with pytest.raises(ValueError, match="https"):
        module.build(tmp_path / "x.zip", {"MICROSOFT_APP_ID": APP_ID, "REFLECT_TEAMS_TERMS_URL": "http://x"})


SCHEMAS = (
    ROOT / "tests" / "playground" / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas"
)


def manifest_schema(version: str) -> dict[str, object]:
    """Microsoft's Teams manifest schema for `version`, as shipped by the npm package
    @microsoft/app-manifest (pinned in tests/playground/package.json; `npm ci` there)."""
    path = SCHEMAS / "teams" / f"v{version}" / "MicrosoftTeams.schema.json"
    if not path.exists():
        from tests.support.services import require_service

        require_service(f"{path} missing: run `npm ci --prefix tests/playground`")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_the_built_manifest_is_valid_against_microsofts_schema_for_its_version(tmp_path: Path) -> None:
    import jsonschema

    manifest, _, _ = build(tmp_path)
    version = str(manifest["manifestVersion"])
    assert tuple(int(x) for x in version.split(".")) >= (1, 20)  # a current schema
    assert manifest["$schema"] == (
        f"https://developer.microsoft.com/en-us/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    )
    schema = manifest_schema(version)
    validator_class = jsonschema.validators.validator_for(schema)  # the schema names its draft (04)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    problems = sorted(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)
    )
    assert problems == []
    # and the validator does refuse a broken manifest (so the empty list above means something)
    broken = {**manifest, "bots": [{"botId": "not-a-guid", "scopes": ["everywhere"]}]}
    assert list(validator.iter_errors(broken))


def test_the_manifest_offers_reflect_on_this_message_and_files_in_the_personal_chat(tmp_path: Path) -> None:
    manifest, _, _ = build(tmp_path)
    [extension] = manifest["composeExtensions"]  # type: ignore[misc]
    assert extension["botId"] == APP_ID and extension["composeExtensionType"] == "botBased"
    [command] = extension["commands"]
    assert command["id"] == "reflectOnMessage"  # what agent.py answers
    assert command["type"] == "action" and command["context"] == ["message"] and command["fetchTask"] is True
    assert command["title"] == "Reflect on this message"
    [bot] = manifest["bots"]  # type: ignore[misc]
    assert bot["supportsFiles"] is True  # the file consent flow for exports
