"""Synthetic audio for the cmforge sample assets: speech-like narration and schoolyard ambience."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

SR = 48000
VOWELS = (
    (800, 1200, 2500),
    (300, 2300, 3000),
    (350, 1300, 2300),
    (500, 1900, 2600),
    (500, 900, 2400),
)


def speech(
    rng: np.random.Generator, dur: float, f0: float, rate: float = 7.0, fmax: float = 5000.0
) -> np.ndarray:
    """Speech-like mono signal: additive glottal harmonics shaped by moving vowel formants,
    syllable envelopes, consonant noise bursts and phrase pauses (no samples, all synthetic)."""
    n = int(dur * SR)
    env, fmt, pitch = np.zeros(n), np.zeros((n, 3)), np.full(n, f0)
    cons, voiced = np.zeros(n), np.zeros(n)
    t, phrase = 0.12, 0
    while t < dur - 0.3:
        start, count = t, int(rng.integers(4, 9))
        for k in range(count):
            ln = rng.uniform(0.8, 1.25) / rate
            a, b = int(t * SR), min(n, int((t + ln) * SR))
            u = np.linspace(0, 1, b - a)
            env[a:b] = np.sin(np.pi * np.clip(u * 1.15, 0, 1)) ** 0.6 * rng.uniform(0.6, 1.0)
            fmt[a:b] = VOWELS[int(rng.integers(0, 5))]
            if rng.uniform() < 0.7:
                c = int(rng.uniform(0.015, 0.05) * SR)
                cons[a : a + c] = np.hanning(c) * rng.uniform(0.2, 0.6)
            t += ln
        a, b = int(start * SR), min(n, int(t * SR))
        pitch[a:b] = f0 * np.linspace(1.15 if phrase % 2 == 0 else 1.05, 0.85, b - a)
        voiced[a:b] = 1
        t += rng.uniform(0.22, 0.45)
        phrase += 1
    w = int(0.03 * SR)
    kern = np.ones(w) / w
    fmt = np.stack([np.convolve(fmt[:, i], kern, "same") for i in range(3)], 1)
    env = np.convolve(voiced * (0.35 + 0.65 * env), np.ones(w) / w, "same")
    pitch = pitch * (1 + 0.01 * np.sin(2 * np.pi * 5.3 * np.arange(n) / SR))
    phase = 2 * np.pi * np.cumsum(pitch) / SR
    out = np.zeros(n)
    for k in range(1, int(fmax / f0)):
        fk = k * pitch
        gain = sum(
            g / (1 + ((fk - fmt[:, i]) / bw) ** 2)
            for i, (g, bw) in enumerate(((1, 90), (0.6, 120), (0.25, 180)))
        )
        out += np.where(fk < fmax, gain / k**0.6, 0) * np.sin(k * phase)
    spec = np.fft.rfft(rng.standard_normal(n))
    fr = np.fft.rfftfreq(n, 1 / SR)
    noise = np.fft.irfft(spec * ((fr > 2500) & (fr < 7500)), n) * 3 * cons
    return out * env + 0.35 * noise


def write_wav(path: Path, x: np.ndarray, sr: int = SR) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(x, -1, 1) * 32767).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if x.ndim == 1 else x.shape[1])
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def make_narration(path: Path) -> None:
    x = speech(np.random.default_rng(5), 5.0, 185.0)
    write_wav(path, x / np.abs(x).max() * 10 ** (-6 / 20))


def ambience(dur: float) -> np.ndarray:
    """Stereo schoolyard ambience: soft wind noise, distant murmur, a few birds."""
    rng, n = np.random.default_rng(21), int(dur * SR)
    spec = np.fft.rfft(rng.standard_normal((2, n)), axis=1)
    f = np.fft.rfftfreq(n, 1 / SR)
    spec *= 1 / np.sqrt(np.maximum(f, 20)) * (f < 6000)
    out = np.fft.irfft(spec, n, axis=1).T
    out *= 0.05 / out.std()
    for i, f0 in enumerate((130, 210, 170, 240, 115)):
        v = speech(rng, dur, f0, rate=6.5, fmax=1800)
        pan = 0.15 + 0.7 * (i / 4)
        out += 0.012 * (v / v.std())[:, None] * np.array([1 - pan, pan])
    tt = np.arange(int(0.07 * SR)) / SR
    for t0 in (0.6, 0.75, 0.88, 2.4, 2.52, 3.3):
        fr = 3800 + 1800 * np.sin(np.pi * tt / 0.07) * rng.uniform(0.7, 1.2)
        chirp = np.sin(2 * np.pi * np.cumsum(fr) / SR) * np.hanning(len(tt)) * 0.03
        a = int(t0 * SR)
        out[a : a + len(tt)] += chirp[:, None] * np.array([0.8, 0.4])
    fade = np.minimum(1, np.minimum(np.arange(n), n - 1 - np.arange(n)) / (0.15 * SR))
    return out * fade[:, None]
