"""Real results for the simulator: MP4 clips (ffmpeg's testsrc2 at a small size, cached per
shape) and PNG stills (a gradient with the image's id, at the exact ratio asked for)."""

from __future__ import annotations

import threading
from pathlib import Path

from ....media.ffmpeg import ffmpeg_binary, run_ffmpeg

SIZES = {"9:16": (180, 320), "16:9": (320, 180), "1:1": (240, 240)}
# image generation's pixel sizes are undocumented [uncertain]: the exact ratio, the long side
# 1024 (1k) or 2048 (2k), each side a whole number of pixels
LONG_SIDE = {"1k": 1024, "2k": 2048}


def still_size(aspect: str, resolution: str = "1k") -> tuple[int, int]:
    a, b = (int(x) for x in aspect.split(":"))
    side = LONG_SIDE.get(resolution, 1024)
    return (side, round(side * b / a)) if a >= b else (round(side * a / b), side)


def still_png(aspect: str, resolution: str, name: str) -> bytes:
    """A distinct PNG per image (its colours come from its name), at the size of its shape."""
    import hashlib
    import io

    from PIL import Image, ImageDraw

    w, h = still_size(aspect, resolution)
    seed = hashlib.sha256(name.encode()).digest()
    ramp = Image.linear_gradient("L").resize((w, h))
    channels = [ramp.point(lambda v, c=c: (v * c // 255 + c // 2) % 256) for c in seed[:3]]
    im = Image.merge("RGB", channels)
    ImageDraw.Draw(im).text((w // 20, h // 20), f"kling simulator {name[:8]}", fill="white")
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


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
