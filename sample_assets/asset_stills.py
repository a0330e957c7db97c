"""The templates' extra stills: a teacher at the blackboard and a study desk seen from above.

Flat vector art in the style of make_assets.py (2x supersampled Pen, Noto lettering); deterministic.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from asset_draw import (
    CREAM,
    DPINK,
    LPINK,
    NAVY,
    PINK,
    STEEL,
    Pen,
    blossom,
    glow,
    petal,
    save_ss,
    vgrad,
)
from PIL import Image, ImageFilter

SKIN, SKIN2, HAIR = (250, 218, 196), (234, 184, 156), (44, 36, 48)
CHALK = (246, 246, 238)
BOARD, BOARD2 = (38, 84, 66), (30, 70, 56)
WOOD, WOOD2 = (204, 156, 108), (184, 134, 90)


def _face(p: Pen, cx: float, cy: float, s: float) -> None:
    """A smiling adult face (head centre cx, cy; s = scale), hair short and neat, glasses."""
    t = np.linspace(0, 2 * math.pi, 90)
    low = np.clip(np.sin(t), 0, 1)
    p.ellipse((cx - 132 * s, cy - 20 * s, cx - 92 * s, cy + 60 * s), SKIN2)
    p.ellipse((cx + 92 * s, cy - 20 * s, cx + 132 * s, cy + 60 * s), SKIN2)
    p.poly(
        list(zip(cx + 118 * s * np.cos(t) * (1 - 0.2 * low**2), cy + 150 * s * np.sin(t))),
        SKIN,
    )
    t = np.linspace(math.pi, 2 * math.pi, 40)
    cap = list(zip(cx + 128 * s * np.cos(t), cy - 10 * s + 170 * s * np.sin(t)))
    fringe = [
        (cx + 122 * s, cy - 10 * s),
        (cx + 110 * s, cy - 70 * s),
        (cx + 30 * s, cy - 95 * s),
        (cx - 60 * s, cy - 60 * s),
        (cx - 112 * s, cy - 40 * s),
        (cx - 122 * s, cy - 10 * s),
    ]
    p.poly(cap + fringe, HAIR)
    for ex in (cx - 48 * s, cx + 48 * s):
        p.arc((ex - 26 * s, cy - 30 * s, ex + 26 * s, cy - 6 * s), 200, 340, HAIR, 6 * s)
        p.arc((ex - 20 * s, cy + 2 * s, ex + 20 * s, cy + 34 * s), 200, 340, (40, 30, 46), 7 * s)
        p.ellipse((ex - 30 * s, cy + 44 * s, ex + 22 * s, cy + 64 * s), (246, 168, 168, 120))
        # glasses
        p.d.rounded_rectangle(
            p.box((ex - 36 * s, cy - 12 * s, ex + 36 * s, cy + 40 * s)),
            radius=14 * s * p.k,
            outline=(60, 52, 70),
            width=round(5 * s * p.k),
        )
    p.line([(cx - 12 * s, cy + 8 * s), (cx + 12 * s, cy + 8 * s)], (60, 52, 70), 5 * s)
    p.arc((cx - 10 * s, cy + 44 * s, cx + 10 * s, cy + 60 * s), 20, 160, SKIN2, 4 * s)
    p.d.chord(
        p.box((cx - 38 * s, cy + 70 * s, cx + 38 * s, cy + 118 * s)), 0, 180, fill=(184, 72, 92)
    )
    p.d.chord(
        p.box((cx - 28 * s, cy + 70 * s, cx + 28 * s, cy + 84 * s)), 0, 180, fill=(255, 255, 255)
    )


def make_teacher(path: Path) -> None:
    """1080x1920: a smiling teacher in a navy suit points at a blackboard of 合格への道."""
    W, H, K = 1080, 1920, 2
    img = vgrad(W * K, H * K, (250, 244, 232), (236, 222, 200))
    p = Pen(img, K)
    # wall, board, clock, poster
    p.rect((0, 0, W, 120), (240, 230, 214))
    p.rect((-20, 150, 1000, 990), (150, 112, 78), 18)
    p.rect((0, 170, 980, 970), BOARD, 8)
    for i in range(6):  # chalk dust smudges
        y = 230 + i * 120
        p.rect((40 + (i * 53) % 200, y, 900 - (i * 71) % 240, y + 40), BOARD2 + (90,), 20)
    p.text((470, 285), "合格への道", 92, CHALK, underline=False)
    p.line([(210, 352), (740, 352)], (255, 209, 102), 8)
    p.text((60, 440), "① 基礎を固める", 52, CHALK, "bold", "lm")
    p.text((60, 540), "② 過去問で実戦", 52, CHALK, "bold", "lm")
    p.text((60, 640), "③ 弱点をつぶす", 52, CHALK, "bold", "lm")
    p.text((610, 470), "y = x² − 4x + 3", 46, (200, 230, 250), "latin", "lm")
    # parabola
    xs = np.linspace(-1.2, 1.2, 60)
    p.line([(770 + 140 * x, 760 - 150 * (1 - x * x)) for x in xs], (255, 209, 102), 6)
    p.line([(600, 760), (940, 760)], CHALK + (200,), 4)
    p.line([(770, 560), (770, 900)], CHALK + (200,), 4)
    p.circle(770, 610, 12, (244, 166, 192))
    p.rect((250, 966, 760, 990), (120, 88, 60), 6)
    for i, c in enumerate(((255, 255, 255), (244, 166, 192), (255, 209, 102), (150, 200, 240))):
        p.rect((300 + i * 70, 950, 350 + i * 70, 966), c, 6)
    # 合格 poster on the right wall
    p.rect((1012, 220, 1080, 700), (255, 255, 255))
    p.rect((1012, 220, 1080, 260), DPINK)
    for j, ch in enumerate("必勝"):
        p.text((1046, 330 + j * 110), ch, 70, NAVY)
    # window light
    beams = Image.new("L", img.size, 0)
    bd = Pen(beams, K)
    for x, w in ((-200, 140), (60, 90)):
        bd.poly([(x, 0), (x + w, 0), (x + w + 900, 1920), (x + 900 - w, 1920)], (40,))
    beams = beams.filter(ImageFilter.GaussianBlur(30 * K))
    img.paste((255, 250, 232), mask=beams)
    # podium (back), body
    cx = 600
    p.rect((cx - 330, 1060, cx + 330, 2100), NAVY, 210)
    p.poly(
        [(cx, 1080), (cx + 280, 1120), (cx + 330, 1300), (cx + 330, 1920), (cx + 60, 1920)],
        (22, 42, 70),
    )
    p.rect((cx - 55, 930, cx + 55, 1090), SKIN, 30)
    p.ellipse((cx - 60, 920, cx + 60, 990), SKIN2)
    p.poly([(cx - 110, 1060), (cx + 110, 1060), (cx, 1330)], (255, 255, 255))
    p.poly([(cx - 24, 1080), (cx + 24, 1080), (cx + 36, 1300), (cx, 1350), (cx - 36, 1300)], DPINK)
    for k in range(5):
        p.line([(cx - 30, 1120 + k * 45), (cx + 30, 1100 + k * 45)], (200, 84, 124), 8)
    p.poly([(cx - 20, 1066), (cx + 20, 1066), (cx + 16, 1100), (cx - 16, 1100)], (200, 84, 124))
    for sgn in (-1, 1):
        p.poly(
            [
                (cx + sgn * 100, 1060),
                (cx + sgn * 160, 1068),
                (cx + sgn * 40, 1400),
                (cx + sgn * 14, 1380),
            ],
            (40, 70, 110),
        )
    p.rect((cx + 150, 1180, cx + 250, 1200), (255, 255, 255), 6)  # pocket square
    p.rect((cx + 160, 1168, cx + 190, 1190), (244, 166, 192), 4)
    blossom(p, cx - 200, 1190, 22, PINK, (255, 255, 255))  # lapel pin
    # name badge
    p.rect((cx - 290, 1240, cx - 120, 1310), (255, 255, 255), 10)
    p.text((cx - 205, 1262), "数学科", 26, NAVY)
    p.text((cx - 205, 1292), "講師", 22, STEEL)
    # right arm raised, pointing at the board with a pointer
    sh, el, hd = (cx + 290, 1150), (cx + 380, 930), (cx + 300, 760)
    for c, grow in (((14, 28, 50), 8), ((34, 62, 100), 0)):
        p.line([sh, el, hd], c, 112 + grow)
        for (x, y), r in ((sh, 56), (el, 56)):
            p.circle(x, y, r + grow / 2, c)
    p.rect((hd[0] - 50, hd[1] - 10, hd[0] + 50, hd[1] + 30), (255, 255, 255), 10)
    p.line([(hd[0] - 10, hd[1] - 20), (640, 410)], (120, 80, 50), 12)
    p.circle(640, 410, 10, (255, 209, 102))
    p.ellipse((hd[0] - 48, hd[1] - 90, hd[0] + 40, hd[1] - 4), SKIN)
    # left arm holds a textbook against the chest
    sh, el = (cx - 290, 1150), (cx - 330, 1480)
    for c, grow in (((14, 28, 50), 8), ((38, 66, 104), 0)):
        p.line([sh, el, (cx - 120, 1540)], c, 112 + grow)
        for (x, y), r in ((sh, 56), (el, 56)):
            p.circle(x, y, r + grow / 2, c)
    p.rect((cx - 300, 1380, cx + 20, 1620), (255, 255, 255), 10)
    p.rect((cx - 310, 1370, cx + 6, 1606), STEEL, 10)
    p.rect((cx - 310, 1370, cx - 284, 1606), NAVY, 8)
    p.rect((cx - 250, 1420, cx - 30, 1500), CREAM, 8)
    p.text((cx - 140, 1460), "合格数学", 40, NAVY)
    p.ellipse((cx - 160, 1490, cx - 70, 1590), SKIN)
    _face(p, cx, 800, 1.05)
    # the room's floor line
    p.rect((0, 1780, W, H), (229, 207, 176))
    p.rect((0, 1770, W, 1786), (214, 188, 152))
    save_ss(img, path, (W, H))


def make_desk(path: Path) -> None:
    """1920x1280 top view of a study desk: an open notebook of worked maths, a textbook, pencils,
    an eraser, a clock at 21:00, tea and sakura petals, in warm lamp light."""
    W, H, K = 1920, 1280, 2
    img = vgrad(W * K, H * K, (214, 168, 118), (196, 146, 98))
    p, rng = Pen(img, K), np.random.default_rng(11)
    for i in range(26):  # wood grain
        y = 20 + i * 50 + rng.uniform(-8, 8)
        xs = np.linspace(0, W, 40)
        p.line([(x, y + 6 * math.sin(x / 180 + i)) for x in xs], (186, 138, 92, 90), 3)
    glow(img, 1500 * K, 250 * K, 900 * K, (255, 238, 200), 0.55)
    # textbook (left, rotated feel via polygon)
    p.poly([(110, 170), (560, 120), (620, 700), (170, 750)], (20, 36, 60, 60))
    p.poly([(90, 150), (540, 100), (600, 680), (150, 730)], NAVY)
    p.poly([(90, 150), (120, 147), (180, 727), (150, 730)], (18, 34, 60))
    p.poly([(200, 260), (480, 230), (500, 420), (220, 450)], CREAM)
    p.text((350, 305), "高校入試", 44, NAVY)
    p.text((355, 375), "数学 完全対策", 34, STEEL)
    blossom(p, 470, 600, 40, PINK, (255, 255, 255), 0.4)
    # notebook, open (centre)
    nx0, ny0, nx1, ny1 = 560, 230, 1500, 1130
    p.rect((nx0 + 16, ny0 + 20, nx1 + 16, ny1 + 20), (60, 40, 20, 70), 14)
    p.rect((nx0, ny0, nx1, ny1), (255, 253, 246), 12)
    mid = (nx0 + nx1) / 2
    p.rect((mid - 14, ny0, mid + 14, ny1), (232, 226, 214))
    for y in range(ny0 + 90, ny1 - 20, 46):
        p.line([(nx0 + 30, y), (mid - 24, y)], (170, 200, 230), 2)
        p.line([(mid + 24, y), (nx1 - 30, y)], (170, 200, 230), 2)
    p.line([(nx0 + 90, ny0 + 20), (nx0 + 90, ny1 - 20)], (240, 150, 160), 2)
    ink = (40, 48, 84)
    lines = ["連立方程式", "2x + y = 7", "x − y = 2", "3x = 9", "x = 3, y = 1"]
    for i, s in enumerate(lines):
        kind = "bold" if i == 0 else "latin"
        p.text((nx0 + 110, ny0 + 112 + i * 92), s, 42 if i else 40, ink, kind, "lm")
    p.ellipse((nx0 + 96, ny0 + 460, nx0 + 390, ny0 + 530), (0, 0, 0, 0))
    p.arc((nx0 + 96, ny0 + 462, nx0 + 400, ny0 + 540), 0, 360, (226, 70, 90), 5)
    p.text((mid + 60, ny0 + 112), "今日の目標", 40, ink, "bold", "lm")
    for i, (s, done) in enumerate(
        (("英単語 50個", True), ("数学 p.32-35", True), ("理科 復習", False))
    ):
        y = ny0 + 204 + i * 92
        p.rect((mid + 60, y - 18, mid + 96, y + 18), (255, 255, 255), 6)
        p.d.rounded_rectangle(
            p.box((mid + 60, y - 18, mid + 96, y + 18)), radius=6 * K, outline=ink, width=3 * K
        )
        if done:
            p.line([(mid + 64, y), (mid + 76, y + 12), (mid + 100, y - 22)], (226, 70, 90), 6)
        p.text((mid + 120, y), s, 38, ink, "bold", "lm")
    # sticky note 合格!
    p.poly(
        [(mid + 150, 840), (mid + 400, 820), (mid + 420, 1040), (mid + 170, 1060)], (255, 232, 120)
    )
    p.text((mid + 285, 940), "合格!", 64, (200, 60, 80))
    blossom(p, mid + 370, 1000, 18, (255, 255, 255), DPINK)
    # pencil across the notebook
    a, L = -0.22, 420
    x0, y0 = 640, 1070
    c, s = math.cos(a), math.sin(a)

    def pt(u: float, v: float) -> tuple[float, float]:
        return (x0 + u * c - v * s, y0 + u * s + v * c)

    p.poly([pt(0, 10), pt(0, 26), pt(L, 26), pt(L, 10)], (30, 20, 10, 60))
    p.poly([pt(0, -12), pt(L - 70, -12), pt(L - 70, 12), pt(0, 12)], (245, 190, 60))
    p.poly([pt(0, -12), pt(L - 70, -12), pt(L - 70, -4), pt(0, -4)], (255, 214, 100))
    p.poly([pt(L - 70, -12), pt(L, 0), pt(L - 70, 12)], (240, 214, 170))
    p.poly([pt(L - 22, -4), pt(L, 0), pt(L - 22, 4)], (50, 50, 50))
    p.poly([pt(-40, -12), pt(0, -12), pt(0, 12), pt(-40, 12)], (200, 200, 210))
    p.poly([pt(-80, -12), pt(-40, -12), pt(-40, 12), pt(-80, 12)], PINK)
    # eraser, ruler
    p.rect((1560, 920, 1720, 990), (255, 255, 255), 8)
    p.rect((1560, 920, 1620, 990), (70, 130, 200), 8)
    p.poly([(60, 900), (520, 860), (530, 930), (70, 970)], (200, 232, 240, 220))
    for i in range(16):
        u = i / 15
        x, y = 70 + 450 * u, 905 - 40 * u
        p.line([(x, y), (x + 1, y + (22 if i % 5 == 0 else 12))], (60, 90, 110), 3)
    # alarm clock (top right) at 21:00
    p.circle(1730, 260, 150, (30, 20, 10, 50))
    p.circle(1720, 250, 150, DPINK)
    p.circle(1720, 250, 122, (255, 255, 255))
    for i in range(12):
        a = i * math.pi / 6
        r0 = 100 if i % 3 else 92
        p.line(
            [
                (1720 + r0 * math.sin(a), 250 - r0 * math.cos(a)),
                (1720 + 112 * math.sin(a), 250 - 112 * math.cos(a)),
            ],
            NAVY,
            5,
        )
    p.line([(1720, 250), (1720 - 62, 250)], NAVY, 12)
    p.line([(1720, 250), (1720, 150)], NAVY, 8)
    p.circle(1720, 250, 12, DPINK)
    # tea cup (bottom right)
    p.circle(1740, 1150, 120, (30, 20, 10, 50))
    p.circle(1730, 1140, 118, (255, 255, 255))
    p.circle(1730, 1140, 92, (196, 214, 120))
    glow(img, 1700 * K, 1110 * K, 40 * K, (240, 250, 200), 0.6)
    p.rect((1840, 1120, 1900, 1160), (255, 255, 255), 18)
    # petals drifting on the desk
    for _ in range(18):
        x, y = rng.uniform(40, W - 40), rng.uniform(40, H - 40)
        if 560 < x < 1500 and 230 < y < 1130:
            continue
        p.poly(
            petal(x, y, rng.uniform(26, 40), rng.uniform(18, 26), rng.uniform(0, 6.3)),
            LPINK + (235,),
        )
    save_ss(img, path, (W, H))
