"""The benchmark workload: synthetic source media and the school-ad timeline at 15/30/60 s.

One timeline description (`timeline(seconds)`) is written two ways: as a cmforge recipe (TOML)
and as JSON that `moviepy_school.py` reads, so the two renderers always get the same edit.
Everything is generated with ffmpeg lavfi sources, numpy and Pillow; nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import subprocess
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WORKLOAD_VERSION = 2  # bump when the generated media change; stale files are rebuilt

W, H, FPS = 1080, 1920, 30
CLIP_SECONDS = 7.0
SCENE_SECONDS = 5.5
XFADE = 0.5
TITLE_SECONDS = 2.5
END_SECONDS = 3.0
MUSIC_SECONDS = 40.0

# name, size, rate, lavfi video graph, audio (None or lavfi audio source)
# Each source moves every frame and carries some grain, so x264 works as on real footage.
SOURCES = [
    (
        "clip1.mp4",
        "1080x1920",
        30,
        "testsrc2=s=1080x1920:r=30,noise=alls=3:allf=t",
        "sine=f=330:sample_rate=48000,volume=0.4",
    ),
    (
        "clip2.mp4",
        "1920x1080",
        30,
        "mandelbrot=s=960x540:r=30:maxiter=2048:outer=normalized_iteration_count,"
        "scale=1920:1080:flags=bicubic,noise=alls=2:allf=t",
        None,
    ),
    (
        "clip3.mp4",
        "1080x1920",
        24,
        "cellauto=s=540x960:r=24:rule=110:random_fill_ratio=0.5,"
        "scale=1080:1920:flags=neighbor,format=yuv420p,hue=H=2*PI*t/7:s=2,"
        "noise=alls=3:allf=t",
        "anoisesrc=color=pink:sample_rate=48000:amplitude=0.15",
    ),
    (
        "clip4.mp4",
        "1920x1080",
        30,
        "life=s=480x270:r=30:mold=10:ratio=0.12:death_color=#c83232:life_color=#32c864,"
        "scale=1920:1080:flags=bicubic,noise=alls=3:allf=t",
        "sine=f=523.25:sample_rate=48000,volume=0.3",
    ),
    (
        "clip5.mp4",
        "1080x1920",
        30,
        "gradients=s=1080x1920:r=30:speed=0.03:n=5,noise=alls=3:allf=t",
        "sine=f=196:sample_rate=48000:beep_factor=4,volume=0.4",
    ),
]


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _ff(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True
    )


def make_clip(dest: Path, rate: int, vgraph: str, agraph: str | None) -> None:
    args = ["-f", "lavfi", "-i", vgraph]
    if agraph:
        args += ["-f", "lavfi", "-i", agraph]
    args += [
        "-t",
        f"{CLIP_SECONDS}",
        "-r",
        str(rate),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "18",
        "-maxrate",
        "24M",
        "-bufsize",
        "48M",
        "-g",
        str(rate * 2),
        "-pix_fmt",
        "yuv420p",
    ]
    if agraph:
        args += ["-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"]
    tmp = dest.with_suffix(".tmp.mp4")
    _ff(*args, "-movflags", "+faststart", str(tmp))
    tmp.replace(dest)


def make_logo(dest: Path, size: int = 512) -> None:
    """A green disc with a white mark on a transparent background (soft edge, real alpha)."""
    s = size * 4
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse((s * 0.04, s * 0.04, s * 0.96, s * 0.96), fill=(34, 160, 90, 255))
    d.ellipse((s * 0.10, s * 0.10, s * 0.90, s * 0.90), outline=(255, 255, 255, 255), width=s // 40)
    # an open book: two white pages
    d.polygon(
        [(s * 0.25, s * 0.35), (s * 0.48, s * 0.42), (s * 0.48, s * 0.70), (s * 0.25, s * 0.63)],
        fill=(255, 255, 255, 255),
    )
    d.polygon(
        [(s * 0.75, s * 0.35), (s * 0.52, s * 0.42), (s * 0.52, s * 0.70), (s * 0.75, s * 0.63)],
        fill=(255, 255, 255, 235),
    )
    im = im.resize((size, size), Image.LANCZOS)
    shadow = Image.new("RGBA", im.size, (0, 0, 0, 0))
    shadow.putalpha(im.getchannel("A").filter(ImageFilter.GaussianBlur(6)).point(lambda v: v // 3))
    out = Image.alpha_composite(shadow, im)
    out.save(dest)


def make_music(dest: Path, seconds: float = MUSIC_SECONDS, rate: int = 48000) -> None:
    """A bright 120 bpm loop: chord pads, a plucked bass and a hi-hat, stereo 16-bit WAV."""
    t = np.arange(int(seconds * rate)) / rate
    beat = 0.5
    chords = [
        (261.63, 329.63, 392.00),
        (220.00, 261.63, 329.63),
        (174.61, 220.00, 261.63),
        (196.00, 246.94, 293.66),
    ]
    bar = (t // (4 * beat)).astype(int) % len(chords)
    pad = np.zeros_like(t)
    for k in range(3):
        f = np.array([c[k] for c in chords])[bar]
        phase = 2 * np.pi * np.cumsum(f) / rate
        pad += 0.12 * (np.sin(phase) + 0.3 * np.sin(2 * phase))
    pos = np.mod(t, beat) / beat
    bass_f = np.array([c[0] / 2 for c in chords])[bar]
    bass = 0.25 * np.sin(2 * np.pi * np.cumsum(bass_f) / rate) * np.exp(-6 * pos)
    rng = np.random.default_rng(7)
    hat = 0.05 * rng.standard_normal(t.size) * np.exp(-40 * np.mod(t + beat / 2, beat) / beat)
    left = pad + bass + 0.8 * hat
    right = pad * 0.9 + bass + 1.1 * hat
    stereo = np.stack([left, right], 1)
    stereo /= np.abs(stereo).max() / 0.8
    data = (stereo * 32767).astype("<i2")
    with wave.open(str(dest), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())


def build_media(work: Path, log=print) -> None:  # noqa: ANN001
    work.mkdir(parents=True, exist_ok=True)
    stamp = work / ".workload-version"
    fresh = stamp.is_file() and stamp.read_text().strip() == str(WORKLOAD_VERSION)
    for name, _size, rate, vg, ag in SOURCES:
        dest = work / name
        if fresh and dest.is_file():
            continue
        log(f"  making {name}")
        make_clip(dest, rate, vg, ag)
    if not (fresh and (work / "logo.png").is_file()):
        make_logo(work / "logo.png")
    if not (fresh and (work / "music.wav").is_file()):
        log("  making music.wav")
        make_music(work / "music.wav")
    stamp.write_text(str(WORKLOAD_VERSION))


def clip_count(seconds: int) -> int:
    """Clip scenes so that title + n clips + end slate, all joined by 0.5 s dissolves, is exact."""
    # total = 2.5 + 5.5 n + 3 - 0.5 (n + 1) = 5 + 5 n
    n = (seconds - 5) / 5
    assert n == int(n) and n >= 1, seconds
    return int(n)


def timeline(seconds: int, transition: str = "dissolve") -> dict:
    """The school ad, renderer-neutral."""
    scenes: list[dict] = [
        {
            "type": "title",
            "text": "春期講習 受付中",
            "subtext": "新学年のスタートダッシュ",
            "background": ["#1d3557", "#457b9d"],
            "duration": TITLE_SECONDS,
        }
    ]
    for i in range(clip_count(seconds)):
        name = SOURCES[i % len(SOURCES)][0]
        start = round(0.6 * ((i // len(SOURCES)) % 3), 3)  # later laps use other parts of a clip
        scenes.append(
            {
                "type": "clip",
                "src": name,
                "trim": [start, start + SCENE_SECONDS],
                "duration": SCENE_SECONDS,
                "fit": "cover",
                "volume": 0.3,
            }
        )
    scenes.append(
        {
            "type": "endslate",
            "logo": "logo.png",
            "text": "さくら進学塾",
            "subtext": "0120-000-000",
            "background": "#ffffff",
            "color": "#1d3557",
            "duration": END_SECONDS,
            "flex": True,
        }
    )
    return {
        "name": f"school-{seconds}s",
        "width": W,
        "height": H,
        "fps": FPS,
        "duration": float(seconds),
        "transition": {"type": transition, "duration": XFADE},
        "scenes": scenes,
        "captions": [
            {
                "text": "勉強が、楽しくなる。",
                "start": 3.0,
                "end": 9.0,
                "position": "bottom",
                "stroke": {"color": "#000000", "width": 6},
            }
        ],
        "music": {"track": "music.wav", "volume": -6.0, "fade_in": 0.5, "fade_out": 1.5},
    }


def _toml_value(v) -> str:  # noqa: ANN001
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def recipe_toml(tl: dict) -> str:
    lines = [
        "# generated by bench/workload.py; do not edit",
        "version = 1",
        "",
        "[output]",
        'path = "out/{{variant}}.mp4"',
        'format = "vertical"',
        f"fps = {tl['fps']}",
        f"duration = {int(tl['duration'])}",
        "",
        "[defaults]",
        f"transition = {_toml_value(tl['transition'])}",
        "",
    ]
    for s in tl["scenes"]:
        lines.append("[[scenes]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in s.items()]
        lines.append("")
    for c in tl["captions"]:
        lines.append("[[captions]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in c.items()]
        lines.append("")
    lines.append("[music]")
    lines += [f"{k} = {_toml_value(v)}" for k, v in tl["music"].items()]
    return "\n".join(lines) + "\n"


def write_recipes(
    work: Path, lengths=(15, 30, 60), transition: str = "dissolve"
) -> dict[int, Path]:  # noqa: ANN001,E501
    out = {}
    for n in lengths:
        tl = timeline(n, transition)
        toml = work / f"{tl['name']}.toml"
        toml.write_text(recipe_toml(tl), encoding="utf-8")
        (work / f"{tl['name']}.json").write_text(
            json.dumps(tl, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        out[n] = toml
    return out


if __name__ == "__main__":
    here = Path(__file__).resolve().parent / "work"
    build_media(here)
    for n, p in write_recipes(here).items():
        print(n, p)
    assert math.isclose(5 + 5 * clip_count(30), 30)
