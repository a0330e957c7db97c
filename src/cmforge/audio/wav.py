"""32-bit float WAV files (the standard library's wave module writes only integer PCM)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import atomic


def write_float_wav(path: Path, data: np.ndarray, rate: int) -> None:
    """data: (channels, samples) or (samples,). Written atomically: renders running at once may
    write the same content-addressed file."""
    frames = np.ascontiguousarray(np.atleast_2d(data).T, dtype="<f4")  # interleaved
    channels = frames.shape[1]
    raw = memoryview(frames).cast("B")  # the samples' own memory: no second copy
    header = b"".join(
        [
            b"RIFF",
            (36 + len(raw)).to_bytes(4, "little"),
            b"WAVEfmt ",
            (16).to_bytes(4, "little"),
            (3).to_bytes(2, "little"),  # IEEE float
            channels.to_bytes(2, "little"),
            rate.to_bytes(4, "little"),
            (rate * 4 * channels).to_bytes(4, "little"),
            (4 * channels).to_bytes(2, "little"),
            (32).to_bytes(2, "little"),
            b"data",
            len(raw).to_bytes(4, "little"),
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary(path)
    try:
        with open(tmp, "wb") as f:
            f.write(header)
            f.write(raw)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
