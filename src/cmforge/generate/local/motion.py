"""The stand-in's camera move over one still: the picture prepared with Pillow, the move as a
small FFmpeg filter chain (a float window moved by `perspective`, so it does not shake).

Windows are in units of the picture cropped to the frame's shape: (x, y, w, h) in 0..1.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

Box = tuple[float, float, float, float]
ZOOM = 1.15  # zooms go 1.0 to 1.15; pans travel across a window this much smaller
MOVES = ("zoom-in", "pan-left", "zoom-out", "pan-right", "pan-up", "pan-down")


def windows(move: str) -> tuple[Box, Box]:
    """Start and end windows. "pan-left" moves the camera left: the picture slides right."""
    side = 1 / ZOOM
    mid = (1 - side) / 2
    whole, centre = (0.0, 0.0, 1.0, 1.0), (mid, mid, side, side)
    if move in ("zoom-in", "zoom-out"):
        return (whole, centre) if move == "zoom-in" else (centre, whole)
    ends = {
        "pan-left": ((1 - side, mid), (0.0, mid)),
        "pan-right": ((0.0, mid), (1 - side, mid)),
        "pan-up": ((mid, 1 - side), (mid, 0.0)),
        "pan-down": ((mid, 0.0), (mid, 1 - side)),
    }[move]
    (x0, y0), (x1, y1) = ends
    return (x0, y0, side, side), (x1, y1, side, side)


def union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def picture(src: Image.Image, size: tuple[int, int], region: Box) -> Image.Image:
    """The part of the picture the move passes over, at the frame's size (the picture first
    cropped to the frame's shape around its centre)."""
    w, h = size
    k = min(src.width / w, src.height / h)  # source pixels per frame pixel
    cw, ch = w * k, h * k
    left, top = (src.width - cw) / 2, (src.height - ch) / 2
    x, y, rw, rh = region
    box = (left + x * cw, top + y * ch, left + (x + rw) * cw, top + (y + rh) * ch)
    return src.resize(size, Image.LANCZOS, box=box)


def chain(region: Box, start: Box, end: Box, size: tuple[int, int], frames: int, fps: int) -> str:
    """FFmpeg filter text: the prepared picture held `frames` frames, its window moving from
    `start` to `end`, as BT.709 yuv420p at `fps` (no value holds a character to escape)."""
    w, h = size
    span = max(1, frames - 1)

    def local(box: Box) -> tuple[float, float, float, float]:
        sx, sy = w / region[2], h / region[3]
        return ((box[0] - region[0]) * sx, (box[1] - region[1]) * sy, box[2] * sx, box[3] * sy)

    (x0, y0, w0, h0), (x1, y1, w1, h1) = local(start), local(end)

    def lerp(a: float, b: float) -> str:  # perspective counts its input frames from 1
        return f"{a:.4f}+({b - a:.4f})*(in-1)/{span}"

    corners = {
        "x0": lerp(x0, x1),
        "y0": lerp(y0, y1),
        "x1": lerp(x0 + w0, x1 + w1),
        "y1": lerp(y0, y1),
        "x2": lerp(x0, x1),
        "y2": lerp(y0 + h0, y1 + h1),
        "x3": lerp(x0 + w0, x1 + w1),
        "y3": lerp(y0 + h0, y1 + h1),
    }
    move = ":".join(f"{k}={v}" for k, v in corners.items())
    return ",".join(
        [
            f"loop=loop={frames - 1}:size=1:start=0",
            f"perspective=interpolation=cubic:eval=frame:{move}",
            "scale=out_color_matrix=bt709:out_range=tv",
            "format=yuv420p",
            f"trim=end_frame={frames}",
            f"setpts=N/{fps}/TB",
        ]
    )


def load(path: Path) -> Image.Image:
    """Any still users have (EXIF-rotated, CMYK, 16-bit, with alpha) as upright RGB; alpha
    over black."""
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        if im.mode in ("I;16", "I;16B", "I;16L", "I"):
            im = im.point(lambda v: v / 257).convert("L")
        rgba = im.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
    flat.alpha_composite(rgba)
    return flat.convert("RGB")
