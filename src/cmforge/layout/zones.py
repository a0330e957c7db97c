"""The safe zone of a variant: the box every text and logo stays inside.

`safe_area(platforms, width, height)` is the platform table's answer (the insets of every
listed platform, scaled to the frame, intersected); this module turns it into a `Zone`.
Until the platform table is part of cmforge, a small stand-in with the same signature holds
the figures of `docs/platforms.md` for the formats cmforge renders."""

from __future__ import annotations

from .geometry import Box, Zone

# insets (top, bottom, left, right) on the platform's canvas, and boxes the app's buttons
# cover (x, y, w, h); docs/platforms.md has the sources
_CANVAS = {"9:16": (1080, 1920), "1:1": (1080, 1080), "4:5": (1080, 1350), "16:9": (1920, 1080)}
_TABLE: dict[str, dict[str, tuple]] = {
    "9:16": {
        "tiktok": ((250, 660, 120, 120), ((780, 840, 300, 420),)),
        "shorts": ((288, 672, 48, 192), ()),
        "reels": ((285, 672, 80, 120), ()),
        "stories": ((269, 672, 65, 65), ()),
        "line": ((240, 240, 54, 54), ()),
        "x": ((96, 192, 54, 54), ()),
    },
    "1:1": {"feed": ((135, 135, 64, 64), ()), "line": ((54, 54, 54, 54), ())},
    "4:5": {"feed": ((135, 135, 64, 64), ())},
    "16:9": {"youtube": ((38, 387, 38, 162), ((0, 0, 496, 183), (1445, 0, 475, 133)))},
}
_MARGIN = 0.05  # a format no platform describes: 5 % of the short side on every edge


def _aspect(width: int, height: int) -> str | None:
    r = width / height
    return min(_CANVAS, key=lambda a: abs(r - _CANVAS[a][0] / _CANVAS[a][1]), default=None)


def safe_area(platforms: tuple[str, ...] | list[str], width: int, height: int) -> Zone:
    """The zone inside the safe area of every platform listed (none: every platform the
    frame's aspect has an entry for, so an ad made for no platform in particular is safe on
    all of them), scaled from the platform's canvas to width x height."""
    aspect = _aspect(width, height)
    table = _TABLE.get(aspect or "", {})
    cw, ch = _CANVAS.get(aspect or "", (width, height))
    if abs(width / height - cw / ch) > 0.02:
        table = {}
    names = [p for p in platforms if p in table] if platforms else list(table)
    if not names:
        m = round(_MARGIN * min(width, height))
        return Zone(Box(m, m, width - 2 * m, height - 2 * m), (), tuple(platforms))
    top = max(table[n][0][0] for n in names)
    bottom = max(table[n][0][1] for n in names)
    left = max(table[n][0][2] for n in names)
    right = max(table[n][0][3] for n in names)
    sx, sy = width / cw, height / ch
    x0, y0 = _up(left * sx), _up(top * sy)
    x1, y1 = _down(width - right * sx), _down(height - bottom * sy)
    avoid = tuple(
        Box(int(ax * sx), int(ay * sy), _up(aw * sx), _up(ah * sy))
        for n in names
        for ax, ay, aw, ah in table[n][1]
    )
    return Zone(Box(x0, y0, x1 - x0, y1 - y0), avoid, tuple(platforms))


def _up(v: float) -> int:
    """Whole pixels, rounded up to even (overlays land on even pixels in 4:2:0)."""
    n = int(-(-v // 1))
    return n + n % 2


def _down(v: float) -> int:
    n = int(v)
    return n - n % 2


def zone_for(recipe_output: object, width: int, height: int) -> Zone:
    """The zone of a variant: its output.platform (one name or a list), at its frame size."""
    platforms = getattr(recipe_output, "platform", None) or ()
    if isinstance(platforms, str):
        platforms = (platforms,)
    return safe_area(tuple(platforms), width, height)
