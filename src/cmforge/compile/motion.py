"""Ken Burns camera paths: a window moving over the fitted canvas, to the sub-pixel.

FFmpeg's zoompan rounds the window to whole pixels and shakes. Here Pillow crops the union of
all windows once (LANCZOS, float box), and FFmpeg's perspective filter moves a float window over
it per frame (fixed point, 1/256 px), so motion is smooth."""

from __future__ import annotations

from .stills import Box

ZOOM = 1.15  # zoom-in/out: 15 % over the scene
PAN_ZOOM = 1.12  # pans on a canvas with no room to move get this much zoom to make room
PAN_MAX = 0.25  # pans travel at most this fraction of the window


def windows(canvas: tuple[float, float], frame: tuple[int, int], motion: str) -> tuple[Box, Box]:
    """Start and end windows (x, y, w, h) on the canvas. "pan-left" moves the camera left:
    the picture slides right, as in film language."""
    cw, ch = canvas
    aspect = frame[0] / frame[1]
    bw, bh = (ch * aspect, ch) if cw / ch > aspect else (cw, cw / aspect)

    def centered(w: float, h: float, dx: float = 0.0, dy: float = 0.0) -> Box:
        return ((cw - w) / 2 + dx, (ch - h) / 2 + dy, w, h)

    if motion in ("zoom-in", "zoom-out"):
        a, b = centered(bw, bh), centered(bw / ZOOM, bh / ZOOM)
        return (a, b) if motion == "zoom-in" else (b, a)
    horizontal = motion in ("pan-left", "pan-right")
    room = (cw - bw) if horizontal else (ch - bh)
    w, h = bw, bh
    if room < 0.08 * (bw if horizontal else bh):
        w, h = bw / PAN_ZOOM, bh / PAN_ZOOM
        room = (cw - w) if horizontal else (ch - h)
    travel = min(room, PAN_MAX * (w if horizontal else h))
    half = travel / 2
    if horizontal:
        right, left = centered(w, h, dx=half), centered(w, h, dx=-half)
        return (right, left) if motion == "pan-left" else (left, right)
    low, high = centered(w, h, dy=half), centered(w, h, dy=-half)
    return (low, high) if motion == "pan-up" else (high, low)


def union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def corners(
    region: Box, start: Box, end: Box, frame: tuple[int, int], frames: int, first: int = 0
) -> dict[str, str]:
    """perspective= options: the window's corners on the prepared picture, linear in the frame.
    `first` is the scene frame the stream starts at (perspective counts its input from 1)."""
    sx, sy = frame[0] / region[2], frame[1] / region[3]

    def local(box: Box) -> tuple[float, float, float, float]:
        return ((box[0] - region[0]) * sx, (box[1] - region[1]) * sy, box[2] * sx, box[3] * sy)

    (x0, y0, w0, h0), (x1, y1, w1, h1) = local(start), local(end)
    span = max(1, frames - 1)

    def lerp(a: float, b: float) -> str:
        return f"{a:.4f}+({b - a:.4f})*min((in{first - 1:+d})/{span},1)"

    return {
        "x0": lerp(x0, x1),
        "y0": lerp(y0, y1),
        "x1": lerp(x0 + w0, x1 + w1),
        "y1": lerp(y0, y1),
        "x2": lerp(x0, x1),
        "y2": lerp(y0 + h0, y1 + h1),
        "x3": lerp(x0 + w0, x1 + w1),
        "y3": lerp(y0 + h0, y1 + h1),
    }
