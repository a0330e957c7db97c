"""The music credits a user pastes into a video description."""

from __future__ import annotations

from ..recipe.model import Music, Recipe
from ..text import emoji
from ..text.wrap import clusters


def credits_text(recipe: Recipe) -> str:
    """Title, artist, licence and attribution of every music track the recipe uses (and of the
    emoji pictures, when a text shows one), as plain text ending in a newline; "" when none."""
    blocks = [_credit(m) for m in (recipe.music,) if m is not None]
    texts = [s.shown_text() for s in recipe.scenes] + [c.text for c in recipe.captions]
    if any(emoji.picture_path(cl) for t in texts for cl in clusters(t)):
        blocks.append(f"Emoji: {emoji.CREDIT}\n")
    return "\n".join(blocks)


def _credit(m: Music) -> str:
    info = m.info
    title = info.get("title") or info.get("id") or m.path.name
    artist = info.get("artist") or ""
    lines = [f"Music: {title}" + (f" by {artist}" if artist else "")]
    if info.get("license"):
        lines.append(f"License: {info['license']}")
    elif info.get("license_note"):
        lines.append(f"License: {info['license_note']}")
    if info.get("attribution"):
        lines.append(info["attribution"])
    return "\n".join(lines) + "\n"
