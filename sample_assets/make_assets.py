"""Generate cmforge's demo assets (さくら進学塾 15 s ad) deterministically.

Everything is drawn with numpy/Pillow and encoded with the FFmpeg bundled in imageio-ffmpeg;
nothing is downloaded.  Usage:  python sample_assets/make_assets.py [--out DIR] [--only NAMES]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asset_draw import (
    BARK,
    CREAM,
    DPINK,
    NAVY,
    PINK,
    STEEL,
    Color,
    Pen,
    blossom,
    branch,
    canopy,
    glow,
    petal,
    save_ss,
    vgrad,
)

HERE = Path(__file__).resolve().parent
SKIN, SKIN2, HAIR = (252, 222, 202), (238, 188, 160), (48, 38, 54)


def make_student(path: Path) -> None:
    W, H, K = 1080, 1920, 2
    img = vgrad(W * K, H * K, (252, 246, 236), (238, 224, 204))
    p, rng = Pen(img, K), np.random.default_rng(7)
    # --- outside the window: sky, sun, clouds, town, sakura trees (clipped to the pane) ---
    out = vgrad(W * K, H * K, (104, 174, 226), (226, 243, 251))
    po = Pen(out, K)
    glow(out, 860 * K, 260 * K, 520 * K, (255, 250, 228), 0.9)
    for cx, cy, s in ((260, 330, 1.0), (700, 520, 0.75), (430, 700, 0.6)):
        for dx, dy, r in ((-70, 10, 50), (0, -25, 70), (75, 5, 55), (-20, 25, 55), (40, 30, 50)):
            po.circle(cx + dx * s, cy + dy * s, r * s, (255, 255, 255, 215))
    po.poly(
        [(80, 1000), (260, 930), (470, 975), (720, 910), (1000, 960), (1000, 1200), (80, 1200)],
        (176, 212, 220),
    )
    for i in range(14):
        x, hgt = 95 + i * 66, 40 + (i * 37 % 5) * 22
        po.rect((x, 1030 - hgt, x + 52, 1200), (198, 222, 232) if i % 2 else (186, 214, 228), 4)
    for side in (-1, 1):
        tips: list[tuple[float, float]] = []
        branch(po, rng, 540 - side * 520, 1180, -math.pi / 2 + side * 0.5, 330, 44, 3, tips)
        for tx, ty in tips:
            canopy(po, rng, tx, ty, 100, 75, 18, 9)
    img.paste(out.crop((80 * K, 120 * K, 1000 * K, 1180 * K)), (80 * K, 120 * K))
    # --- window frame, curtains, sill, props ---
    fr = (250, 246, 238)
    for b in (
        (62, 104, 1018, 132),
        (62, 1168, 1018, 1196),
        (62, 104, 92, 1196),
        (988, 104, 1018, 1196),
        (528, 120, 552, 1180),
        (80, 468, 1000, 486),
    ):
        p.rect(b, fr)
    p.rect((80, 132, 1000, 140), (214, 206, 194, 120))
    for x0, flip in ((10, 1), (1070, -1)):
        for j in range(6):
            xa = x0 + flip * j * 34
            p.poly(
                [
                    (xa, 90),
                    (xa + flip * 34, 90),
                    (xa + flip * (46 - j * 4), 1270),
                    (xa + flip * (6 - j * 4), 1270),
                ],
                (246, 214, 208) if j % 2 else (238, 198, 196),
            )
        p.rect((min(x0, x0 + flip * 210) - 4, 700, max(x0, x0 + flip * 210) + 4, 730), DPINK, 12)
    p.rect((0, 78, W, 96), NAVY, 9)
    p.rect((40, 1196, 1040, 1236), (236, 222, 200), 8)
    p.rect((40, 1236, 1040, 1252), (214, 196, 172, 200))
    p.rect((0, 1540, W, H), (229, 207, 176))
    p.rect((0, 1530, W, 1548), (214, 188, 152))
    p.poly([(140, 1196), (240, 1196), (225, 1100), (155, 1100)], (222, 124, 98))
    for i in range(7):
        a = -math.pi / 2 + (i - 3) * 0.38
        p.poly(petal(190, 1104, 95, 40, a), (106, 153, 78) if i % 2 else (134, 178, 98))
    books = ((NAVY, 150, 34), (PINK, 135, 30), (STEEL, 160, 32), ((233, 196, 106), 140, 28))
    for i, (c, w, h) in enumerate(books):
        y = 1196 - 34 * (i + 1) + 2
        p.rect((790 + i * 6, y, 790 + i * 6 + w, y + h - 2), c, 5)
    # --- sunbeams ---
    beams = Image.new("L", img.size, 0)
    bd = Pen(beams, K)
    for x, w in ((640, 120), (800, 80), (900, 150)):
        bd.poly([(x, 120), (x + w, 120), (x + w - 760, 1900), (x - 760 - w, 1900)], (46,))
    beams = beams.filter(ImageFilter.GaussianBlur(30 * K))
    img.paste((255, 248, 225), mask=beams)
    # --- student: backpack, torso, arms, head ---
    p.rect((318, 1005, 762, 1400), STEEL, 100)
    p.rect((232, 1070, 848, 2100), NAVY, 200)
    p.poly([(540, 1075), (800, 1110), (848, 1260), (848, 1920), (600, 1920)], (24, 45, 75))
    p.rect((488, 930, 592, 1090), SKIN, 30)
    p.ellipse((478, 920, 602, 990), SKIN2)
    p.poly([(438, 1068), (642, 1068), (540, 1300)], CREAM)
    for sgn in (-1, 1):
        p.poly([(540, 1090), (540 + sgn * 110, 1060), (540 + sgn * 86, 1140)], (255, 255, 255))
        p.poly(
            [
                (540 + sgn * 102, 1072),
                (540 + sgn * 150, 1075),
                (540 + sgn * 30, 1320),
                (540 + sgn * 8, 1310),
            ],
            (40, 70, 110),
        )
        p.poly([(540, 1150), (540 + sgn * 52, 1120), (540 + sgn * 56, 1190)], DPINK)
        p.poly([(540, 1150), (540 + sgn * 20, 1240), (540 + sgn * 40, 1232)], (212, 92, 132))
        sx = 540 + sgn * 190
        p.poly(
            [
                (sx - sgn * 5 - 36, 1068),
                (sx - sgn * 5 + 36, 1068),
                (sx + 32, 1920),
                (sx - 32, 1920),
            ],
            (48, 94, 124),
        )
        p.rect((sx - 30, 1330, sx + 30, 1372), (214, 224, 232), 8)
    p.circle(540, 1150, 16, (200, 82, 122))
    blossom(p, 690, 1250, 26, PINK, (255, 255, 255))
    for sgn, col in ((-1, (38, 66, 104)), (1, (26, 48, 80))):
        sh, el, hd = (540 + sgn * 262, 1150), (540 + sgn * 285, 1465), (540 + sgn * 140, 1600)
        for c, grow in (((14, 28, 50), 8), (col, 0)):
            p.line([sh, el, hd], c, 116 + grow)
            for (x, y), r in ((sh, 58), (el, 58), (hd, 52)):
                p.circle(x, y, r + grow / 2, c)
    p.rect((372, 1440, 708, 1780), (255, 255, 255), 14)
    p.rect((362, 1432, 690, 1772), PINK, 14)
    p.rect((362, 1432, 392, 1772), DPINK, 10)
    p.rect((430, 1500, 650, 1590), CREAM, 10)
    p.text((540, 1545), "合格ノート", 40, NAVY)
    blossom(p, 600, 1700, 34, (255, 255, 255, 200), DPINK, 0.3)
    for sgn in (-1, 1):
        x, y = 540 + sgn * 140, 1600
        p.circle(x + sgn * 26, y + 2, 42, (240, 240, 236))
        p.ellipse((x - 44, y - 40, x + 44, y + 44), SKIN)
        p.ellipse((x - 36, y - 6, x + 36, y + 30), (246, 208, 186))
    for y in (1830, 1900):
        p.circle(540, y, 12, (214, 170, 82))
    t = np.linspace(math.pi, 2 * math.pi, 48)
    cap = list(zip(540 + 192 * np.cos(t), 790 + 236 * np.sin(t)))
    side = [(732, 790), (740, 900), (734, 975), (706, 1012), (652, 1002)]
    p.poly(cap + side + [(1080 - x, y) for x, y in side[::-1]], HAIR)
    p.ellipse((368, 770, 414, 850), SKIN2)
    p.ellipse((666, 770, 712, 850), SKIN2)
    t = np.linspace(0, 2 * math.pi, 90)
    low = np.clip(np.sin(t), 0, 1)
    p.poly(list(zip(540 + 152 * np.cos(t) * (1 - 0.22 * low**2), 782 + 182 * np.sin(t))), SKIN)
    t = np.linspace(math.pi, 2 * math.pi, 40)
    cap = list(zip(540 + 186 * np.cos(t), 792 + 232 * np.sin(t)))
    zig = [
        (726 - i * 372 / 12, 736 - 6 * abs(i - 6) if i % 2 else 696 + 8 * math.sin(i))
        for i in range(13)
    ]
    p.poly(cap + [(726, 792)] + zig + [(354, 792)], HAIR)
    p.arc((410, 588, 670, 770), 210, 262, (96, 82, 110), 10)
    for sgn in (-1, 1):
        x = 540 + sgn * 150
        p.poly(
            [(x - sgn * 30, 700), (x + sgn * 40, 700), (x + sgn * 36, 985), (x + sgn * 4, 900)],
            HAIR,
        )
    for ex in (474, 606):
        p.arc((ex - 34, 726, ex + 34, 758), 200, 340, HAIR, 7)
        p.ellipse((ex - 21, 772, ex + 21, 830), (52, 40, 70))
        p.ellipse((ex - 16, 796, ex + 16, 827), (106, 84, 140))
        p.circle(ex - 7, 790, 8, (255, 255, 255))
        p.circle(ex + 8, 815, 4, (255, 255, 255))
        p.arc((ex - 30, 766, ex + 30, 798), 195, 345, (40, 30, 46), 6)
        p.ellipse(
            (ex - 34 - (ex < 540) * 8, 852, ex + 26 + (ex > 540) * 8, 880), (248, 170, 178, 150)
        )
    p.arc((530, 836, 550, 856), 20, 160, SKIN2, 4)
    p.d.chord(p.box((505, 872, 575, 930)), 0, 180, fill=(184, 72, 92))
    p.d.chord(p.box((522, 908, 558, 934)), 180, 360, fill=(236, 128, 140))
    save_ss(img, path, (W, H))


def make_classroom(path: Path) -> None:
    W, H, K = 1920, 1280, 2
    F, CX, CY, CAMX, CAMY = 1000.0, 960.0, 470.0, -1.5, 1.55
    img = Image.new("RGB", (W * K, H * K), CREAM)
    p, rng = Pen(img, K), np.random.default_rng(11)

    def P(x: float, y: float, z: float) -> tuple[float, float]:
        return CX + F * (x - CAMX) / z, CY - F * (y - CAMY) / z

    def quad(pts3: Sequence[tuple[float, float, float]], fill: Color) -> None:
        p.poly([P(*q) for q in pts3], fill)

    XL, XR, ZB, YC = -4.2, 4.2, 6.5, 3.1
    quad([(XL, YC, 0.5), (XR, YC, 0.5), (XR, YC, ZB), (XL, YC, ZB)], (244, 238, 228))
    quad([(XL, 0, 0.5), (XR, 0, 0.5), (XR, 0, ZB), (XL, 0, ZB)], (218, 178, 132))
    for i in range(29):
        x = XL + i * 0.3
        quad([(x, 0, 0.6), (x + 0.012, 0, 0.6), (x + 0.012, 0, ZB), (x, 0, ZB)], (196, 152, 108))
    quad([(XL, 0, 0.5), (XL, YC, 0.5), (XL, YC, ZB), (XL, 0, ZB)], (240, 228, 208))
    quad([(XR, 0, 0.5), (XR, YC, 0.5), (XR, YC, ZB), (XR, 0, ZB)], (236, 224, 204))
    quad([(XL, 0, ZB), (XR, 0, ZB), (XR, YC, ZB), (XL, YC, ZB)], (248, 240, 226))
    for x in (XL, XR):
        quad([(x, 0, 0.5), (x, 0.9, 0.5), (x, 0.9, ZB), (x, 0, ZB)], (226, 200, 160))
    quad([(XL, 0, ZB), (XR, 0, ZB), (XR, 0.9, ZB), (XL, 0.9, ZB)], (230, 206, 168))
    # windows on the left wall: sky + sakura seen through, pasted with a mask
    outside = vgrad(W * K, H * K, (110, 178, 230), (226, 243, 251))
    po = Pen(outside, K)
    glow(outside, 60 * K, 120 * K, 700 * K, (255, 250, 230), 0.9)
    for cx, cy in ((330, 330), (160, 560)):
        for dx, dy, r in ((-60, 10, 40), (0, -20, 56), (60, 5, 44), (-10, 20, 44)):
            po.circle(cx + dx, cy + dy, r, (255, 255, 255, 220))
    tips: list[tuple[float, float]] = []
    branch(po, rng, 420, 900, -1.9, 300, 40, 3, tips)
    branch(po, rng, 100, 900, -1.3, 280, 36, 3, tips)
    for tx, ty in tips:
        canopy(po, rng, tx, ty, 110, 80, 22, 10)
    mask = Image.new("L", img.size, 0)
    panes = [(2.9, 4.0), (4.1, 5.2), (5.3, 6.3)]
    for z0, z1 in panes:
        Pen(mask, K).poly(
            [P(XL, 0.95, z0), P(XL, 0.95, z1), P(XL, 2.75, z1), P(XL, 2.75, z0)], (255,)
        )
    img.paste(outside, mask=mask)
    for z0, z1 in panes:
        for a, b in (
            ((0.95, z0), (0.95, z1)),
            ((2.75, z0), (2.75, z1)),
            ((0.95, z0), (2.75, z0)),
            ((0.95, z1), (2.75, z1)),
            ((0.95, (z0 + z1) / 2), (2.75, (z0 + z1) / 2)),
            ((1.85, z0), (1.85, z1)),
        ):
            p.line([P(XL, a[0], a[1]), P(XL, b[0], b[1])], (250, 248, 244), 9 * 4.5 / a[1])
        quad([(XL, 0.85, z0), (XL, 0.95, z0), (XL, 0.95, z1), (XL, 0.85, z1)], (236, 226, 210))
    # blackboard, clock, poster, teacher's desk with a vase of sakura
    bx0, bx1, by0, by1 = -2.6, 2.1, 0.85, 2.45
    (X0, Y0), (X1, Y1) = P(bx0, by1, ZB), P(bx1, by0, ZB)
    p.rect((X0 - 14, Y0 - 14, X1 + 14, Y1 + 14), (176, 130, 86), 6)
    img.paste(
        vgrad(round((X1 - X0) * K), round((Y1 - Y0) * K), (58, 100, 84), (40, 80, 66)),
        (round(X0 * K), round(Y0 * K)),
    )
    p.rect((X0 - 20, Y1 + 8, X1 + 20, Y1 + 24), (160, 116, 76), 4)
    for i, c in enumerate(((255, 255, 255), PINK, (250, 220, 120))):
        p.rect((X0 + 60 + i * 40, Y1 + 1, X0 + 88 + i * 40, Y1 + 9), c, 3)
    p.rect((X1 - 150, Y1 - 4, X1 - 70, Y1 + 10), (70, 70, 80), 3)
    chalk = Image.new("L", img.size, 0)
    cp = Pen(chalk, K)
    cp.text((X0 + 40, Y0 + 22), "合格へ一直線！", 58, (240,), "bold", "la")
    for i, line in enumerate(("x² − 5x + 6 = 0", "(x − 2)(x − 3) = 0", "x = 2, 3")):
        cp.text((X0 + 50, Y0 + 104 + i * 42), line, 31, (225,), "regular", "la")
    cp.text((X1 - 30, Y0 + 22), "4月8日(月)", 28, (220,), "regular", "ra")
    gx, gy = X1 - 210, Y0 + 200
    cp.line([(gx - 110, gy), (gx + 140, gy)], (190,), 3)
    cp.line([(gx - 60, gy + 30), (gx - 60, Y0 + 70)], (190,), 3)
    u = np.linspace(-1.25, 1.25, 40)
    cp.line(list(zip(gx + 20 + 90 * u, gy - 80 * (u**2 - 0.3))), (235,), 4)
    cp.line([(X0 + 46, Y0 + 94), (X0 + 400, Y0 + 96)], (160,), 3)
    tex = np.asarray(chalk, float) * np.random.default_rng(3).uniform(0.55, 1.0, (H * K, W * K))
    img.paste((246, 244, 236), mask=Image.fromarray(tex.astype(np.uint8)))
    cx, cy = P(1.3, 2.75, ZB)
    p.circle(cx, cy, 34, (255, 255, 255))
    p.arc((cx - 34, cy - 34, cx + 34, cy + 34), 0, 360, NAVY, 5)
    p.line([(cx, cy), (cx, cy - 24)], NAVY, 4)
    p.line([(cx, cy), (cx + 16, cy + 6)], NAVY, 4)
    (qx0, qy0), (qx1, qy1) = P(2.5, 2.45, ZB), P(3.5, 0.95, ZB)
    p.rect((qx0, qy0, qx1, qy1), (255, 252, 246), 4)
    p.rect((qx0, qy0, qx1, qy0 + 18), PINK)
    for i, ch in enumerate("全員合格"):
        p.text(((qx0 + qx1) / 2, qy0 + 60 + i * 46), ch, 38, NAVY)
    quad(
        [(-1.4, 0.78, 5.6), (0.6, 0.78, 5.6), (0.6, 0.78, 6.2), (-1.4, 0.78, 6.2)], (200, 150, 100)
    )
    quad([(-1.4, 0, 5.6), (0.6, 0, 5.6), (0.6, 0.78, 5.6), (-1.4, 0.78, 5.6)], (176, 128, 84))
    vx, vy = P(0.2, 0.78, 5.9)
    p.rect((vx - 12, vy - 60, vx + 12, vy), (190, 220, 236), 6)
    for i in range(4):
        p.line([(vx, vy - 50), (vx + (i - 1.5) * 26, vy - 100 - 12 * (i % 2))], BARK, 3)
    for i in range(11):
        a, d = i * 2.4, 8 + (i * 7) % 30
        blossom(p, vx + d * 1.3 * math.cos(a), vy - 100 + d * math.sin(a), 9, PINK, DPINK, i)
    # ceiling lights
    for z in (2.0, 3.6, 5.2):
        for x in (-2.4, 0.2, 2.6):
            quad(
                [
                    (x - 0.7, YC, z),
                    (x + 0.7, YC, z),
                    (x + 0.7, YC, z + 0.25),
                    (x - 0.7, YC, z + 0.25),
                ],
                (255, 255, 250),
            )
    # desks and chairs, far to near
    metal, wood, wood2, seat = (120, 128, 140), (226, 188, 140), (192, 148, 102), (92, 130, 160)
    for z in (4.8, 3.7, 2.6, 1.5):
        for x in (-3.2, -1.7, -0.2, 1.3, 2.8):
            x += rng.uniform(-0.05, 0.05)
            for lx, lz in ((x - 0.3, z), (x + 0.3, z), (x - 0.3, z + 0.4), (x + 0.3, z + 0.4)):
                p.line([P(lx, 0, lz), P(lx, 0.7, lz)], metal, 32 / lz)
            quad(
                [(x - 0.31, 0.5, z), (x + 0.31, 0.5, z), (x + 0.31, 0.68, z), (x - 0.31, 0.68, z)],
                (128, 136, 152),
            )
            quad(
                [
                    (x - 0.34, 0.72, z - 0.02),
                    (x + 0.34, 0.72, z - 0.02),
                    (x + 0.34, 0.72, z + 0.44),
                    (x - 0.34, 0.72, z + 0.44),
                ],
                wood,
            )
            quad(
                [
                    (x - 0.34, 0.69, z - 0.02),
                    (x + 0.34, 0.69, z - 0.02),
                    (x + 0.34, 0.72, z - 0.02),
                    (x - 0.34, 0.72, z - 0.02),
                ],
                wood2,
            )
            r = rng.uniform()
            if r < 0.5:
                c = [(255, 255, 255), PINK, (190, 220, 236)][int(r * 6)]
                bx = x + rng.uniform(-0.15, 0.05)
                quad(
                    [
                        (bx, 0.725, z + 0.08),
                        (bx + 0.24, 0.725, z + 0.08),
                        (bx + 0.24, 0.725, z + 0.3),
                        (bx, 0.725, z + 0.3),
                    ],
                    c,
                )
            cz = z - 0.35
            for lx, lz in ((x + dx, cz + dz) for dx in (-0.17, 0.17) for dz in (-0.05, 0.25)):
                p.line([P(lx, 0, lz), P(lx, 0.42, lz)], metal, 26 / lz)
            quad(
                [
                    (x - 0.2, 0.42, cz - 0.06),
                    (x + 0.2, 0.42, cz - 0.06),
                    (x + 0.2, 0.42, cz + 0.28),
                    (x - 0.2, 0.42, cz + 0.28),
                ],
                seat,
            )
            quad(
                [
                    (x - 0.2, 0.58, cz - 0.08),
                    (x + 0.2, 0.58, cz - 0.08),
                    (x + 0.2, 0.78, cz - 0.08),
                    (x - 0.2, 0.78, cz - 0.08),
                ],
                (70, 104, 136),
            )
            quad(
                [
                    (x - 0.2, 0.75, cz - 0.08),
                    (x + 0.2, 0.75, cz - 0.08),
                    (x + 0.2, 0.78, cz - 0.08),
                    (x - 0.2, 0.78, cz - 0.08),
                ],
                (120, 156, 184),
            )
    # sunlight: beams from the windows, warm grade
    beams = Image.new("L", img.size, 0)
    bp = Pen(beams, K)
    for z0, z1 in panes:
        bp.poly([P(XL, 2.75, z0), P(XL, 2.75, z1), P(0.8, 0, z1 - 1.2), P(0.8, 0, z0 - 1.2)], (34,))
        bp.poly(
            [
                P(-3.2, 0, z0 - 1.3),
                P(-3.2, 0, z1 - 1.3),
                P(-0.6, 0, z1 - 1.9),
                P(-0.6, 0, z0 - 1.9),
            ],
            (70,),
        )
    beams = beams.filter(ImageFilter.GaussianBlur(24 * K))
    img.paste((255, 244, 214), mask=beams)
    glow(img, 0, 300 * K, 1100 * K, (255, 240, 210), 0.35)
    save_ss(img, path, (W, H))


def make_logo(path: Path) -> None:
    K = 4
    img = Image.new("RGBA", (800 * K, 800 * K), (0, 0, 0, 0))
    p = Pen(img, K)
    cx, cy, r = 400, 270, 200
    for grow, col in ((14, (255, 255, 255, 255)), (0, PINK + (255,))):
        for i in range(5):
            a = -math.pi / 2 + i * 2 * math.pi / 5
            p.poly(
                petal(
                    cx - grow * math.cos(a) * 0.6,
                    cy - grow * math.sin(a) * 0.6,
                    r + grow * 1.6,
                    r * 0.8 + grow * 1.6,
                    a,
                ),
                col,
            )
    for i in range(5):
        a = -math.pi / 2 + i * 2 * math.pi / 5
        p.poly(
            petal(cx + 28 * math.cos(a), cy + 28 * math.sin(a), r * 0.62, r * 0.44, a),
            (249, 200, 216, 255),
        )
        b = a + math.pi / 5
        p.line([(cx, cy), (cx + 66 * math.cos(b), cy + 66 * math.sin(b))], DPINK + (255,), 6)
        p.circle(cx + 70 * math.cos(b), cy + 70 * math.sin(b), 11, DPINK + (255,))
    p.circle(cx, cy, 40, NAVY + (255,))
    p.circle(cx, cy, 16, PINK + (255,))
    white = (255, 255, 255, 255)
    p.text((400, 590), "さくら進学塾", 104, NAVY + (255,), stroke_width=7, stroke_fill=white)
    sub = "S A K U R A   S E M I N A R"
    p.text((400, 700), sub, 34, NAVY + (255,), "latin", stroke_width=5, stroke_fill=white)
    for sgn in (-1, 1):
        p.rect((400 + sgn * 300 - 40, 697, 400 + sgn * 300 + 40, 705), DPINK + (255,), 4)
    out = img.resize((800, 800), Image.LANCZOS)
    a = np.asarray(out).copy()
    a[a[..., 3] < 3] = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(a, "RGBA").save(path, optimize=True)


def run_job(name: str, out: Path, library: Path) -> tuple[str, float]:
    """Build one asset (runs in a worker process); returns its name and wall time."""
    import asset_audio
    import asset_clips
    import asset_stills
    import make_music

    t0 = time.perf_counter()
    {
        "student": lambda: make_student(out / "images" / "student.png"),
        "classroom": lambda: make_classroom(out / "images" / "classroom.png"),
        "logo": lambda: make_logo(out / "brand" / "logo.png"),
        "teacher": lambda: asset_stills.make_teacher(out / "images" / "teacher.png"),
        "desk": lambda: asset_stills.make_desk(out / "images" / "desk.png"),
        "hallway": lambda: asset_clips.make_hallway(out / "clips" / "hallway.mp4"),
        "notebook": lambda: asset_clips.make_notebook(out / "clips" / "notebook.mp4"),
        "narration": lambda: asset_audio.make_narration(out / "audio" / "narration.wav"),
        "music": lambda: make_music.build_library(library),
    }[name]()
    return name, time.perf_counter() - t0


JOBS = (
    "hallway",
    "music",
    "notebook",
    "classroom",
    "student",
    "teacher",
    "desk",
    "logo",
    "narration",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--out", type=Path, default=HERE, help="output directory (default: sample_assets/)"
    )
    ap.add_argument(
        "--library",
        type=Path,
        default=HERE.parent / "src" / "cmforge" / "data" / "library",
        help="music library directory (default: src/cmforge/data/library)",
    )
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ",".join(JOBS))
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = ap.parse_args(argv)
    wanted = [j for j in args.only.split(",") if j] or list(JOBS)
    unknown = set(wanted) - set(JOBS)
    if unknown:
        ap.error(f"unknown asset(s): {', '.join(sorted(unknown))}")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for fut in as_completed([pool.submit(run_job, n, args.out, args.library) for n in wanted]):
            name, secs = fut.result()
            print(f"{name:10s} {secs:5.1f} s", flush=True)
    print(f"all done in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
