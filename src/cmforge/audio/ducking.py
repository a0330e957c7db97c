"""Ducking from a measured envelope: the music goes down while narration or clip sound plays.

The key (everything that carries its own sound, mixed as it will be heard) is rendered once,
its level measured every 10 ms, and a gain curve derived from it: `depth` dB while the key is
active, 0 dB otherwise. Because the ad is rendered offline, the curve looks ahead: the music is
fully down when the first syllable starts (a real-time side-chain compressor would let the
first syllable through at full music level), and it holds through the short gaps between words
so it does not pump, then comes back over `release` seconds between phrases. The curve is
applied sample by sample in FFmpeg (amultiply), so its depth is exact, not a compressor's
level-dependent guess."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..recipe.model import Duck
from .wav import write_float_wav

STEP = 0.01  # seconds per envelope step
GATE_DB = -50.0  # the key counts as sounding above this RMS level (dBFS)
HOLD = 0.25  # seconds the music stays down after the key goes quiet (gaps between words)
ENVELOPE_RATE = 48000


def key_levels(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS level in dBFS of each STEP of a mono float signal."""
    n = int(round(rate * STEP))
    steps = len(samples) // n
    if steps == 0:
        return np.zeros(0)
    frames = samples[: steps * n].astype(np.float64).reshape(steps, n)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def gain_curve(levels: np.ndarray, duck: Duck) -> np.ndarray:
    """Gain in dB per STEP: depth where the key sounds (looking ahead by the attack time and
    holding HOLD after it), 0 elsewhere, moving at most |depth| per attack going down and per
    release coming back."""
    active = levels > GATE_DB
    n = len(active)
    if n == 0 or not active.any():
        return np.zeros(n)
    ahead, hold = int(round(duck.attack / STEP)), int(round(HOLD / STEP))
    wanted = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(active):
        wanted[max(0, i - ahead) : min(n, i + hold + 1)] = True
    target = np.where(wanted, duck.depth, 0.0)
    down = abs(duck.depth) * STEP / max(duck.attack, STEP)
    up = abs(duck.depth) * STEP / max(duck.release, STEP)
    out = np.empty(n)
    g = 0.0
    for i, t in enumerate(target):
        g = max(t, g - down) if t < g else min(t, g + up)
        out[i] = g
    return out


def write_envelope(path: Path, gain_db: np.ndarray, seconds: float) -> None:
    """The curve as a mono 32-bit float WAV at 48 kHz, linear gain, interpolated per sample."""
    total = int(round(seconds * ENVELOPE_RATE))
    t_steps = (np.arange(len(gain_db)) + 0.5) * STEP
    t = np.arange(total) / ENVELOPE_RATE
    db = np.interp(t, t_steps, gain_db) if len(gain_db) else np.zeros(total)
    write_float_wav(path, (10 ** (db / 20)).astype("<f4"), ENVELOPE_RATE)
