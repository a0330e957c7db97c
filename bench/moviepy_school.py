"""The school ad written for MoviePy 2.2.1: the comparison point of the benchmark.

A faithful port of the cmforge recipe `bench/work/school-<N>s.toml`: it reads the same timeline
(`school-<N>s.json`, written next to the recipe by bench/workload.py) and builds it the way a
MoviePy user would: clips cut to the same lengths and cover-fitted to 1080x1920, title card and
end slate as ColorClip/ImageClip + TextClip (Noto Sans CJK JP Bold), 0.5 s crossfades by
overlapping starts + CrossFadeIn inside one CompositeVideoClip, the caption as a TextClip at its
times, the clips' own sound at their volume, and the music with AudioFadeIn/AudioFadeOut.

    .venv/bin/python bench/moviepy_school.py bench/work/school-30s.json OUT.mp4
"""

from __future__ import annotations

import importlib.resources
import json
import sys
from pathlib import Path

import numpy as np
from moviepy import (
    AudioFileClip,
    ColorClip,
    CompositeAudioClip,
    CompositeVideoClip,
    ImageClip,
    TextClip,
    VideoFileClip,
    afx,
    vfx,
)

FONT = str(importlib.resources.files("noto_cjk_sans_jp_bold") / "NotoSansCJKjp-Bold.otf")


def rgb(c: str) -> tuple[int, int, int]:
    c = c.lstrip("#")
    return tuple(int(c[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def background(bg, size: tuple[int, int], duration: float):  # noqa: ANN001
    """A colour, or a top-to-bottom gradient of two colours."""
    w, h = size
    if isinstance(bg, str):
        return ColorClip(size, color=rgb(bg), duration=duration)
    top, bottom = (np.array(rgb(c), float) for c in bg)
    k = np.linspace(0, 1, h)[:, None, None]
    frame = (top * (1 - k) + bottom * k).repeat(w, 1).astype("uint8")
    return ImageClip(frame, duration=duration)


def text(
    s: str, size: float, color: str, width: int, duration: float, stroke: dict | None = None
) -> TextClip:
    kw = {}
    if stroke:
        kw = dict(stroke_color=stroke["color"], stroke_width=int(stroke["width"]))
    return TextClip(
        font=FONT,
        text=s,
        font_size=int(size),
        color=color,
        method="caption",
        size=(width, None),
        text_align="center",
        duration=duration,
        margin=(0, 10),
        **kw,
    )


def title_card(s: dict, size: tuple[int, int], duration: float):  # noqa: ANN001
    w, h = size
    layers = [background(s["background"], size, duration)]
    head = text(s["text"], 150, s.get("color", "#ffffff"), int(w * 0.84), duration)
    layers.append(head.with_position(("center", int(h * 0.30 + (h * 0.28 - head.h) / 2))))
    if s.get("subtext"):
        sub = text(s["subtext"], 60, s.get("color", "#ffffff"), int(w * 0.84), duration)
        layers.append(sub.with_position(("center", int(h * 0.60))))
    return CompositeVideoClip(layers, size=size).with_duration(duration)


def end_slate(s: dict, folder: Path, size: tuple[int, int], duration: float):  # noqa: ANN001
    w, h = size
    color = s.get("color", "#1d3557")
    layers = [background(s.get("background", "#ffffff"), size, duration)]
    if s.get("logo"):
        logo = ImageClip(str(folder / s["logo"]), duration=duration).resized(width=int(w * 0.4))
        layers.append(logo.with_position(("center", int(h * 0.47 - logo.h))))
    name = text(s["text"], 100, color, int(w * 0.84), duration)
    layers.append(name.with_position(("center", int(h * 0.50))))
    if s.get("subtext"):
        sub = text(s["subtext"], 44, color, int(w * 0.84), duration)
        layers.append(sub.with_position(("center", int(h * 0.63))))
    return CompositeVideoClip(layers, size=size).with_duration(duration)


def clip_scene(s: dict, folder: Path, size: tuple[int, int], duration: float):  # noqa: ANN001
    """Cut, then cover-fit: scale so both sides cover the frame, crop the middle."""
    w, h = size
    src = VideoFileClip(str(folder / s["src"]))
    a, b = s.get("trim", [0, duration])
    v = src.subclipped(a, min(b, src.duration)).with_duration(duration)
    k = max(w / v.w, h / v.h)
    if abs(k - 1) > 1e-9:
        v = v.resized(k)
    v = v.cropped(x_center=v.w / 2, y_center=v.h / 2, width=w, height=h)
    return v


def build(tl: dict, folder: Path):  # noqa: ANN001
    size = (tl["width"], tl["height"])
    total = tl["duration"]
    xf = tl["transition"]["duration"]
    video, sounds = [], []
    t = 0.0
    for i, s in enumerate(tl["scenes"]):
        d = s["duration"]
        if s["type"] == "title":
            v = title_card(s, size, d)
        elif s["type"] == "endslate":
            v = end_slate(s, folder, size, d)
        else:
            v = clip_scene(s, folder, size, d)
        if v.audio is not None and s.get("volume", 1.0) > 0:
            fades = [afx.MultiplyVolume(s.get("volume", 1.0))]
            if i:
                fades.append(afx.AudioFadeIn(xf))
            if i + 1 < len(tl["scenes"]):
                fades.append(afx.AudioFadeOut(xf))
            sounds.append(v.audio.with_effects(fades).with_start(t))
        v = v.without_audio()
        if i:
            v = v.with_effects([vfx.CrossFadeIn(xf)])
        video.append(v.with_start(t))
        t += d - (xf if i + 1 < len(tl["scenes"]) else 0)
    # flex: the last scene (the end slate) absorbs any difference to the target length
    end = video[-1]
    video[-1] = end.with_duration(total - end.start)
    for c in tl.get("captions", []):
        cap = text(
            c["text"], 100, "#ffffff", int(size[0] * 0.86), c["end"] - c["start"], c.get("stroke")
        )
        y = {"top": 0.12, "center": 0.5, "bottom": 0.80}[c.get("position", "bottom")]
        cap = cap.with_position(("center", int(size[1] * y - cap.h / 2)))
        video.append(
            cap.with_effects([vfx.CrossFadeIn(0.2), vfx.CrossFadeOut(0.2)]).with_start(c["start"])
        )
    m = tl.get("music")
    if m:
        music = AudioFileClip(str(folder / m["track"]))
        if music.duration < total:
            music = music.with_effects([afx.AudioLoop(duration=total)])
        else:
            music = music.subclipped(0, total)
        music = music.with_effects(
            [
                afx.MultiplyVolume(10 ** (m.get("volume", 0) / 20)),
                afx.AudioFadeIn(m.get("fade_in", 0) or 1e-3),
                afx.AudioFadeOut(m.get("fade_out", 1.0)),
            ]
        )
        sounds.append(music)
    movie = CompositeVideoClip(video, size=size).with_duration(total)
    if sounds:
        movie = movie.with_audio(CompositeAudioClip(sounds).with_duration(total))
    return movie


def main(argv: list[str]) -> int:
    spec, out = Path(argv[0]), Path(argv[1])
    tl = json.loads(spec.read_text(encoding="utf-8"))
    movie = build(tl, spec.parent)
    movie.write_videofile(
        str(out),
        fps=tl["fps"],
        codec="libx264",
        preset="medium",
        ffmpeg_params=["-crf", "20", "-profile:v", "high"],
        pixel_format="yuv420p",
        audio_codec="aac",
        audio_bitrate="192k",
        audio_fps=48000,
        threads=2,
        logger=None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
