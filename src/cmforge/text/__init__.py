"""Text rasterisation for cmforge: fonts, Japanese line breaking and RGBA rendering.

All text in videos is drawn here with Pillow into RGBA images that FFmpeg overlays, so no text
ever has to be escaped into an FFmpeg filter graph.
"""

from __future__ import annotations

from .backing import Backing
from .fallback import font_runs
from .fonts import FontError, available_families, resolve_font
from .render import render_text
from .style import TextStyle
from .wrap import layout_lines

__all__ = [
    "Backing",
    "FontError",
    "TextStyle",
    "available_families",
    "font_runs",
    "layout_lines",
    "render_text",
    "resolve_font",
]


def release_caches() -> None:
    """Forget loaded fonts and glyph tables (a render calls this before FFmpeg runs)."""
    from . import fallback, fonts

    for module in (fallback, fonts):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
