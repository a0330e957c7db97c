"""Real MP4 results for the simulator: ffmpeg's testsrc2 at a small size, cached per shape."""

from __future__ import annotations

import threading
from pathlib import Path

from ....media.ffmpeg import ffmpeg_binary, run_ffmpeg

SIZES = {"9:16": (180, 320), "16:9": (320, 180), "1:1": (240, 240)}


class ClipMaker:
    """Makes (once) and hands out a valid H.264 MP4 of a given length and aspect ratio."""

    def __init__(self, folder: Path, fps: int = 24):
        self.folder = Path(folder)
        self.fps = fps
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def clip(self, length: int, aspect: str) -> Path:
        key = (int(length), aspect if aspect in SIZES else "16:9")
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        path = self.folder / f"result-{key[0]}s-{key[1].replace(':', 'x')}.mp4"
        with lock:
            if not path.is_file():
                self._make(path, *key)
        return path

    def _make(self, path: Path, length: int, aspect: str) -> None:
        w, h = SIZES[aspect]
        tmp = path.with_name(path.name + ".part.mp4")
        argv = [
            ffmpeg_binary(),
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={w}x{h}:rate={self.fps}:duration={length}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "32",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            str(tmp),
        ]
        self.folder.mkdir(parents=True, exist_ok=True)
        run_ffmpeg(argv, total_frames=length * self.fps, fps=float(self.fps))
        tmp.replace(path)
