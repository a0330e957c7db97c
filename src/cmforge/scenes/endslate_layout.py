"""Where the end slate's parts go, per shape of frame: rows of the safe zone, top to bottom,
in one or more blocks (a column of the zone, a stretch of its height). The layout stage
(cmforge/layout) places each part inside its row and cell; this module only says which.

- vertical (a frame taller than wide): one column: logo, name, campaign dates, the
  call-to-action button, the phone number, the QR code with its caption beside it, URL, LINE;
- square: what the ad says on the left, the QR code and its caption on the right, URL and
  LINE across the bottom;
- landscape: what the ad says (URL and LINE included) on the left, the QR code on the right.
Without a QR code every shape uses the one centred column.

A text row is as tall as its text at its size (px at 1080 on the frame's short side, with
the button's or pill's padding); the logo and the QR code share what is left, each up to a
share of the block. When the rows need more than the block, all shrink alike (texts shrink
to fit, down to the readable minimum); when they need less, the stack is centred.
"""

from __future__ import annotations

from collections.abc import Iterable

FULL = (0.0, 1.0)
GAP = 12.0  # px at 1080 between two rows
LINE = 1.3  # a text row's height, in font sizes
ROOM = 6  # px added to every text row, at any frame size
# the sizes of the parts' text, px at 1080 on the short side
SIZES = {
    "text": 72.0,
    "period": 44.0,
    "cta": 60.0,
    "phone": 80.0,
    "qr_caption": 40.0,
    "url": 40.0,
    "line_id": 40.0,
    "subtext": 44.0,
}
WEIGHTS = {"url": "regular", "line_id": "regular"}  # the small print; the rest as [style] says
PADS = {"cta": 24.0, "phone": 12.0}  # px at 1080 around the button's and the pill's text
# the logo and the QR code: (weight of what is left, least and most of the block's height);
# the QR code's least height is also its modules at their least size (`least` in bands())
FLEX = {"logo": (1.0, 0.12, 0.34), "qr": (0.0, 0.0, 0.3)}
LINES = {"qr_caption": 2}  # rows of two lines (beside the QR code it has the whole row)

Cell = tuple[str, tuple[float, float]]  # a part's name and its column (fractions of the block)
Row = tuple[Cell, ...]
Block = tuple[tuple[float, float], tuple[float, float], tuple[Row, ...]]  # x, y range, rows


def _rows(*names: str) -> tuple[Row, ...]:
    return tuple(((name, FULL),) for name in names)


# the QR code beside its caption: at most this much of the width (the caption starts right
# after the code as drawn, BESIDE_GAP px at 1080 past its quiet zone: see caption_column)
QR_COLUMN = 0.45
BESIDE_GAP = 8.0
HEAD = _rows("logo", "text", "period", "cta", "phone")
CONTACT = _rows("url", "line_id", "subtext")
QR_BESIDE: tuple[Row, ...] = ((("qr", (0.0, QR_COLUMN)), ("qr_caption", (QR_COLUMN, 0.86))),)
QR_UNDER = _rows("qr", "qr_caption")

STACK: tuple[Block, ...] = ((FULL, FULL, HEAD + QR_BESIDE + CONTACT),)
SHAPES: dict[str, tuple[Block, ...]] = {
    "vertical": STACK,
    "square": (
        ((0.0, 0.58), (0.0, 0.77), HEAD),
        ((0.61, 1.0), (0.0, 0.77), QR_UNDER),
        (FULL, (0.78, 1.0), CONTACT),
    ),
    "landscape": (
        ((0.0, 0.6), FULL, HEAD + CONTACT),
        ((0.64, 1.0), (0.08, 0.92), QR_UNDER),
    ),
    "plain": STACK,  # any shape without a QR code
}
# vertical: the QR code shares what is left with the logo (a third to the logo's two), so a
# tall zone gives it more than its least size; square and landscape: it is its block's own
FLEX_BLOCK = {
    "vertical": {"qr": (0.5, 0.0, 0.32)},
    "square": {"qr": (1.0, 0.3, 0.8)},
    "landscape": {"qr": (1.0, 0.3, 0.72)},
}
BESIDE = ("vertical",)  # the shapes with the QR code's caption beside it (QR_BESIDE)
# a QR code with its caption under it sits on the caption (the bottom of its row)
QR_SITS = ("square", "landscape")


# in the vertical shape the QR code, its caption, the URL and LINE are one block set flush
# left (the apps' buttons take the lower right of a vertical frame); the rest is centred
LEFT_IN = {"vertical": ("qr", "qr_caption", "url", "line_id", "subtext")}


def shape_of(width: int, height: int, qr: bool) -> str:
    if not qr:
        return "plain"
    if height > width * 1.2:
        return "vertical"
    return "landscape" if width > height * 1.2 else "square"


def caption_column(qr_px: int, zone_w: int, scale: float) -> tuple[float, float]:
    """The caption's column in the vertical shape: from BESIDE_GAP after the QR code as
    drawn (qr_px wide, flush left in the zone) to the row's end, so it sits right beside it."""
    start = min((qr_px + BESIDE_GAP * scale) / zone_w, QR_BESIDE[0][1][1][1] - 0.2)
    return (start, QR_BESIDE[0][1][1][1])


def _fixed(name: str) -> float:
    """A text row's height in px at 1080."""
    return SIZES[name] * LINE * LINES.get(name, 1) + 2 * PADS.get(name, 0.0)


def _floor(least: tuple[float, float] | None, share: float) -> float:
    if least is None:
        return 0.0
    want, hard = least
    return min(want, max(share, hard))


def bands(
    shape: str,
    present: Iterable[str],
    zone_h: float,
    scale: float,
    least: dict | None = None,
    fixed: dict | None = None,
) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """{part: ((top, bottom) of the zone's height, (left, right) of its width)} for the
    parts present, laid out as the shape says, in a safe zone `zone_h` px tall; `least`:
    (px a flexible part needs, px it cannot do without) (the QR code's modules at their
    least size, and at one pixel)."""
    least = dict(least or {})
    have = set(present)
    flex = {**FLEX, **FLEX_BLOCK.get(shape, {})}
    for name, px in (fixed or {}).items():
        least[name] = (px, px)
        flex[name] = (0.0, 0.0, px / zone_h)
    out = {}
    for (x0, x1), (y0, y1), rows in SHAPES[shape]:
        used = [cells for cells in ([c for c in row if c[0] in have] for row in rows) if cells]
        if not used:
            continue
        span = (y1 - y0) * zone_h
        heights: list = []  # px of each row: fixed, or None for a logo / QR row
        floors: list[float] = []
        for cells in used:
            names = [n for n, _ in cells]
            big = [n for n in names if n in flex]
            # + ROOM px: a text's picture keeps a pixel or two around its ink at any size
            heights.append(None if big else max(_fixed(n) for n in names) * scale + ROOM)
            # at most its share of the block (but never below a pixel a module): a QR code too
            # big for it is its own error, the other parts keep their room
            floors.append(max((_floor(least.get(n), flex[n][2] * span) for n in big), default=0))
        gaps = GAP * scale * (len(used) - 1)
        left = span - gaps - sum(h for h in heights if h is not None) - sum(floors)
        weights = [
            flex[next(n for n, _ in cells if n in flex)] if h is None else None
            for cells, h in zip(used, heights)
        ]
        total_w = sum(w[0] for w in weights if w is not None) or 1.0
        for i, w in enumerate(weights):
            if w is not None:
                share = floors[i] + max(0.0, left) * w[0] / total_w
                heights[i] = max(w[1] * span, floors[i], min(share, w[2] * span))
        need = sum(heights) + gaps
        firm = sum(floors)  # a QR code's least size is never shrunk: the rest is
        k = min(1.0, (span - firm) / (need - firm)) if need > firm else 1.0
        y = y0 * zone_h + (span - firm - (need - firm) * k) / 2  # centred in the block
        for cells, h, floor in zip(used, heights, floors):
            top, bottom = y, y + floor + (h - floor) * k
            for name, (c0, c1) in cells:
                col = (x0 + (x1 - x0) * c0, x0 + (x1 - x0) * c1)
                out[name] = ((top / zone_h, bottom / zone_h), col)
            y = bottom + GAP * scale * k
    return out
