"""The safe zone of a variant as the layout uses it: the platform table's zone
(`delivery/platforms.py`: every listed platform's insets intersected, or the generic zone
without a platform) rounded inwards to even pixels, since overlays land on even pixels in
4:2:0, with the boxes the apps' buttons cover inside it."""

from __future__ import annotations

from ..delivery.platforms import safe_zone
from .geometry import Box, Zone


def _up(v: int) -> int:
    return v + v % 2


def _down(v: int) -> int:
    return v - v % 2


def safe_area(platforms: tuple[str, ...] | list[str] | str, width: int, height: int) -> Zone:
    """The zone inside the safe area of every platform listed (none: the generic zone of the
    frame's aspect), at width x height."""
    z = safe_zone(platforms, width, height)
    x0, y0 = _up(z.area.x), _up(z.area.y)
    x1, y1 = _down(z.area.right), _down(z.area.bottom)
    avoid = tuple(Box(c.x, c.y, c.w, c.h) for c in z.covered)
    return Zone(Box(x0, y0, x1 - x0, y1 - y0), avoid, tuple(z.platforms))


def zone_for(output: object, width: int, height: int) -> Zone:
    """The zone of a variant: its output.platform (one name or a list), at its frame size."""
    return safe_area(tuple(getattr(output, "platforms", ()) or ()), width, height)
