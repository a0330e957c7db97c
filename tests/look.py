"""Open a rendered file and look at it as a viewer would: frames, pixels, sound."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from cmforge.render.manifest import manifest_path


@dataclass
class Facts:
    width: int
    height: int
    frames: int
    fps: float
    pix_fmt: str
    profile: str
    color_primaries: str
    audio_rate: int
    audio_channels: int
    audio_seconds: float
    video_seconds: float


def facts(path: Path) -> Facts:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        a = c.streams.audio[0] if c.streams.audio else None
        cc = v.codec_context
        fps = float(v.average_rate or v.guessed_rate or v.base_rate)
        frames = sum(1 for p in c.demux(v) if p.size)
    samples, rate, channels = 0, 0, 0
    if a is not None:
        rate, channels = a.codec_context.sample_rate, a.codec_context.channels
        with av.open(str(path)) as c:
            samples = sum(f.samples for f in c.decode(audio=0))
    return Facts(
        cc.width,
        cc.height,
        frames,
        fps,
        str(cc.pix_fmt),
        str(cc.profile),
        str(cc.color_primaries),
        rate,
        channels,
        samples / rate if rate else 0.0,
        frames / fps,
    )


def manifest_of(video: Path) -> dict:
    """The manifest written beside a rendered video."""
    return json.loads(manifest_path(video).read_text(encoding="utf-8"))


def frame_rgb(path: Path, index: int) -> np.ndarray:
    """Frame `index` as float RGB 0..255, decoded with BT.709 limited range by hand."""
    with av.open(str(path)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if i == index:
                y, u, v = (np.asarray(p, dtype=np.float64) for p in _planes(f))
                u = u.repeat(2, 0).repeat(2, 1)[: y.shape[0], : y.shape[1]]
                v = v.repeat(2, 0).repeat(2, 1)[: y.shape[0], : y.shape[1]]
                yn, un, vn = (y - 16) / 219, (u - 128) / 224, (v - 128) / 224
                r = yn + 1.5748 * vn
                g = yn - 0.1873 * un - 0.4681 * vn
                b = yn + 1.8556 * un
                return np.clip(np.stack([r, g, b], -1) * 255, 0, 255)
    raise IndexError(index)


def _planes(frame: av.VideoFrame) -> list[np.ndarray]:
    out = []
    for i, plane in enumerate(frame.planes):
        w = frame.width if i == 0 else (frame.width + 1) // 2
        h = frame.height if i == 0 else (frame.height + 1) // 2
        buf = np.frombuffer(plane, np.uint8).reshape(h, plane.line_size)[:, :w]
        out.append(buf)
    return out


def luma_means(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.array([_planes(f)[0].astype(float).mean() for f in c.decode(video=0)])


def audio_rms(path: Path, start: float, end: float) -> float:
    with av.open(str(path)) as c:
        chunks = [f.to_ndarray() for f in c.decode(audio=0)]
        rate = c.streams.audio[0].codec_context.sample_rate
    data = np.concatenate(chunks, axis=-1)
    seg = data[..., int(start * rate) : int(end * rate)]
    return float(np.sqrt(np.mean(np.square(seg)))) if seg.size else 0.0


def _lab(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e2000(rgb1, rgb2) -> float:  # noqa: ANN001
    """CIEDE2000 between two sRGB colours."""
    L1, a1, b1 = _lab(rgb1)
    L2, a2, b2 = _lab(rgb2)
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - np.sqrt(Cm**7 / (Cm**7 + 25**7)))
    a1p, a2p = a1 * (1 + G), a2 * (1 + G)
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, C2p - C1p
    dh = h2p - h1p
    if C1p * C2p == 0:
        dh = 0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dh / 2))
    Lm, Cmp = (L1 + L2) / 2, (C1p + C2p) / 2
    hs = h1p + h2p
    if C1p * C2p == 0:
        hm = hs
    elif abs(h1p - h2p) <= 180:
        hm = hs / 2
    else:
        hm = (hs + 360) / 2 if hs < 360 else (hs - 360) / 2
    T = (
        1
        - 0.17 * np.cos(np.radians(hm - 30))
        + 0.24 * np.cos(np.radians(2 * hm))
        + 0.32 * np.cos(np.radians(3 * hm + 6))
        - 0.20 * np.cos(np.radians(4 * hm - 63))
    )
    dtheta = 30 * np.exp(-(((hm - 275) / 25) ** 2))
    Rc = 2 * np.sqrt(Cmp**7 / (Cmp**7 + 25**7))
    Sl = 1 + 0.015 * (Lm - 50) ** 2 / np.sqrt(20 + (Lm - 50) ** 2)
    Sc, Sh = 1 + 0.045 * Cmp, 1 + 0.015 * Cmp * T
    Rt = -np.sin(np.radians(2 * dtheta)) * Rc
    return float(
        np.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh))
    )
