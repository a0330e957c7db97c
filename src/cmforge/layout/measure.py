"""How big a text block is when drawn: its lines as rendered, its font size and its pixel
size. Measured by rasterising it exactly as the render will (Pillow, the same fonts and
wrapping), so the box the layout places is the box the picture fills."""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from .. import atomic
from ..recipe.model import Style
from ..text import TextStyle, render_text
from ..text.wrap import LAYOUT_VERSION

# the least font size text may shrink to, in px at 1080 on the frame's short side (scaled with
# it): below it a text is too small to read on a phone, and the layout reports an error
MIN_TEXT_PX = 40.0


@dataclass(frozen=True)
class Measured:
    width: int
    height: int
    font_size: float
    lines: tuple[str, ...]


def text_style(
    style: Style, scale: float, size: float | None = None, align: str = "center"
) -> TextStyle:
    """The drawing style of a recipe text style at `scale` (sizes are given at 1080 on the
    short side). It may shrink to fit down to the readable minimum, or to its own size when
    the recipe asks for smaller text on purpose."""
    px = size if size is not None else style.size
    floor = MIN_TEXT_PX * scale
    return TextStyle(
        font=style.font,
        weight=style.weight,
        color=style.color,
        size=px * scale if px else None,
        min_size=min(floor, px * scale) if px else floor,
        stroke_color=style.stroke.color if style.stroke.width else None,
        stroke_width=style.stroke.width * scale,
        align=align,
        shadow=style.shadow,
        highlight=style.highlight,
        highlight_scale=style.highlight_scale,
    )


def measure(text: str, style: TextStyle, box: tuple[int, int], base_dir: Path | None) -> Measured:
    """The text drawn into `box` (wrapped and shrunk to fit it); its size and lines."""
    return _measure(text, style, (int(box[0]), int(box[1])), base_dir)


@lru_cache(maxsize=512)
def _measure(text: str, style: TextStyle, box: tuple[int, int], base_dir: Path | None) -> Measured:
    if box[0] < 1 or box[1] < 1:
        return Measured(0, 0, 0.0, ())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # too small to fit is the layout's to report
        im = render_text(text, style, box, base_dir)
    return Measured(
        im.width, im.height, float(im.info.get("font_size", 0.0)), tuple(im.info.get("lines", ()))
    )


def too_small(m: Measured, style: TextStyle) -> bool:
    """True when the text had to shrink below its least size to fit."""
    return bool(m.lines) and m.font_size < style.min_size - 1e-6


def with_align(style: TextStyle, align: str) -> TextStyle:
    return replace(style, align=align)


class MeasureCache:
    """`measure`, its answers also kept as small files in `folder` (named by the text, style,
    box and the line breaking's version), so planning a recipe again measures nothing."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __call__(
        self, text: str, style: TextStyle, box: tuple[int, int], base_dir: Path | None
    ) -> Measured:
        key = json.dumps([text, repr(style), list(box), LAYOUT_VERSION, str(base_dir)])
        path = self.folder / f"measure-{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            return Measured(d["width"], d["height"], d["font_size"], tuple(d["lines"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        m = measure(text, style, box, base_dir)
        try:
            atomic.write_text(path, json.dumps(asdict(m), ensure_ascii=False))
        except OSError:  # a read-only folder: measured again next time
            pass
        return m
