"""Draw the Teams app icons: `color.png` (192x192) and `outline.png` (32x32).

Teams wants a full-colour icon, and an outline icon that is white on a transparent
background (it is tinted by the client). Both are drawn here rather than kept only as
binaries, so anyone can see how they were made and change them. Run:

    .venv/bin/python teams/make_icons.py        # needs Pillow (a dev extra)

The mark: a speech bubble holding a small circle, a conversation with room to think.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from PIL import Image, ImageDraw
except ImportError:  # pragma: no cover - a hint, not a feature
    sys.exit("Pillow is needed: pip install -e '.[dev]'")

HERE = Path(__file__).resolve().parent
ACCENT = (62, 92, 118, 255)  # #3E5C76, the manifest's accentColor
WHITE = (255, 255, 255, 255)
SCALE = 8  # draw large, then shrink: smooth edges without anti-aliasing primitives


def _bubble(draw: ImageDraw.ImageDraw, size: int, inset: float, width: int, fill: bool) -> None:
    """A rounded speech bubble with a tail at the bottom left, and a circle inside it."""
    left, top = size * inset, size * inset
    right, bottom = size * (1 - inset), size * (0.78 - inset / 2)
    radius = (bottom - top) * 0.28
    tail = [
        (left + (right - left) * 0.22, bottom - width),
        (left + (right - left) * 0.12, size * (1 - inset)),
        (left + (right - left) * 0.42, bottom - width),
    ]
    if fill:
        draw.rounded_rectangle((left, top, right, bottom), radius, fill=WHITE)
        draw.polygon(tail, fill=WHITE)
        cx, cy, r = (left + right) / 2, (top + bottom) / 2, (bottom - top) * 0.2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ACCENT)
        return
    draw.rounded_rectangle((left, top, right, bottom), radius, outline=WHITE, width=width)
    # open the bubble's bottom edge where the tail leaves it, then draw the tail
    gap = (tail[0][0] + width, bottom - width, tail[2][0] - width, bottom)
    draw.rectangle(gap, fill=(0, 0, 0, 0))
    draw.line(
        [(tail[0][0], bottom - width / 2), tail[1], (tail[2][0], bottom - width / 2)],
        fill=WHITE,
        width=width,
        joint="curve",
    )
    cx, cy, r = (left + right) / 2, (top + bottom) / 2, (bottom - top) * 0.2
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=width)


def color_icon(size: int = 192) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), ACCENT)
    _bubble(ImageDraw.Draw(image), big, inset=0.2, width=SCALE * 2, fill=True)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def outline_icon(size: int = 32) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    _bubble(ImageDraw.Draw(image), big, inset=0.1, width=SCALE * 2, fill=False)
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    # Teams requires pure white: keep only the alpha the shrink produced.
    alpha = small.getchannel("A")
    white = Image.new("RGBA", (size, size), WHITE)
    white.putalpha(alpha)
    return white


def main() -> None:
    color_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
