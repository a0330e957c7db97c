"""Per-character font fallback, glyph coverage and cached font metrics."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from .fonts import FontFace, bundled_fallbacks, cjk_face, resolve_face
from .style import TextStyle
from .wrap import clusters

REF_SIZE = 256  # metrics are measured once at this size and scaled
_EMOJI_NAME = "NotoEmoji"


@functools.cache
def coverage(face: FontFace) -> frozenset[int]:
    """Code points mapped by the face's cmap (read once per file with fontTools)."""
    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@functools.cache
def em_box(face: FontFace) -> tuple[float, float]:
    """(ascent, descent) of the face's design em box in ems, from OS/2 typo metrics."""
    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        upem = font["head"].unitsPerEm
        if "OS/2" in font and font["OS/2"].sTypoAscender > 0:
            os2 = font["OS/2"]
            return os2.sTypoAscender / upem, -os2.sTypoDescender / upem
        hhea = font["hhea"]
        return hhea.ascent / upem, -hhea.descent / upem


@functools.lru_cache(maxsize=256)
def load_font(face: FontFace, size: float, weight: str) -> ImageFont.FreeTypeFont:
    """A FreeTypeFont at ``size`` px; variable fonts get their wght axis set for ``weight``."""
    font = ImageFont.truetype(str(face.path), size, index=face.index)
    try:
        axes = font.get_variation_axes()
    except OSError:
        return font  # not a variable font
    target = 700 if weight == "bold" else 400
    values = []
    for axis in axes:
        name = axis.get("name", b"")
        if name in (b"Weight", "Weight"):
            values.append(min(max(target, axis["minimum"]), axis["maximum"]))
        else:
            values.append(axis["default"])
    font.set_variation_by_axes(values)
    return font


@dataclass(frozen=True)
class Glyphs:
    """Metrics of one cluster drawn with one face, in ems (y grows downwards, baseline 0)."""

    advance: float
    left: float
    top: float
    right: float
    bottom: float
    inked: bool


@functools.lru_cache(maxsize=8192)
def glyph_metrics(face: FontFace, weight: str, text: str) -> Glyphs:
    font = load_font(face, REF_SIZE, weight)
    advance = font.getlength(text) / REF_SIZE
    mask, (ox, oy) = font.getmask2(text, anchor="ls")
    bbox = mask.getbbox()
    if not bbox:
        return Glyphs(advance, 0.0, 0.0, 0.0, 0.0, False)
    x0, y0, x1, y1 = bbox
    s = 1 / REF_SIZE
    return Glyphs(advance, (ox + x0) * s, (oy + y0) * s, (ox + x1) * s, (oy + y1) * s, True)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Cc", "Mn", "Me") or ch == "\u200b"


class FontChain:
    """Primary face followed by the fallback faces; picks a face for each cluster."""

    def __init__(self, primary: FontFace, weight: str) -> None:
        cjk = cjk_face(weight)
        faces = [primary] + ([cjk] if cjk != primary else []) + bundled_fallbacks()
        self.faces: list[FontFace] = list(dict.fromkeys(faces))
        self.weight = weight
        self.primary = primary
        self._cache: dict[str, list[tuple[FontFace, str]]] = {}

    def _emoji(self) -> FontFace | None:
        return next((f for f in self.faces if f.path.name.startswith(_EMOJI_NAME)), None)

    def _face_for(self, ch: str, presentation: str) -> FontFace | None:
        cp = ord(ch)
        emoji = self._emoji()
        if presentation == "emoji" and emoji is not None and cp in coverage(emoji):
            return emoji
        for face in self.faces:
            if face == emoji and presentation == "text":
                continue
            if cp in coverage(face):
                return face
        return None

    def split(self, cluster: str) -> list[tuple[FontFace, str]]:
        """Drawable pieces ``(face, text)`` of one cluster; unsupported format chars dropped."""
        hit = self._cache.get(cluster)
        if hit is not None:
            return hit
        out: list[tuple[FontFace, str]] = []
        presentation = ""
        if "\ufe0f" in cluster or "\u200d" in cluster or 0x1F3FB <= ord(cluster[-1]) <= 0x1F3FF:
            presentation = "emoji"
        elif "\ufe0e" in cluster:
            presentation = "text"
        for ch in cluster:
            if out and ord(ch) in coverage(out[-1][0]):
                out[-1] = (out[-1][0], out[-1][1] + ch)
                continue
            if _invisible(ch):
                continue  # selector / joiner / mark the chosen font lacks: drop, never tofu
            face = self._face_for(ch, presentation)
            if face is None:
                face = self.primary  # nothing covers it: the primary font's .notdef
            out.append((face, ch))
        self._cache[cluster] = out
        return out

    def runs(self, text: str) -> list[tuple[FontFace, str]]:
        """Maximal runs of ``text`` drawable with one face each."""
        out: list[tuple[FontFace, str]] = []
        for cl in clusters(text):
            for face, piece in self.split(cl):
                if out and out[-1][0] == face:
                    out[-1] = (face, out[-1][1] + piece)
                else:
                    out.append((face, piece))
        return out

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no available font can draw (they would be tofu)."""
        return sorted(
            {
                ch
                for ch in text
                if not _invisible(ch)
                and ch not in "\n\r"
                and not any(ord(ch) in coverage(f) for f in self.faces)
            }
        )


@functools.lru_cache(maxsize=32)
def font_chain(primary: FontFace, weight: str) -> FontChain:
    return FontChain(primary, weight)


def font_runs(
    text: str, style: TextStyle | None = None, base_dir: Path | None = None
) -> list[tuple[str, Path]]:
    """Which font file draws which part of ``text``: ``[(run_text, font_path), ...]``.

    Characters no font can draw come out with the primary font (they would be tofu); format
    characters the chosen font lacks (U+FE0F, ZWJ, ...) are dropped.
    """
    style = style or TextStyle()
    chain = font_chain(resolve_face(style.font, style.weight, base_dir), style.weight)
    return [(piece, face.path) for face, piece in chain.runs(text)]
