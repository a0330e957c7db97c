"""Drawing helpers shared by the cmforge sample-asset scripts (supersampled flat vector art)."""

from __future__ import annotations

import importlib.resources as res
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

Color = tuple[int, ...]
Pts = Sequence[tuple[float, float]]
NAVY, PINK, DPINK, LPINK = (29, 53, 87), (244, 166, 192), (226, 112, 150), (251, 214, 225)
CREAM, STEEL, BARK = (253, 248, 240), (69, 123, 157), (104, 78, 80)


@cache
def font(size: int, kind: str = "bold") -> ImageFont.FreeTypeFont:
    """kind: bold / regular (Noto Sans CJK JP) or latin (Noto Sans, SemiBold)."""
    if kind == "latin":
        f = ImageFont.truetype(str(res.files("manimgx_fonts") / "NotoSans[wght].ttf"), size)
        f.set_variation_by_axes([600])
        return f
    pkg = f"noto_cjk_sans_jp_{kind}"
    return ImageFont.truetype(str(res.files(pkg) / f"NotoSansCJKjp-{kind.title()}.otf"), size)


class Pen:
    """ImageDraw wrapper taking 1x coordinates and drawing on a k-times supersampled canvas."""

    def __init__(self, img: Image.Image, k: float = 2) -> None:
        self.img, self.k, self.d = (
            img,
            k,
            ImageDraw.Draw(img, "RGBA" if img.mode == "RGB" else None),
        )

    def s(self, pts: Pts) -> list[tuple[float, float]]:
        return [(x * self.k, y * self.k) for x, y in pts]

    def box(self, b: Sequence[float]) -> list[float]:
        return [v * self.k for v in b]

    def ellipse(self, b: Sequence[float], fill: Color) -> None:
        self.d.ellipse(self.box(b), fill=fill)

    def circle(self, x: float, y: float, r: float, fill: Color) -> None:
        self.ellipse((x - r, y - r, x + r, y + r), fill)

    def rect(self, b: Sequence[float], fill: Color, r: float = 0) -> None:
        self.d.rounded_rectangle(self.box(b), radius=r * self.k, fill=fill)

    def poly(self, pts: Pts, fill: Color) -> None:
        self.d.polygon(self.s(pts), fill=fill)

    def line(self, pts: Pts, fill: Color, w: float) -> None:
        self.d.line(self.s(pts), fill=fill, width=max(1, round(w * self.k)), joint="curve")

    def arc(self, b: Sequence[float], a0: float, a1: float, fill: Color, w: float) -> None:
        self.d.arc(self.box(b), a0, a1, fill=fill, width=round(w * self.k))

    def text(
        self,
        xy: tuple[float, float],
        s: str,
        size: int,
        fill: Color,
        kind: str = "bold",
        anchor: str = "mm",
        **kw: object,
    ) -> None:
        kw = {k: (v * self.k if k == "stroke_width" else v) for k, v in kw.items()}
        self.d.text(
            (xy[0] * self.k, xy[1] * self.k),
            s,
            font=font(round(size * self.k), kind),
            fill=fill,
            anchor=anchor,
            **kw,
        )


def vgrad(w: int, h: int, top: Color, bot: Color, mode: str = "RGB") -> Image.Image:
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    a = np.asarray(top, float) * (1 - t) + np.asarray(bot, float) * t
    return Image.fromarray(np.broadcast_to(a, (h, w, len(top))).round().astype(np.uint8), mode)


def glow(img: Image.Image, cx: float, cy: float, r: float, color: Color, amount: float) -> None:
    """Additive-ish soft radial light, blended in place (coordinates in canvas pixels)."""
    x0, y0 = max(0, int(cx - r)), max(0, int(cy - r))
    x1, y1 = min(img.width, int(cx + r)), min(img.height, int(cy + r))
    if x1 <= x0 or y1 <= y0:
        return
    a = np.asarray(img.crop((x0, y0, x1, y1)), float)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    f = amount * np.clip(1 - np.hypot(xx - cx, yy - cy) / r, 0, 1)[..., None] ** 2
    a[..., :3] = a[..., :3] * (1 - f) + np.asarray(color, float) * f
    img.paste(Image.fromarray(a.round().astype(np.uint8), img.mode), (x0, y0))


def petal(
    cx: float, cy: float, length: float, width: float, ang: float
) -> list[tuple[float, float]]:
    """Sakura petal polygon: base at (cx, cy), widest near the notched tip, pointing at ang."""
    s = np.linspace(0, 1, 28)
    half = width / 2 * np.sin(np.pi * 0.93 * s**1.44) ** 0.8
    u = np.concatenate([s, [0.84], s[::-1]]) * length
    v = np.concatenate([-half, [0.0], half[::-1]])
    c, n = math.cos(ang), math.sin(ang)
    return list(zip(cx + u * c - v * n, cy + u * n + v * c))


def blossom(p: Pen, x: float, y: float, r: float, fill: Color, mid: Color, rot: float = 0) -> None:
    for i in range(5):
        p.poly(petal(x, y, r, r * 0.78, rot + i * 2 * math.pi / 5), fill)
    p.circle(x, y, r * 0.2, mid)


def canopy(
    p: Pen,
    rng: np.random.Generator,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    n: int,
    flowers: int = 0,
) -> None:
    """A cloud of sakura blossom: overlapping pink discs, then a sprinkle of tiny flowers."""
    shades = [(246, 182, 204), PINK, LPINK, (249, 198, 214), (240, 150, 182)]
    for i in range(n):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.uniform(0, 1))
        r = rng.uniform(0.14, 0.24) * min(rx, ry) * (1.3 - 0.5 * d)
        col = shades[i % len(shades)] if d < 0.85 else shades[1]
        p.circle(cx + rx * d * math.cos(a), cy + ry * d * math.sin(a), r, col + (235,))
    for _ in range(flowers):
        a, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.uniform(0, 1))
        blossom(
            p,
            cx + rx * d * math.cos(a),
            cy + ry * d * math.sin(a),
            rng.uniform(6, 12),
            (255, 236, 242, 230),
            (214, 96, 138),
            rng.uniform(0, 6.3),
        )


def branch(
    p: Pen,
    rng: np.random.Generator,
    x: float,
    y: float,
    ang: float,
    length: float,
    w: float,
    depth: int,
    tips: list[tuple[float, float]],
) -> None:
    """Recursive tapering tree branch; records tip positions for blossom clusters."""
    x2, y2 = x + length * math.cos(ang), y + length * math.sin(ang)
    p.line([(x, y), (x2, y2)], BARK, w)
    p.circle(x2, y2, w / 2, BARK)
    if depth == 0:
        tips.append((x2, y2))
        return
    for da in (-0.45, 0.4):
        branch(
            p,
            rng,
            x2,
            y2,
            ang + da + rng.uniform(-0.2, 0.2),
            length * rng.uniform(0.62, 0.78),
            w * 0.68,
            depth - 1,
            tips,
        )


def save_ss(img: Image.Image, path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.resize(size, Image.LANCZOS).save(path, optimize=True)


def blurred(im: Image.Image, r: float) -> Image.Image:
    """Gaussian blur in premultiplied alpha (no dark fringes around transparent edges)."""
    return im.convert("RGBa").filter(ImageFilter.GaussianBlur(r)).convert("RGBA")
