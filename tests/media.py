"""Test media made on the spot with the project's FFmpeg, numpy and Pillow (nothing downloaded)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from cmforge.media.ffmpeg import ffmpeg_binary


def ff(*args: str) -> None:
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def video(
    path: Path,
    *,
    size: str = "96x160",
    rate: str = "30",
    dur: float = 2.0,
    audio: str | None = "stereo",
    vcodec: list[str] | None = None,
    extra: list[str] | None = None,
    src: str = "testsrc2",
) -> Path:
    """A lavfi test clip; audio: None, 'mono', 'stereo' or '5.1'."""
    args = ["-f", "lavfi", "-i", f"{src}=size={size}:rate={rate}:duration={dur}"]
    if audio:
        args += [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=44100:duration={dur},aformat=channel_layouts={audio}",
        ]
    args += vcodec or ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac"]
    ff(*args, *(extra or []), str(path))
    return path


def still(
    path: Path,
    size: tuple[int, int] = (120, 80),
    color: tuple = (200, 40, 40),
    mode: str = "RGB",
    **save: object,
) -> Path:
    im = Image.new("RGB", size, color[:3])
    # a left-right ramp so orientation and motion can be checked
    ramp = np.linspace(0, 255, size[0], dtype=np.uint8)[None, :].repeat(size[1], 0)
    arr = np.asarray(im).copy()
    arr[: size[1] // 4, :, 1] = ramp[: size[1] // 4]
    im = Image.fromarray(arr)
    if mode != "RGB":
        im = im.convert(mode)
    im.save(path, **save)
    return path


def logo(path: Path, size: int = 64) -> Path:
    """An opaque green disc on a fully transparent square."""
    yy, xx = np.mgrid[:size, :size]
    inside = (xx - size / 2) ** 2 + (yy - size / 2) ** 2 < (size * 0.4) ** 2
    rgba = np.zeros((size, size, 4), np.uint8)
    rgba[inside] = (0, 200, 0, 255)
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def tone(path: Path, dur: float = 3.0, freq: int = 330) -> Path:
    ff(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={freq}:sample_rate=48000:duration={dur}",
        "-ac",
        "2",
        str(path),
    )
    return path


def wav(path: Path, samples: np.ndarray, rate: int = 48000) -> Path:
    """A mono 16-bit WAV of float samples in -1..1."""
    import wave

    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path
