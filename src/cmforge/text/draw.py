"""Drawing a wrapped text block: glyphs, outline, shadow, **highlighted** characters, colour
emoji, and a typewriter's hidden characters, composited into one RGBA picture."""

from __future__ import annotations

import math
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from . import emoji, markup
from .fallback import load_font
from .wrap import clusters

SHADOW_OPACITY = 0.6
DEFAULT_HIGHLIGHT = (255, 209, 102, 255)  # #ffd166, when the style names none
NORMAL, HIGHLIGHT, HIDDEN = 0, 1, 2  # how a character is drawn


def shadow_params(size: float) -> tuple[float, float]:
    """(offset, blur radius) in px of the drop shadow at font size ``size``."""
    return max(1.0, round(size * 0.04)), max(1.0, size * 0.035)


def _solid(
    size: tuple[int, int], rgba: tuple[int, int, int, int], mask: Image.Image
) -> Image.Image:
    layer = Image.new("RGBA", size, (*rgba[:3], 0))
    alpha = rgba[3]
    layer.putalpha(mask if alpha == 255 else mask.point(lambda v: v * alpha // 255))
    return layer


# (a font face, or None for an emoji; text; NORMAL/HIGHLIGHT/HIDDEN; its size in the text's)
Piece = tuple[object, str, int, float]


def _pieces(lay: Any, line: str, where: list[int], marks: tuple[bool, ...], reveal: int | None):
    """A line as pieces drawn one way each: runs of one face, one look and one size, and
    single emoji. A hidden highlighted character keeps its scale, so it keeps its room."""
    out: list[Piece] = []
    i = 0
    for cl in clusters(line):
        idx = next((k for k in where[i : i + len(cl)] if k >= 0), -1)
        i += len(cl)
        lit = idx >= 0 and marks[idx]
        scale = lay.style.highlight_scale if lit else 1.0
        flag = HIGHLIGHT if lit else NORMAL
        if idx >= 0 and reveal is not None and idx >= reveal:
            flag = HIDDEN
        if emoji.picture_path(cl) is not None:
            out.append((None, cl, flag, scale))
            continue
        for face, piece in lay.chain.split(cl):
            last = out[-1] if out else None
            if last is not None and last[0] == face and last[2] == flag and last[3] == scale:
                out[-1] = (face, last[1] + piece, flag, scale)
            else:
                out.append((face, piece, flag, scale))
    return out


def draw(
    lay: Any,
    size: float,
    lines: list[str],
    marks: tuple[bool, ...],
    reveal: int | None = None,
    crop: tuple[int, int, int, int] | None = None,
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    st = lay.style
    sw = st.stroke_px
    _, top_em, bottom_em, baselines = lay.block(lines)
    where = markup.char_indices(lines, lay.text)
    placed = []  # (ink left of the line, ink width, [(piece, advance), ...])
    for line, row, lit in zip(lines, where, lay.lit_lines(lines), strict=True):
        pieces = _pieces(lay, line, row, marks, reveal)
        advances = [
            emoji.ADVANCE * size * k
            if face is None
            else load_font(face, size * k, st.weight).getlength(t)
            for face, t, _, k in pieces
        ]
        ext = lay.extent(line, lit)
        ink_l = ext.left * size
        ink_r = sum(advances) - (ext.advance - ext.right) * size
        placed.append((ink_l, max(0.0, ink_r - ink_l), list(zip(pieces, advances, strict=True))))
    block_w = max([w for _, w, _ in placed] + [0.0])
    m = math.ceil(lay.margin(size) + 0.25 * size + 2)  # generous canvas, cropped below
    canvas = (math.ceil(block_w) + 2 * m, math.ceil((bottom_em - top_em) * size) + 2 * m)
    fill = Image.new("L", canvas, 0)
    lit = Image.new("L", canvas, 0)  # highlighted characters
    pictures = Image.new("RGBA", canvas, (0, 0, 0, 0))  # colour emoji
    stroke = Image.new("L", canvas, 0) if sw else None
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[st.align]
    draws = {NORMAL: ImageDraw.Draw(fill), HIGHLIGHT: ImageDraw.Draw(lit)}
    stroke_draw = ImageDraw.Draw(stroke) if stroke is not None else None
    for i, (ink_l, line_w, pieces) in enumerate(placed):
        y = m + (baselines[i] - top_em) * size
        x = m + (block_w - line_w) * shift - ink_l
        for (face, text, flag, k), adv in pieces:
            if flag == HIDDEN:
                pass
            elif face is None:
                pic = emoji.picture(text, round(emoji.SIDE * size * k))
                pictures.alpha_composite(
                    pic, (round(x + emoji.LEFT * size * k), round(y + emoji.TOP * size * k))
                )
            else:
                font = load_font(face, size * k, st.weight)
                draws[flag].text((x, y), text, fill=255, font=font, anchor="ls")
                if stroke_draw is not None:
                    stroke_draw.text(
                        (x, y),
                        text,
                        fill=255,
                        font=font,
                        anchor="ls",
                        stroke_width=sw,
                        stroke_fill=255,
                    )
            x += adv
    glyphs = ImageChops.lighter(fill, lit)
    pic_alpha = pictures.getchannel("A")
    if stroke is not None and pic_alpha.getbbox():
        grow = 2 * max(1, round(sw)) + 1
        stroke = ImageChops.lighter(stroke, pic_alpha.filter(ImageFilter.MaxFilter(grow)))
    cover = stroke if stroke is not None else ImageChops.lighter(glyphs, pic_alpha)
    outer = st.stroke_rgba if stroke is not None else st.color
    out = Image.new("RGBA", canvas, (*outer[:3], 0))
    if st.shadow:
        offset, blur = shadow_params(size)
        shadow = Image.new("L", canvas, 0)
        shadow.paste(cover.filter(ImageFilter.GaussianBlur(blur)), (int(offset), int(offset)))
        opacity = SHADOW_OPACITY * max(st.color[3], outer[3]) / 255
        out = Image.alpha_composite(out, _solid(canvas, (0, 0, 0, round(255 * opacity)), shadow))
    if stroke is not None:
        if st.color[3] < 255:
            stroke = ImageChops.subtract(stroke, glyphs)  # translucent fill: no outline behind
        out = Image.alpha_composite(out, _solid(canvas, st.stroke_rgba, stroke))
    out = Image.alpha_composite(out, _solid(canvas, st.color, fill))
    if lit.getbbox():
        out = Image.alpha_composite(out, _solid(canvas, st.highlight or DEFAULT_HIGHLIGHT, lit))
    out = Image.alpha_composite(out, pictures)
    if crop is None:
        ink = out.getchannel("A").getbbox() or (m, m, m + 1, m + 1)
        rect = (m - sw, m - sw, m + block_w + sw, canvas[1] - m + sw)  # em box of the block
        crop = (
            max(0, math.floor(min(ink[0], rect[0])) - 1),
            max(0, math.floor(min(ink[1], rect[1])) - 1),
            min(canvas[0], math.ceil(max(ink[2], rect[2])) + 1),
            min(canvas[1], math.ceil(max(ink[3], rect[3])) + 1),
        )
    return out.crop(crop), crop
