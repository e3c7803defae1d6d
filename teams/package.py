"""Build the Teams app package: `make teams-package` -> dist/reflect-teams.zip.

The zip holds manifest.json (with the bot's app id and the council's URLs filled in) and the
two icons, at its top level, which is what Teams admin centre and "Upload a custom app" want.

Filled in from the environment:
* MICROSOFT_APP_ID (required): the Azure Bot's Microsoft App ID, a GUID. It is the Teams app
  id, the bot id, and the id resource-specific consent is granted to.
* REFLECT_TEAMS_WEBSITE_URL, REFLECT_TEAMS_PRIVACY_URL, REFLECT_TEAMS_TERMS_URL: https pages
  shown on the app's details; the privacy notice should be the council's own. Without them
  a placeholder is used and a warning printed (fine for a test tenant only).

Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICONS = {"color.png": (192, 192), "outline.png": (32, 32)}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
URLS = {
    "REFLECT_TEAMS_WEBSITE_URL": "https://example.org/reflect",
    "REFLECT_TEAMS_PRIVACY_URL": "https://example.org/reflect/privacy",
    "REFLECT_TEAMS_TERMS_URL": "https://example.org/reflect/terms",
}
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        raise ValueError(f"{path.name} is not a PNG")
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def fill(template: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"manifest.json needs {name}, which is not set")
        return values[name]

    return PLACEHOLDER.sub(value, template)


def build(out: Path, environ: dict[str, str]) -> list[str]:
    """Write the package; returns warnings. Raises ValueError with what to fix."""
    app_id = environ.get("MICROSOFT_APP_ID", "").strip()
    if not GUID.match(app_id):
        raise ValueError("set MICROSOFT_APP_ID to the Azure Bot's Microsoft App ID (a GUID)")
    warnings = []
    values = {"MICROSOFT_APP_ID": app_id.lower()}
    for name, default in URLS.items():
        url = environ.get(name, "").strip()
        if not url:
            warnings.append(f"{name} is not set: using {default} (set the council's own page)")
            url = default
        if not url.startswith("https://"):
            raise ValueError(f"{name} must be an https:// URL")
        values[name] = url
    manifest = json.loads(fill((HERE / "manifest.json").read_text(encoding="utf-8"), values))
    for name, size in ICONS.items():
        path = HERE / name
        if not path.exists():
            raise ValueError(f"teams/{name} is missing: run `.venv/bin/python teams/make_icons.py`")
        if png_size(path) != size:
            raise ValueError(f"teams/{name} must be {size[0]}x{size[1]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in ICONS:
            archive.write(HERE / name, name)
    return warnings


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("dist/reflect-teams.zip")
    try:
        warnings = build(out, dict(os.environ))
    except (ValueError, KeyError) as error:
        print(f"teams-package: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"teams-package: warning: {warning}", file=sys.stderr)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
