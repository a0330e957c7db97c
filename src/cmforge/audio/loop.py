"""Music shorter than the ad, repeated with a seam nobody hears.

Each repeat dissolves into the next over a crossfade. A fixed equal-power crossfade keeps the
level only when the end and the start of the track are unrelated (most music); when they are
alike (a held chord, a drone, a tone) it swells by up to 3 dB, and when they are out of phase it
can cancel to silence. So the seam is prepared here, on the samples: the repeat starts at the
offset (within the first 50 ms) where it best matches the end of the track, the correlation of
the two overlapping parts is measured, and the crossfade gains are normalised for it, so the
seam's level is that of the music around it whatever the material."""

from __future__ import annotations

import numpy as np

MAX_ALIGN = 0.05  # seconds the repeat may start late to line up with the track's end
CROSSFADE = 1.0  # seconds, at most a quarter of the repeated part


def _best_lag(tail: np.ndarray, head: np.ndarray, max_lag: int) -> tuple[int, float]:
    """The lag (samples into `head`) where head best matches tail, and the correlation there."""
    n = len(tail)
    if max_lag <= 0 or len(head) < n + max_lag:
        max_lag = 0
    size = 1 << int(np.ceil(np.log2(n + max_lag + n)))
    spec = np.fft.rfft(head[: n + max_lag], size) * np.conj(np.fft.rfft(tail, size))
    corr = np.fft.irfft(spec, size)[: max_lag + 1]
    energy_tail = float(np.dot(tail, tail))
    window = np.cumsum(np.concatenate([[0.0], head[: n + max_lag] ** 2]))
    energy_head = window[n : n + max_lag + 1] - window[: max_lag + 1]
    rho = corr / np.sqrt(np.maximum(energy_tail * energy_head, 1e-20))
    lag = int(np.argmax(rho))
    return lag, float(np.clip(rho[lag], 0.0, 1.0))


def loop(x: np.ndarray, rate: int, total: int) -> tuple[np.ndarray, dict]:
    """x: (channels, samples) float. Returns (channels, total) samples and what was done."""
    length = x.shape[1]
    fade = int(min(CROSSFADE * rate, length / 4))
    if length >= total or fade < 2:
        return x[:, :total], {"repeats": 0}
    mono = x.mean(axis=0)
    lag, rho = _best_lag(mono[length - fade :], mono, int(min(MAX_ALIGN * rate, length / 8)))
    theta = np.linspace(0, np.pi / 2, fade)
    out_gain, in_gain = np.cos(theta), np.sin(theta)
    norm = np.sqrt(1 + rho * np.sin(2 * theta))  # power of the sum, for that correlation
    seam = (x[:, length - fade :] * out_gain + x[:, lag : lag + fade] * in_gain) / norm
    seam = seam.astype(x.dtype)  # the whole track stays in its own sample type (float32)
    body = x[:, lag + fade : length - fade]  # one repeat, between seams
    parts, have, repeats = [x[:, : length - fade]], length - fade, 0
    while have < total:
        parts += [seam, body]
        have += fade + body.shape[1]
        repeats += 1
    return np.concatenate(parts, axis=1)[:, :total], {
        "repeats": repeats,
        "crossfade_s": round(fade / rate, 3),
        "aligned_ms": round(1000 * lag / rate, 2),
        "correlation": round(rho, 3),
    }
