"""Compose cmforge's bundled music library (CC0) by numpy synthesis and encode it to AAC.

Three tracks are rendered note by note (FM electric piano, additive piano and plucks, synth bass,
synthetic drums), given a delay and a convolution reverb, mixed to about -16 LUFS integrated with
true peak under -1 dBTP (measured by FFmpeg's ebur128 filter), and written as .m4a (AAC 160k,
48 kHz stereo) together with library.toml and LICENSE.txt.

Usage:  python sample_assets/make_music.py [--library DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg
import numpy as np

SR = 48000
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
TARGET_LUFS, MAX_TP = -16.0, -1.0
DEFAULT_LIB = Path(__file__).resolve().parent.parent / "src" / "cmforge" / "data" / "library"


def hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def additive(
    f: float,
    dur: float,
    amps: list[float],
    taus: list[float],
    ring: float = 0.25,
    inharm: float = 0.0,
    attack: float = 0.004,
) -> np.ndarray:
    """Sum of decaying partials (k*f, amplitude amps[k-1], decay time taus[k-1]); release after dur."""
    t = np.arange(int((dur + ring) * SR)) / SR
    out = np.zeros_like(t)
    for k, (a, tau) in enumerate(zip(amps, taus), start=1):
        fk = k * f * np.sqrt(1 + inharm * k * k)
        if fk < SR / 2.2:
            out += a * np.exp(-t / tau) * np.sin(2 * np.pi * fk * t)
    rel = np.clip(1 - (t - dur) / ring, 0, 1) ** 2
    return out * np.minimum(1, t / attack) * rel


def epiano(f: float, dur: float) -> np.ndarray:
    """DX-style FM electric piano: decaying modulation index plus a short bell 'tine'."""
    t = np.arange(int((dur + 0.4) * SR)) / SR
    index = 1.6 * np.exp(-t / 0.18) + 0.25
    x = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t))
    x += 0.12 * np.exp(-t / 0.04) * np.sin(2 * np.pi * 14 * f * t) * (f < 1400)
    rel = np.clip(1 - (t - dur) / 0.4, 0, 1) ** 2
    return x * np.exp(-t / 1.1) * np.minimum(1, t / 0.003) * rel


def piano(f: float, dur: float) -> np.ndarray:
    k = np.arange(1, 9)
    taus = list(2.8 / (1 + 0.55 * k) * (262 / f) ** 0.35)
    return additive(f, dur, list(0.9 / k**1.4), taus, ring=0.6, inharm=0.0003, attack=0.003)


def pluck(f: float, dur: float, bright: float = 1.0) -> np.ndarray:
    k = np.arange(1, 13)
    return additive(f, dur, list(1 / k), list(0.5 * bright / k**0.8), ring=0.12)


def bass(f: float, dur: float) -> np.ndarray:
    return additive(f, dur, [1.0, 0.45, 0.18, 0.08], [1.2, 0.5, 0.3, 0.2], ring=0.06, attack=0.006)


def pad(f: float, dur: float) -> np.ndarray:
    t = np.arange(int((dur + 1.0) * SR)) / SR
    x = sum(
        a * np.sin(2 * np.pi * f * m * t)
        for a, m in ((1, 1), (0.5, 1.003), (0.25, 2.002), (0.1, 3))
    )
    env = np.minimum(1, t / 0.8) * np.clip(1 - (t - dur) / 1.0, 0, 1)
    return x * env


def band_noise(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    fr = np.fft.rfftfreq(n, 1 / SR)
    x = np.fft.irfft(spec * ((fr > lo) & (fr < hi)), n)
    return x / (x.std() + 1e-12)


def kick() -> np.ndarray:
    t = np.arange(int(0.4 * SR)) / SR
    freq = 45 + 110 * np.exp(-t / 0.035)
    return np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / 0.16) * np.minimum(1, t / 0.002)


def hat(rng: np.random.Generator, length: float = 0.05) -> np.ndarray:
    n = int(length * 4 * SR)
    return 0.35 * band_noise(rng, n, 7000, 16000) * np.exp(-np.arange(n) / SR / length)


def clap(rng: np.random.Generator) -> np.ndarray:
    n = int(0.3 * SR)
    t = np.arange(n) / SR
    bursts = sum(np.exp(-np.clip(t - d, 0, None) / 0.01) * (t >= d) for d in (0, 0.011, 0.022))
    return 0.5 * band_noise(rng, n, 900, 5000) * (0.5 * bursts + np.exp(-t / 0.09))


@dataclass
class Mix:
    """Stereo bus; notes past the end either extend the tail or, for loops, wrap to the start."""

    seconds: float
    loop: bool = False
    buf: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.n = round(self.seconds * SR)
        self.buf = np.zeros((self.n + 4 * SR, 2))

    def add(self, x: np.ndarray, t: float, gain: float = 1.0, pan: float = 0.0) -> None:
        a = round(t * SR)
        x = x[: len(self.buf) - a] * gain
        self.buf[a : a + len(x)] += x[:, None] * np.array(
            [np.sqrt(0.5 - pan / 2), np.sqrt(0.5 + pan / 2)]
        )

    def render(self) -> np.ndarray:
        if not self.loop:
            return self.buf[: self.n].copy()
        out = self.buf[: self.n].copy()
        for i in range(1, len(self.buf) // self.n + 1):
            tail = self.buf[i * self.n : (i + 1) * self.n]
            out[: len(tail)] += tail
        return out


def delay(x: np.ndarray, sec: float, fb: float, mix: float, loop: bool) -> np.ndarray:
    """Ping-pong feedback delay unrolled to 8 taps (circular when looping)."""
    d, y = int(sec * SR), np.zeros_like(x)
    for k in range(1, 9):
        src = x[:, ::-1] if k % 2 else x
        if loop:
            y += fb ** (k - 1) * np.roll(src, k * d, axis=0)
        elif k * d < len(x):
            y[k * d :] += fb ** (k - 1) * src[: len(x) - k * d]
    return x + mix * y


def reverb(x: np.ndarray, seconds: float, mix: float, loop: bool, seed: int) -> np.ndarray:
    """Convolution with decaying, darkening stereo noise (circular convolution when looping)."""
    rng = np.random.default_rng(seed)
    n_ir = int(seconds * SR)
    t = np.arange(n_ir) / SR
    ir = rng.standard_normal((n_ir, 2)) * np.exp(-t * 6.9 / seconds)[:, None]
    ir[:, :] = np.cumsum(ir, axis=0) * 0.02 + ir * np.exp(-t / 0.3)[:, None]
    ir -= ir.mean(0)
    ir[: int(0.012 * SR)] = 0
    ir /= np.sqrt((ir**2).sum(0))
    n = len(x) if loop else len(x) + n_ir
    wet = np.fft.irfft(np.fft.rfft(x, n, axis=0) * np.fft.rfft(ir, n, axis=0), n, axis=0)
    if loop:
        return x + mix * wet
    return x + mix * wet[: len(x)]


def limit(x: np.ndarray, ceiling_db: float) -> np.ndarray:
    """Look-ahead peak limiter: block-wise gain with min-filter + smoothing (never overshoots)."""
    thr, blk = 10 ** (ceiling_db / 20), 64
    n = -(-len(x) // blk) * blk
    peaks = np.pad(np.abs(x).max(1), (0, n - len(x))).reshape(-1, blk).max(1)
    g = np.minimum(1, thr / np.maximum(peaks, 1e-9))
    g = np.min(np.stack([np.roll(g, s) for s in range(-3, 4)]), 0)
    g = np.mean(np.stack([np.roll(g, s) for s in range(-3, 4)]), 0)
    gs = np.interp(np.arange(n), np.arange(len(g)) * blk + blk / 2, g)[: len(x)]
    return x * gs[:, None]


def measure(x_or_path: np.ndarray | Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) from FFmpeg's ebur128 filter."""
    if isinstance(x_or_path, Path):
        cmd, data = [FFMPEG, "-nostats", "-i", str(x_or_path)], None
    else:
        cmd = [FFMPEG, "-nostats", "-f", "f32le", "-ar", str(SR), "-ac", "2", "-i", "-"]
        data = x_or_path.astype("<f4").tobytes()
    cmd += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    err = subprocess.run(cmd, input=data, capture_output=True, check=True).stderr.decode()
    summary = err[err.rfind("Summary:") :]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    tp = float(re.search(r"Peak:\s+(-?[\d.inf]+) dBFS", summary).group(1))
    return i, tp


def master(x: np.ndarray, ceiling_db: float) -> np.ndarray:
    x = x - x.mean(0)
    for _ in range(4):
        i, _tp = measure(x)
        x = limit(x * 10 ** ((TARGET_LUFS - i) / 20), ceiling_db)
    return x


def duck(bus: np.ndarray, beat: float, depth: float) -> np.ndarray:
    """Sidechain-style pumping: dip right after every beat (periodic, so loop-safe)."""
    ph = (np.arange(len(bus)) / SR) % beat
    return bus * (1 - depth * np.exp(-ph / 0.09))[:, None]


def bright_steps() -> np.ndarray:
    """120 bpm, C major, I-V-vi-IV pop: FM e-piano stabs, pluck melody, bass, kick/clap/hats."""
    B, rng = 0.5, np.random.default_rng(101)
    dry, wet, lead = Mix(24.0), Mix(24.0), Mix(24.0)
    ch = {
        "C": (36, [60, 64, 67]),
        "G": (43, [59, 62, 67]),
        "Am": (45, [60, 64, 69]),
        "F": (41, [60, 65, 69]),
    }
    bars = ["C", "G", "Am", "F", "C", "G", "Am", "F", "C", "G", ("F", "G"), "C"]
    phr_a = [
        (0, 76, 1),
        (1, 79, 0.5),
        (1.5, 81, 0.5),
        (2, 79, 1),
        (3, 76, 1),
        (4, 74, 1),
        (5, 79, 0.5),
        (5.5, 74, 0.5),
        (6, 74, 0.5),
        (6.5, 76, 0.5),
        (7, 74, 1),
    ]
    phr_b = [
        (0, 72, 1),
        (1, 76, 0.5),
        (1.5, 81, 0.5),
        (2, 79, 1),
        (3, 76, 1),
        (4, 77, 1),
        (5, 76, 0.5),
        (5.5, 74, 0.5),
        (6, 72, 1.5),
    ]
    phr_c = [
        (0, 76, 1),
        (1, 79, 0.5),
        (1.5, 81, 0.5),
        (2, 84, 1.5),
        (4, 81, 1),
        (5, 79, 1),
        (6, 77, 0.5),
        (6.5, 76, 0.5),
        (7, 74, 1),
        (8, 77, 1),
        (9, 76, 0.5),
        (9.5, 74, 0.5),
        (10, 74, 1),
        (11, 79, 1),
    ]
    for start, phrase in ((2, phr_b), (4, phr_a), (6, phr_b), (8, phr_c)):
        for beat, note, d in phrase:
            lead.add(pluck(hz(note), d * B * 0.9), (start * 4 + beat) * B, 0.18, 0.25)
    lead.add(pluck(hz(84), 3 * B, 2.0), 44 * B, 0.16, 0.25)
    for b, bar in enumerate(bars):
        t0 = b * 4 * B
        halves = (bar, bar) if isinstance(bar, str) else bar
        if b == 11:
            for i, n in enumerate(ch[halves[0]][1]):
                wet.add(epiano(hz(n), 3.6 * B), t0 + i * 0.012, 0.12, -0.2)
        else:
            hits = (
                ((0, 0.9), (1, 0.9), (2, 0.9), (3, 0.9))
                if b == 0
                else ((0, 1.2), (1.5, 1.0), (3, 0.9))
            )
            for beat, d in hits:
                for n in ch[halves[int(beat >= 2)]][1]:
                    wet.add(epiano(hz(n), d * B), t0 + beat * B, 0.13 if b == 0 else 0.1, -0.2)
        for e in range(8 if b < 11 else 1):
            wet.add(hat(rng), t0 + e * B / 2, 0.05 * (1.3 if e % 2 else 0.8), 0.3)
        if b >= 1:
            for e, off in enumerate([0, 0, 12, 0, 0, 0, 12, 7] if b < 11 else [0]):
                root = ch[halves[int(e >= 4)]][0]
                dry.add(bass(hz(root + off), (0.45 if b < 11 else 4) * B), t0 + e * B / 2, 0.26)
            for beat in [0, 2] + ([2.5] if b % 2 else []) if b < 11 else [0]:
                dry.add(kick(), t0 + beat * B, 0.42)
            for beat in (1, 3) if b < 11 else ():
                wet.add(clap(rng), t0 + beat * B, 0.16, 0.05)
            if b % 2 and b < 11:
                wet.add(hat(rng, 0.15), t0 + 3.5 * B, 0.06, 0.3)
    lead_bus = delay(lead.render(), 0.75 * B, 0.35, 0.35, False)
    mix = dry.render() + reverb(wet.render() + lead_bus, 1.6, 0.22, False, 1)
    fade = np.clip((24.0 - np.arange(len(mix)) / SR) / 1.2, 0, 1) ** 2
    return mix * fade[:, None]


def calm_morning() -> np.ndarray:
    """80 bpm, G major: piano arpeggios over Gmaj7-Em7-Cmaj7-Dsus, soft pad, slow melody."""
    B = 0.75
    m, padbus = Mix(40.0), Mix(40.0)
    prog = [
        (43, [55, 62, 66, 69, 71]),
        (40, [52, 59, 62, 66, 67]),
        (36, [48, 55, 59, 62, 64]),
        (38, [50, 57, 62, 64, 66]),
    ]
    melody = {
        4: [(0, 74, 2), (2, 76, 2)],
        5: [(0, 71, 3), (3, 74, 1)],
        6: [(0, 72, 2), (2, 71, 2)],
        7: [(0, 69, 4)],
        8: [(0, 74, 1), (1, 79, 2), (3, 78, 1)],
        9: [(0, 76, 3), (3, 74, 1)],
        10: [(0, 76, 2), (2, 72, 2)],
        11: [(0, 74, 2), (2, 78, 2)],
    }
    for b in range(12):
        t0, (root, tones) = b * 4 * B, prog[b % 4]
        m.add(piano(hz(root), 3.8 * B), t0, 0.22, -0.1)
        for e, idx in enumerate((0, 1, 2, 3, 4, 3, 2, 1)):
            vel = 0.13 if e % 2 else 0.16
            m.add(
                piano(hz(tones[idx]), 0.9 * B),
                t0 + e * B / 2 + 0.004 * (e % 3),
                vel,
                -0.25 + 0.1 * idx,
            )
        for n in tones[1:4]:
            padbus.add(pad(hz(n), 4 * B), t0, 0.022)
        for beat, note, d in melody.get(b, []):
            m.add(piano(hz(note), d * B), t0 + beat * B, 0.2, 0.15)
    for i, n in enumerate([43, 55, 62, 66, 69, 71, 74, 79]):
        m.add(piano(hz(n), 4.5), 36.0 + i * 0.05, 0.15 if n < 79 else 0.22, -0.3 + 0.08 * i)
    mix = reverb(m.render() + padbus.render(), 2.6, 0.32, False, 2)
    fade = np.clip((40.0 - np.arange(len(mix)) / SR) / 2.5, 0, 1) ** 2
    return mix * fade[:, None]


def short_loop() -> np.ndarray:
    """128 bpm, 4 bars (7.5 s) vi-IV-I-V house loop; every tail wraps so the loop is seamless."""
    B, rng = 60 / 128, np.random.default_rng(303)
    dur = 16 * B
    dry, wet, arp = Mix(dur, True), Mix(dur, True), Mix(dur, True)
    prog = [(45, [69, 72, 76]), (41, [69, 72, 77]), (36, [67, 72, 76]), (43, [67, 71, 74])]
    for b, (root, tones) in enumerate(prog):
        t0 = b * 4 * B
        for beat in range(4):
            dry.add(kick(), t0 + beat * B, 0.55)
            wet.add(hat(rng, 0.12), t0 + (beat + 0.5) * B, 0.06, 0.25)
            for n in tones:
                wet.add(pluck(hz(n), 0.35 * B, 0.6), t0 + (beat + 0.5) * B, 0.07, -0.15)
        for beat in (1, 3):
            wet.add(clap(rng), t0 + beat * B, 0.2)
        for s16 in range(16):
            wet.add(hat(rng, 0.03), t0 + s16 * B / 4, 0.04 * (1.4 if s16 % 2 else 0.7), 0.35)
            arp.add(
                pluck(hz(tones[(0, 1, 2, 1)[s16 % 4]] + 12), 0.2 * B, 0.5),
                t0 + s16 * B / 4,
                0.045,
                0.3,
            )
        for e, off in enumerate((0, 12, 0, 12, 0, 12, 7, 12)):
            dry.add(bass(hz(root + off - 12 * (root > 40)), 0.4 * B), t0 + e * B / 2, 0.32)
    music = reverb(wet.render() + delay(arp.render(), 0.75 * B, 0.3, 0.3, True), 1.2, 0.15, True, 3)
    return dry.render() + duck(music, B, 0.35)


TRACKS = [
    ("bright-steps", "Bright Steps", bright_steps, ["upbeat", "bright", "school"], 120),
    ("calm-morning", "Calm Morning", calm_morning, ["calm", "warm"], 80),
    ("short-loop", "Short Loop", short_loop, ["upbeat", "energetic"], 128),
]
LICENSE = """The music in this directory (bright-steps.m4a, calm-morning.m4a, short-loop.m4a) was
composed and synthesised by the cmforge project itself with numpy (sample_assets/make_music.py);
it contains no samples or recordings from any other source.

To the extent possible under law, the cmforge authors have waived all copyright and related or
neighbouring rights to these tracks under the Creative Commons CC0 1.0 Universal Public Domain
Dedication: https://creativecommons.org/publicdomain/zero/1.0/

Attribution is not required. If you wish to credit them, use the attribution line given for each
track in library.toml, e.g. "Bright Steps" by cmforge, CC0 1.0 (public domain dedication).
"""


def encode_m4a(x: np.ndarray, path: Path, title: str) -> None:
    cmd = [
        FFMPEG,
        "-y",
        "-loglevel",
        "error",
        "-f",
        "f32le",
        "-ar",
        str(SR),
        "-ac",
        "2",
        "-i",
        "-",
        "-c:a",
        "aac",
        "-b:a",
        "160k",
        "-ar",
        str(SR),
        "-ac",
        "2",
        "-map_metadata",
        "-1",
        "-metadata",
        f"title={title}",
        "-metadata",
        "artist=cmforge",
        "-metadata",
        "copyright=CC0 1.0",
        "-fflags",
        "+bitexact",
        "-flags:a",
        "+bitexact",
        "-movflags",
        "+faststart",
        str(path),
    ]
    subprocess.run(cmd, input=x.astype("<f4").tobytes(), check=True)


def build_library(lib: Path = DEFAULT_LIB, verbose: bool = True) -> list[dict]:
    lib.mkdir(parents=True, exist_ok=True)
    toml, report = [], []
    for tid, title, fn, moods, bpm in TRACKS:
        raw = fn()
        for ceiling in (-2.0, -2.5, -3.0, -3.5):
            x = master(raw, ceiling)
            encode_m4a(x, lib / f"{tid}.m4a", title)
            lufs, tp = measure(lib / f"{tid}.m4a")
            if tp < MAX_TP - 0.2:
                break
        dur = len(x) / SR
        report.append({"id": tid, "lufs": lufs, "true_peak": tp, "duration": dur})
        if verbose:
            print(f"  {tid:13s} {dur:5.1f} s  {lufs:6.1f} LUFS  {tp:5.1f} dBTP", flush=True)
        toml.append(
            "\n".join(
                [
                    "[[tracks]]",
                    f'id = "{tid}"',
                    f'file = "{tid}.m4a"',
                    f'title = "{title}"',
                    'artist = "cmforge"',
                    'license = "CC0-1.0"',
                    f'attribution = "\\"{title}\\" by cmforge, CC0 1.0 (public domain dedication)"',
                    "moods = [" + ", ".join(f'"{m}"' for m in moods) + "]",
                    f"bpm = {bpm}",
                    f"duration = {dur:.1f}",
                ]
            )
        )
    header = (
        "# cmforge bundled music library; generated by sample_assets/make_music.py (CC0 1.0)\n\n"
    )
    (lib / "library.toml").write_text(header + "\n\n".join(toml) + "\n", encoding="utf-8")
    (lib / "LICENSE.txt").write_text(LICENSE, encoding="utf-8")
    return report


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--library", type=Path, default=DEFAULT_LIB)
    build_library(ap.parse_args().library)
