"""Video clips for the cmforge sample assets: numpy/Pillow frames piped to FFmpeg (libx264)."""

from __future__ import annotations

import math
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from asset_audio import SR, ambience, write_wav
from asset_draw import (
    CREAM,
    DPINK,
    LPINK,
    NAVY,
    PINK,
    Pen,
    blossom,
    blurred,
    branch,
    canopy,
    font,
    glow,
    petal,
    vgrad,
)
from PIL import Image, ImageDraw, ImageFilter

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


# ----------------------------------------------------------------------------- video helpers
def encode(
    frames: Iterator[Image.Image],
    size: tuple[int, int],
    fps: int,
    path: Path,
    crf: int,
    audio: np.ndarray | None = None,
) -> None:
    """Pipe RGB frames into libx264 (yuv420p); optional stereo 48 kHz AAC track."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            FFMPEG,
            "-y",
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{size[0]}x{size[1]}",
            "-r",
            str(fps),
            "-i",
            "-",
        ]
        if audio is not None:
            write_wav(Path(tmp) / "a.wav", audio)
            cmd += [
                "-i",
                str(Path(tmp) / "a.wav"),
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-ar",
                str(SR),
                "-ac",
                "2",
                "-flags:a",
                "+bitexact",
            ]
        cmd += [
            "-c:v",
            "libx264",
            "-preset",
            "medium",
            "-crf",
            str(crf),
            "-pix_fmt",
            "yuv420p",
            "-profile:v",
            "high",
            "-flags:v",
            "+bitexact",
            "-fflags",
            "+bitexact",
            "-map_metadata",
            "-1",
            "-movflags",
            "+faststart",
            "-shortest",
            str(path),
        ]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
        assert proc.stdin is not None
        for im in frames:
            proc.stdin.write(im.convert("RGB").tobytes())
        proc.stdin.close()
        if proc.wait() != 0:
            raise RuntimeError(f"ffmpeg failed for {path}")


@cache
def petal_sprite(size: int, ang_i: int, squash_i: int, blur: float) -> Image.Image:
    """Falling-petal sprite (RGBA), rendered at 4x and reduced; cached per pose."""
    k, c = 4, size * 2
    im = Image.new("RGBA", (c * k, c * k), (250, 200, 216, 0))
    pen = Pen(im, k)
    ang = ang_i * math.pi / 12
    pts = petal(0, 0, size, size * 0.75, 0)
    sq = 0.25 + 0.75 * squash_i / 7
    pts = [(x - size / 2, y * sq) for x, y in pts]
    ca, sa = math.cos(ang), math.sin(ang)
    pen.poly(
        [(c / 2 + x * ca - y * sa, c / 2 + x * sa + y * ca) for x, y in pts], (248, 190, 210, 245)
    )
    pen.poly(
        [(c / 2 + (x * ca - y * sa) * 0.4, c / 2 + (x * sa + y * ca) * 0.4) for x, y in pts],
        (244, 166, 192, 150),
    )
    im = im.resize((c, c), Image.LANCZOS)
    return blurred(im, blur) if blur else im


def hallway_layers(W: int, H: int) -> tuple[Image.Image, Image.Image, Image.Image, Image.Image]:
    """Background (school building), midground (gate, trees, sign), foreground branches, sun rays."""
    K, rng, BW = 2, np.random.default_rng(31), W + 160
    bg = vgrad(BW * K, H * K, (96, 168, 226), (232, 244, 250))
    p = Pen(bg, K)
    glow(bg, 980 * K, 220 * K, 700 * K, (255, 248, 222), 0.95)
    for cx, cy, s in ((250, 300, 1.0), (820, 520, 0.7)):
        for dx, dy, r in ((-70, 10, 50), (0, -25, 70), (75, 5, 55), (-20, 25, 55)):
            p.circle(cx + dx * s, cy + dy * s, r * s, (255, 255, 255, 225))
    p.rect((120, 700, 1130, 1220), (246, 241, 232))
    p.rect((500, 560, 760, 720), (246, 241, 232))
    p.rect((110, 690, 1140, 712), (214, 208, 200))
    p.circle(630, 630, 52, (255, 255, 255))
    p.arc((578, 578, 682, 682), 0, 360, NAVY, 6)
    p.line([(630, 630), (630, 594)], NAVY, 5)
    p.line([(630, 630), (656, 640)], NAVY, 5)
    for r in range(4):
        for c in range(12):
            x, y = 150 + c * 82, 740 + r * 112
            p.rect((x, y, x + 62, y + 72), (150, 196, 226))
            p.rect((x, y, x + 62, y + 16), (196, 224, 240))
    p.rect((0, 1180, BW, H), (214, 220, 196))
    for side in (0, 1):
        for i in range(3):
            cx = 60 + side * (BW - 120) + (i - 1) * 90 * (1 - 2 * side)
            canopy(p, rng, cx, 1080 - i * 30, 170, 120, 30, 8)
    p.poly([(470, 1220), (790, 1220), (1200, H), (60, H)], (232, 220, 200))
    p.rect((560, 1090, 700, 1220), (120, 160, 190))
    p.rect((520, 1070, 740, 1094), (214, 208, 200))
    p.line([(630, 1094), (630, 1220)], (214, 208, 200), 6)
    for _ in range(260):
        x, y = rng.uniform(0, BW), rng.uniform(1230, H)
        p.ellipse((x - 7, y - 3, x + 7, y + 3), LPINK + (200,))
    mid = Image.new("RGBA", ((W + 300) * K, H * K), (0, 0, 0, 0))
    p = Pen(mid, K)
    for x0 in (130, 1120):
        p.rect((x0, 1000, x0 + 170, 1500), (206, 198, 186))
        p.rect((x0 - 14, 980, x0 + 184, 1024), (186, 178, 166), 6)
        p.rect((x0 + 150, 1380, x0 + 170, 1500), (180, 172, 160))
    p.rect((158, 1060, 272, 1420), (248, 244, 236), 4)
    for i, ch in enumerate("桜ヶ丘高等学校"):
        p.text((215, 1090 + i * 48), ch, 40, (60, 60, 70))
    for x in (960, 1100):
        p.rect((x - 6, 1600, x + 6, 1760), (160, 150, 140))
    p.rect((930, 1250, 1130, 1640), (255, 255, 255), 6)
    p.rect((942, 1262, 1118, 1628), CREAM, 4)
    for i, ch in enumerate("入学式"):
        p.text((1030, 1330 + i * 110), ch, 92, NAVY)
    for x, y in ((950, 1262), (1110, 1262), (1030, 1640)):
        blossom(p, x, y, 30, PINK, DPINK, x)
    fg = Image.new("RGBA", ((W + 300) * K, H * K), (250, 200, 216, 0))
    p = Pen(fg, K)
    for x0, y0, ang, ln in ((-40, 40, 0.5, 250), (W + 340, 330, math.pi - 0.25, 200)):
        tips: list[tuple[float, float]] = []
        branch(p, rng, x0, y0, ang, ln, 40, 3, tips)
        for tx, ty in tips:
            canopy(p, rng, tx, ty, 95, 70, 22, 10)
    fg = blurred(fg, 6)
    rays = Image.new("L", (W * K, H * K), 0)
    p = Pen(rays, K)
    for a in np.linspace(1.9, 2.6, 6):
        p.poly(
            [
                (1000, 180),
                (1000 + 2600 * math.cos(a - 0.03), 180 + 2600 * math.sin(a - 0.03)),
                (1000 + 2600 * math.cos(a + 0.03), 180 + 2600 * math.sin(a + 0.03)),
            ],
            (90,),
        )
    rays = rays.filter(ImageFilter.GaussianBlur(40))
    half = lambda im: im.resize((im.width // K, im.height // K), Image.LANCZOS)
    return half(bg), half(mid), half(fg), half(rays)


def subshift(im: Image.Image, x: float, w: int) -> Image.Image:
    """Crop a w-wide window starting at fractional x (linear interpolation; use RGBa for alpha)."""
    i, f = int(x), x - int(x)
    a, b = im.crop((i, 0, i + w, im.height)), im.crop((i + 1, 0, i + 1 + w, im.height))
    return Image.blend(a, b, f)


def blit(frame: Image.Image, spr: Image.Image, x: int, y: int) -> None:
    """alpha_composite a sprite at (x, y), clipped to the frame (sprites may be half outside)."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + spr.width, frame.width), min(y + spr.height, frame.height)
    if x1 > x0 and y1 > y0:
        frame.alpha_composite(spr, (x0, y0), (x0 - x, y0 - y, x1 - x, y1 - y))


def make_hallway(path: Path) -> None:
    W, H, FPS, N = 1080, 1920, 30, 120
    bg, mid, fg, rays = hallway_layers(W, H)
    bands = [
        (im.crop((0, im.getbbox()[1], im.width, im.getbbox()[3])).convert("RGBa"), im.getbbox()[1])
        for im in (mid, fg)
    ]
    rng = np.random.default_rng(41)
    petals = []
    for depth, count, sizes, blur, speed in (
        (0, 30, (10, 13), 0, 70),
        (1, 22, (18, 24), 0, 120),
        (2, 7, (36, 48), 2.5, 210),
    ):
        for _ in range(count):
            petals.append(
                (
                    depth,
                    rng.uniform(-100, W + 200),
                    rng.uniform(-100, H),
                    int(rng.choice(sizes)),
                    blur,
                    speed * rng.uniform(0.8, 1.2),
                    rng.uniform(0, 6.3),
                    rng.uniform(0.3, 1.0),
                    rng.uniform(1.0, 3.0),
                    rng.uniform(-2, 2),
                )
            )

    def frames() -> Iterator[Image.Image]:
        for i in range(N):
            t, e = i / FPS, 0.5 - 0.5 * math.cos(math.pi * i / (N - 1))
            shift = (40 * e, 90 * e, 170 * e)
            frame = subshift(bg, 60 + shift[0], W).convert("RGBA")
            for (lay, y0), dx, depth in ((bands[0], shift[1], 0), (bands[1], shift[2], 2)):
                if depth == 2:
                    for pt in (q for q in petals if q[0] < 2):
                        draw_petal(frame, pt, t, shift)
                frame.alpha_composite(subshift(lay, 100 + dx, W).convert("RGBA"), (0, y0))
            for pt in (q for q in petals if q[0] == 2):
                draw_petal(frame, pt, t, shift)
            k = 0.75 + 0.25 * math.sin(2.1 * t)
            frame.paste((255, 247, 226), mask=rays.point([int(v * k) for v in range(256)]))
            yield frame

    def draw_petal(frame: Image.Image, pt: tuple, t: float, shift: tuple[float, ...]) -> None:
        depth, x0, y0, size, blur, speed, ph, sway, freq, spin = pt
        y = (y0 + speed * t) % (H + 200) - 100
        x = (
            x0
            + 40 * sway * math.sin(freq * t + ph)
            - shift[depth] * (1.2 if depth == 2 else 1)
            - 60
            + 50 * t
        )
        ang_i = int((ph + spin * t) / (math.pi / 12)) % 24
        sq = int(abs(math.cos(freq * 1.7 * t + ph)) * 7.99)
        spr = petal_sprite(size, ang_i, sq, blur)
        blit(frame, spr, int(x) - size, int(y) - size)

    encode(frames(), (W, H), FPS, path, crf=21, audio=ambience(N / FPS))


def hand_text(
    mask: Image.Image, x: float, y: float, text: str, size: int, rng: np.random.Generator
) -> float:
    """Draw text into an L mask with per-character wobble (size, tilt, baseline); returns end x."""
    for ch in text:
        f = font(int(size * rng.uniform(0.94, 1.06)), "regular")
        adv = f.getlength(ch) * 0.96
        if ch.strip():
            g = Image.new("L", (size * 2, size * 2), 0)
            ImageDraw.Draw(g).text((size, size), ch, font=f, fill=255, anchor="mm")
            g = g.rotate(rng.uniform(-5, 5), Image.BICUBIC)
            mask.paste(255, (int(x + adv / 2 - size), int(y - size + rng.uniform(-2, 2))), g)
        x += adv
    return x


def pencil_sprites(ang: float) -> tuple[Image.Image, Image.Image, tuple[int, int]]:
    """Navy pencil with a sakura-pink eraser, tip at the returned offset; plus its soft shadow."""
    K, S = 2, 760
    img = Image.new("RGBA", (S * K, S * K), (0, 0, 0, 0))
    shadow = Image.new("RGBA", (S * K, S * K), (0, 0, 0, 0))
    tip = (40, 40)
    c, s = math.cos(ang), math.sin(ang)
    tr = lambda pts: [(tip[0] + u * c - v * s, tip[1] + u * s + v * c) for u, v in pts]
    parts = [
        ([(0, 0), (70, -22), (70, 22)], (233, 200, 156)),
        ([(0, 0), (22, -7), (22, 7)], (60, 60, 66)),
        ([(70, -22), (640, -22), (640, -8), (70, -8)], (52, 84, 126)),
        ([(70, -8), (640, -8), (640, 8), (70, 8)], NAVY),
        ([(70, 8), (640, 8), (640, 22), (70, 22)], (18, 36, 62)),
        ([(640, -23), (690, -23), (690, 23), (640, 23)], (200, 204, 210)),
        ([(690, -22), (730, -22), (734, 0), (730, 22), (690, 22)], PINK),
    ]
    for pts, col in parts:
        Pen(img, K).poly(tr(pts), col + (255,))
        Pen(shadow, K).poly(tr(pts), (40, 30, 20, 70))
    Pen(img, K).text(tr([(360, 0)])[0], "SAKURA", 18, (214, 180, 90, 255), "latin")
    half = lambda im: im.resize((S, S), Image.LANCZOS)
    return half(img), blurred(half(shadow), 7), tip


def make_notebook(path: Path) -> None:
    W, H, FPS, N = 1920, 1080, 24, 72
    rng = np.random.default_rng(51)
    y_, x_ = np.mgrid[0:H, 0:W].astype(np.float32)
    grain = 5 * np.sin(y_ / 4.5 + 3 * np.sin(x_ / 260 + y_ / 120)) + 6 * np.sin(
        y_ / 41 + np.sin(x_ / 520)
    )
    grain -= 30 * (np.abs((y_ % 270) - 135) > 133)
    desk = np.stack([188 + grain, 142 + grain * 0.8, 102 + grain * 0.6], -1)
    base = Image.fromarray(np.clip(desk, 0, 255).astype(np.uint8))
    p = Pen(base, 1)
    p.rect((1540, 300, 1740, 380), (60, 40, 30, 60), 10)
    p.rect((1530, 288, 1730, 368), (250, 250, 250), 10)
    p.rect((1600, 288, 1730, 368), (69, 123, 157), 4)
    p.rect((1630, 520, 1700, 980), (60, 40, 30, 60), 30)
    p.rect((1620, 510, 1690, 970), PINK, 30)
    p.rect((1620, 510, 1690, 640), (255, 255, 255), 30)
    p.rect((-170, 50, 1490, 1140), (120, 86, 60, 90), 18)
    p.rect((-160, 40, 1480, 1130), (240, 236, 226), 14)
    for x0 in (-140, 670):
        p.rect((x0, 48, x0 + 790, 1130), (253, 251, 245), 8)
        for y in range(200, H, 66):
            p.line([(x0 + 20, y), (x0 + 770, y)], (178, 206, 230), 2)
        p.line([(x0 + 100, 60), (x0 + 100, H)], PINK, 2)
    p.rect((1086, 716, 1396, 946), (60, 40, 30, 50), 4)
    p.rect((1080, 706, 1390, 936), LPINK, 4)
    note = Image.new("L", (W, H), 0)
    hand_text(note, 1108, 800, "がんばろう！", 46, rng)
    hand_text(note, 1180, 870, "合格まで", 40, rng)
    base.paste(NAVY, mask=note)
    xs = np.arange(W)
    shade = np.where(xs < 1480, np.clip(1 - 0.28 * np.exp(-np.abs(xs - 660) / 34), 0, 1), 1)
    arr = np.asarray(base, np.float32)
    arr[40:] *= shade[None, :, None]
    ink = Image.new("L", (W, H), 0)
    hand_text(ink, 20, 150, "二次方程式の解き方", 58, rng)
    hand_text(ink, 1330, 140, "4/8", 38, rng)
    for i, line in enumerate(("ax² + bx + c = 0", "① 因数分解", "② 解の公式")):
        hand_text(ink, 40, 299 + i * 132, line, 52, rng)
    gx, gy = 320, 860
    d = ImageDraw.Draw(ink)
    d.line([(gx - 230, gy), (gx + 230, gy)], 200, 3)
    d.line([(gx - 90, gy + 160), (gx - 90, gy - 220)], 200, 3)
    u = np.linspace(-1.3, 1.3, 60)
    d.line(list(zip(gx + 20 + 160 * u, gy - 130 * (u**2 - 0.35))), 230, 4, joint="curve")
    lines = [
        (800, 233, "例題  x² − 5x + 6 = 0", 0, 26),
        (860, 365, "(x − 2)(x − 3) = 0", 30, 50),
        (860, 497, "x = 2, 3", 54, 62),
    ]
    masks, ends = [], []
    for x, y, text, *_ in lines:
        m = Image.new("L", (W, H), 0)
        ends.append(hand_text(m, x, y, text, 54, rng))
        masks.append(np.asarray(m, np.float32) / 255)
    tex = rng.uniform(0.8, 1.0, (H, W)).astype(np.float32)
    a = np.asarray(ink, np.float32)[..., None] / 255 * tex[..., None] * 0.92
    graphite = np.array([52, 54, 66], np.float32)
    page = Image.fromarray((arr * (1 - a) + graphite * a).round().astype(np.uint8))
    pen_img, pen_shadow, tip = pencil_sprites(math.radians(38))
    ring = (830, 455, ends[2] + 30, 540)
    cx, cy, rx, ry = (ring[0] + ring[2]) / 2, (ring[1] + ring[3]) / 2, (ring[2] - ring[0]) / 2, 42

    def tip_at(i: int) -> tuple[float, float, float]:
        """Pencil tip (x, y) and progress of the current stroke for frame i."""
        for k, (x, y, _, f0, f1) in enumerate(lines):
            if f0 <= i <= f1:
                q = (i - f0) / (f1 - f0)
                return x + q * (ends[k] - x), y - 6 + 16 * math.sin(i * 2.3), q
            if i < f0:
                q = (i - lines[k - 1][4]) / (f0 - lines[k - 1][4])
                return (
                    ends[k - 1] + q * (x - ends[k - 1]),
                    lines[k - 1][1] + q * (y - lines[k - 1][1]),
                    -1,
                )
        q = min(1.0, max(0.0, (i - 63) / 8))
        ang = math.radians(200 + 360 * q)
        return cx + rx * math.cos(ang), cy + ry * math.sin(ang), q

    def frames() -> Iterator[Image.Image]:
        x0, y0, x1, y1 = 700, 150, 1480, 600
        for i in range(N):
            tx, ty, q = tip_at(i)
            rev = np.zeros((y1 - y0, x1 - x0), np.float32)
            for k, (lx, _, _, f0, f1) in enumerate(lines):
                front = ends[k] + 10 if i > f1 else (tx if f0 <= i <= f1 else -1)
                ramp = np.clip((front - np.arange(x0, x1)) / 8, 0, 1)[None, :]
                rev = np.maximum(rev, masks[k][y0:y1, x0:x1] * ramp)
            frame = page.copy()
            reg = np.asarray(frame.crop((x0, y0, x1, y1)), np.float32)
            al = (rev * tex[y0:y1, x0:x1] * 0.92)[..., None]
            frame.paste(
                Image.fromarray((reg * (1 - al) + graphite * al).round().astype(np.uint8)), (x0, y0)
            )
            if i >= 63:
                rm = Image.new("L", ((x1 - x0) * 2, (y1 - y0) * 2), 0)
                b = [(v - o) * 2 for v, o in zip(ring, (x0, y0, x0, y0))]
                ImageDraw.Draw(rm).arc(b, 200, 200 + 360 * q, fill=230, width=10)
                frame.paste(DPINK, (x0, y0), rm.resize((x1 - x0, y1 - y0), Image.LANCZOS))
            frame = frame.convert("RGBA")
            blit(frame, pen_shadow, int(tx) - tip[0] + 16, int(ty) - tip[1] + 20)
            blit(frame, pen_img, int(tx) - tip[0], int(ty) - tip[1])
            yield frame

    encode(frames(), (W, H), FPS, path, crf=18)
