"""What `cmforge check` measures about a file, as plain data, and the pure functions that read
FFmpeg's analysis log (tested on canned text)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..media.loudness import Loudness

SILENCE_DB = -90.0  # dBFS: "digital silence"


@dataclass(frozen=True)
class Cadence:
    """How the video frames are spaced in time."""

    frames: int
    fps: float  # from the median spacing (0 when unknown)
    constant: bool
    shortest: float  # s between two frames
    longest: float


@dataclass(frozen=True)
class Facts:
    """Everything measured about one file; plain data, judged by `judge`."""

    width: int
    height: int
    codec: str
    pix_fmt: str
    colour: tuple[str, str, str, str]  # primaries, transfer, matrix, range ("unset" if absent)
    cadence: Cadence
    video_seconds: float
    audio_codec: str = ""  # "" = no audio stream
    audio_rate: int = 0
    audio_channels: int = 0
    audio_seconds: float = 0.0
    loudness: Loudness | None = None
    silences: tuple[tuple[float, float], ...] = ()  # below SILENCE_DB, s from the audio start
    blacks: tuple[tuple[float, float], ...] = ()  # s from the first frame
    file_bytes: int = 0  # the file's size
    audio_kbps: float = 0.0  # the sound's average bitrate (its packets over its length)

    @property
    def kbps(self) -> float:
        """The file's average bitrate, picture and sound, kbit/s."""
        return self.file_bytes * 8 / self.video_seconds / 1000 if self.video_seconds else 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["loudness"] = self.loudness.as_dict() if self.loudness else None
        return d


def frame_cadence(times: list[float], tick: float = 0.0) -> Cadence:
    """Constant frame rate when every gap is the mean gap give or take one time-base tick
    (containers round timestamps: 29.97 fps in milliseconds is 33, 33, 34 ms) and 0.2 %."""
    if len(times) < 2 or times[-1] <= times[0]:
        return Cadence(len(times), 0.0, False, 0.0, 0.0)
    gaps = [b - a for a, b in zip(times, times[1:])]
    mean = (times[-1] - times[0]) / len(gaps)
    constant = all(abs(g - mean) <= tick + mean * 0.002 + 1e-9 for g in gaps)
    return Cadence(len(times), 1 / mean, constant, min(gaps), max(gaps))


def parse_blackdetect(stderr: str) -> list[tuple[float, float]]:
    pat = r"black_start:\s*(-?[\d.]+)\s+black_end:\s*(-?[\d.]+)"
    return [(float(a), float(b)) for a, b in re.findall(pat, stderr)]


def parse_silencedetect(stderr: str, end: float) -> list[tuple[float, float]]:
    """Silent stretches; one still open when the sound ends lasts until `end`."""
    runs: list[tuple[float, float]] = []
    start = None
    for kind, value in re.findall(r"silence_(start|end):\s*(-?[\d.]+(?:e-?\d+)?)", stderr):
        if kind == "start":
            start = float(value)
        elif start is not None:
            runs.append((max(0.0, start), float(value)))
            start = None
    if start is not None:
        runs.append((max(0.0, start), end))
    return runs


def parse_samples(stderr: str) -> int | None:
    m = re.search(r"Number of samples:\s*(\d+)", stderr)
    return int(m.group(1)) if m else None
