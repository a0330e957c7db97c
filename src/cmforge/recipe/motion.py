"""The keys of text that moves and caption looks, read into records: `animate` (a name or
{ in, out, duration, easing }) and `style.caption` / a caption's `look` (a name or a table)."""

from __future__ import annotations

from typing import Any

from ..units import parse_color
from .model import Animate, Look


def look_from(value: Any, base: Look | None = None) -> Look:
    """A caption look from its name or its table (over ``base``)."""
    base = base or Look()
    if value is None:
        return base
    if isinstance(value, str):
        return Look(value)
    num = {k: float(value[k]) for k in ("opacity", "radius", "padding") if k in value}
    return Look(
        value.get("look", base.look),
        parse_color(value["color"]) if "color" in value else base.color,
        num.get("opacity", base.opacity),
        num.get("radius", base.radius),
        num.get("padding", base.padding),
    )


def animate_from(value: Any) -> Animate | None:
    """An animation from its name or its table; None when the key is not given."""
    if value is None:
        return None
    if isinstance(value, str):
        return Animate(value, "none")
    return Animate(
        value.get("in", "none"),
        value.get("out", "none"),
        float(value["duration"]) if "duration" in value else None,
        value.get("easing", "ease-out"),
    )
