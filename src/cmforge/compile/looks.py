"""Caption looks: how a caption stands off the picture (style.caption, a caption's look)."""

from __future__ import annotations

from dataclasses import replace

from ..recipe.model import Look
from ..text import Backing, TextStyle

BACKING = (0, 0, 0, 255)  # a band or box with no colour given: black ...
OPACITY = 0.6  # ... at 60 %
PADDING = 18  # px at 1080 on the short side
RADIUS = {"band": 0, "box": 16}


def caption(
    text: TextStyle, look: Look, scale: float, frame_width: int
) -> tuple[TextStyle, Backing | None]:
    """The caption's text style and what is drawn behind it (None: the layout's choice)."""
    if look.look == "outline":
        return text, None
    if look.look == "shadow":
        return replace(text, shadow=True, stroke_width=0), None
    color = look.color or BACKING
    if look.opacity is not None:
        alpha = round(255 * min(1.0, look.opacity))
    elif look.color is not None:
        alpha = color[3]
    else:
        alpha = round(255 * OPACITY)
    radius = look.radius if look.radius is not None else RADIUS[look.look]
    padding = look.padding if look.padding is not None else PADDING
    backing = Backing(
        look.look,
        (*color[:3], alpha),
        round(radius * scale),
        max(0, round(padding * scale)),
        frame_width if look.look == "band" else 0,
    )
    return replace(text, stroke_width=0), backing
