"""Tier 3: real renders at small sizes, opened and looked at."""

from __future__ import annotations

import media
import pytest
from look import audio_rms, delta_e2000, facts, frame_rgb, luma_means, manifest_of
from recipes import load_one, output, render_one, scene, title

from cmforge import render

SMALL = output()


def test_title_colour_frames_audio_and_tags(project) -> None:
    text = (
        SMALL
        + """
[[scenes]]
type = "title"
text = "合格実績 No.1! 🎉 : ' \\\\ % , ; [ ] = \\" %{pts} {braces}"
background = "#1d3557"
duration = 1.0
[[scenes]]
type = "title"
text = "B"
background = "#e63946"
duration = 1.0
transition = { type = "fade", duration = 0.4 }
"""
    )
    out = render_one(project(text))
    f = facts(out)
    assert (f.width, f.height, f.fps) == (180, 320, 15)
    assert f.frames == 15 + 15 - 6
    assert f.pix_fmt == "yuv420p" and f.profile == "High" and f.color_primaries in ("1", "bt709")
    assert f.audio_rate == 48000 and f.audio_channels == 2
    assert abs(f.audio_seconds - f.video_seconds) <= 1 / 15
    first = frame_rgb(out, 2)
    corner = first[4:20, 4:20].reshape(-1, 3).mean(0)
    assert delta_e2000(corner, (0x1D, 0x35, 0x57)) <= 2
    last = frame_rgb(out, f.frames - 1)[4:20, 4:20].reshape(-1, 3).mean(0)
    assert delta_e2000(last, (0xE6, 0x39, 0x46)) <= 2
    # the title text is there once it has popped in: bright pixels in the middle
    assert frame_rgb(out, 7)[100:220].max() > 200
    assert manifest_of(out)["output"]["frames"] == 24


def test_endslate_logo_keeps_transparency(project) -> None:
    media.logo(project.folder / "logo.png", 128)
    out = render_one(
        project(
            SMALL
            + """
[[scenes]]
type = "endslate"
logo = "logo.png"
text = "さくら進学塾"
subtext = "0120-000-000"
background = "#ffffff"
duration = 1.0
"""
        )
    )
    rgb = frame_rgb(out, 12)  # 0.8 s: the logo has come in (it fades in over 0.5 s)
    h, w, _ = rgb.shape
    ys, xs = ((rgb[..., 1] > 150) & (rgb[..., 0] < 80)).nonzero()
    assert len(ys) > 200, "the green logo disc is on the end slate"
    cx = int(xs.mean())
    assert abs(cx - w / 2) < 6
    # around the disc the logo's transparent corners show the white background, never black
    corner = rgb[max(0, ys.min() - 2) : ys.min() + 4, max(0, xs.min() - 2) : xs.min() + 4]
    assert corner.min() > 200


def test_flex_to_exact_duration_and_music(project) -> None:
    media.tone(project.folder / "music.m4a", dur=1.0)  # AAC: decoder restarts would gap
    out = render_one(
        project(
            output(duration=3.0)
            + """
[[scenes]]
type = "title"
text = "A"
duration = 1.0
[[scenes]]
type = "title"
text = "B"
duration = 1.0
flex = true
transition = "dissolve"
[music]
track = "music.m4a"
fade_out = 0.5
"""
        )
    )
    f = facts(out)
    assert f.frames == 45
    assert abs(f.audio_seconds - 3.0) <= 1 / 15
    assert audio_rms(out, 1.2, 1.8) > 0.05, "a 1 s track loops under a 3 s ad"
    windows = [audio_rms(out, t / 100, t / 100 + 0.01) for t in range(50, 240)]
    assert min(windows) > 0.5 * sorted(windows)[len(windows) // 2], "no gap at the loop seams"
    assert audio_rms(out, 2.95, 3.0) < audio_rms(out, 1.2, 1.8) / 4, "faded out at the end"


def test_clip_sources_as_users_have_them(project) -> None:
    d = project.folder
    media.video(
        d / "vfr.mp4",
        rate="24",
        dur=1.5,
        audio="mono",
        extra=["-vf", "setpts='PTS+0.02*sin(N)/TB'", "-fps_mode", "vfr"],
    )
    media.video(
        d / "hevc10.mp4",
        size="97x161",
        dur=1.5,
        audio="5.1",
        vcodec=[
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p10le",
            "-x265-params",
            "log-level=error",
        ],
    )
    media.video(
        d / "silent.mov", rate="60", dur=1.5, audio=None, extra=["-timecode", "01:00:00:00"]
    )
    media.video(
        d / "vp9.webm",
        rate="25",
        dur=1.5,
        audio=None,
        vcodec=["-c:v", "libvpx-vp9", "-deadline", "realtime", "-b:v", "200k"],
    )
    scenes = "".join(
        scene("clip", src=n, duration=1.0, fit=fit)
        for n, fit in [
            ("vfr.mp4", "cover"),
            ("hevc10.mp4", "blur"),
            ("silent.mov", "contain"),
            ("vp9.webm", "cover"),
        ]
    )
    out = render_one(project(SMALL + scenes))
    f = facts(out)
    assert f.frames == 60 and (f.width, f.height) == (180, 320)
    assert audio_rms(out, 0.1, 0.9) > 0.01, "mono clip sound is heard"
    assert audio_rms(out, 1.1, 1.9) > 0.01, "5.1 downmixed with its centre channel"
    assert audio_rms(out, 2.1, 2.9) < 1e-3, "a clip with no audio is silent"


def test_rotated_phone_clip_is_upright(project) -> None:
    d = project.folder
    media.ff(
        "-f",
        "lavfi",
        "-i",
        "color=red:s=160x96:d=1:r=15",
        "-f",
        "lavfi",
        "-i",
        "color=blue:s=80x96:d=1:r=15",
        "-filter_complex",
        "[0][1]overlay=80:0",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(d / "land.mp4"),
    )
    media.ff(
        "-display_rotation", "90", "-i", str(d / "land.mp4"), "-c", "copy", str(d / "phone.mp4")
    )
    out = render_one(project(SMALL + scene("clip", src="phone.mp4")))
    rgb = frame_rgb(out, 3)
    top, bottom = rgb[40:120, 60:120].mean((0, 1)), rgb[200:280, 60:120].mean((0, 1))
    # FFmpeg's own autorotate says which colour a viewer sees on top
    media.ff("-i", str(d / "phone.mp4"), "-frames:v", "1", str(d / "upright.png"))
    from PIL import Image

    ref = Image.open(d / "upright.png").convert("RGB")
    assert ref.size == (96, 160)
    red_on_top = ref.getpixel((48, 20))[0] > 150
    assert (top[0] > 150 and bottom[2] > 150) if red_on_top else (top[2] > 150 and bottom[0] > 150)
    # the draft reads clips another way (-i, threaded): the same orientation
    draft = render(load_one(project.folder / "recipe.toml"), preview=True)
    rgb = frame_rgb(draft, 3)
    top, bottom = rgb[20:60, 30:60].mean((0, 1)), rgb[100:140, 30:60].mean((0, 1))
    assert (top[0] > 150 and bottom[2] > 150) if red_on_top else (top[2] > 150 and bottom[0] > 150)


def test_stills_as_users_have_them(project) -> None:
    d = project.folder
    media.still(d / "cmyk.jpg", mode="CMYK", quality=90)
    media.ff(
        "-f",
        "lavfi",
        "-i",
        "color=c=0xc82828:s=120x80",
        "-frames:v",
        "1",
        "-pix_fmt",
        "rgb48be",
        str(d / "deep.png"),
    )  # a real 16-bit-per-channel PNG
    media.still(d / "pic.webp")
    media.logo(d / "alpha.png")
    from PIL import Image

    im = Image.open(media.still(d / "base.jpg"))
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90 CW on display
    im.save(d / "exif.jpg", exif=exif)
    scenes = "".join(
        scene("image", src=n, duration=0.4)
        for n in ["cmyk.jpg", "deep.png", "pic.webp", "alpha.png", "exif.jpg"]
    )
    out = render_one(project(SMALL + scenes))
    assert facts(out).frames == 5 * 6
    # every still is the red picture (CMYK, 16-bit and WebP decoded right)
    for n in range(3):
        mid = frame_rgb(out, n * 6 + 3)[200:300, 40:140].reshape(-1, 3).mean(0)
        assert mid[0] > 150 and mid[1] < 90 and mid[2] < 90, n
    # the transparent logo stays see-through (black behind it), its disc green
    logo = frame_rgb(out, 3 * 6 + 3)
    assert logo[5:15, 5:15].max() < 40 and logo[150:170, 80:100, 1].mean() > 150
    # EXIF orientation 6: the green band along the top of the stored picture is shown on
    # the right-hand side of the upright picture
    exif = frame_rgb(out, 4 * 6 + 3)
    right, left = exif[:, 150:, 1].mean(), exif[:, :30, 1].mean()
    assert right > left + 40


def test_ken_burns_is_smooth(project) -> None:
    import numpy as np
    from PIL import Image

    ramp = np.linspace(0, 255, 640)[None, :, None].repeat(360, 0).repeat(3, 2).astype("uint8")
    Image.fromarray(ramp).save(project.folder / "ramp.png")
    out = render_one(
        project(
            output(size=(320, 180))
            + scene("image", src="ramp.png", duration=3, motion="pan-right", fit="cover")
        )
    )
    steps = np.diff(luma_means(out))
    assert (steps > 0).all(), "the picture moves every frame, never stalls"
    assert steps.std() / steps.mean() < 0.15, "steps are even: no whole-pixel jitter"


def test_failed_render_keeps_previous_file(project, monkeypatch) -> None:
    path = project(SMALL + title("ok", duration=0.5))
    out = render_one(path)
    before = out.read_bytes()
    from cmforge.errors import RenderError
    from cmforge.render import verify

    def broken(*_a, **_k):
        raise RenderError("simulated check failure")

    monkeypatch.setattr(verify, "verify_output", broken)
    with pytest.raises(RenderError):
        render_one(path)
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir() if "partial" in p.name] == []


def test_any_file_name_is_safe(project) -> None:
    name = "it's [a], b; c:d=e %{pts} 日本.mp4"
    media.video(project.folder / name, dur=1.0)
    out = render_one(project(SMALL + scene("clip", src=name, trim=[0.2, 0.9])))
    f = facts(out)
    assert f.frames == round(0.7 * 15)
    assert audio_rms(out, 0.1, 0.4) > 0.01


def test_segmented_render_matches_one_process(project, monkeypatch) -> None:
    """A long ad is rendered segment by segment into one encoder; the result is the same."""
    import numpy as np

    from cmforge.compile import pieces

    d = project.folder
    media.video(d / "a.mp4", dur=2.0)
    media.video(d / "b.mp4", dur=2.0, src="testsrc")
    media.still(d / "pic.png", (320, 200))
    text = (
        SMALL
        + """[defaults]
transition = { type = "fade", duration = 0.4 }
[[scenes]]
type = "clip"
src = "a.mp4"
trim = [0.3, 1.8]
[[scenes]]
type = "image"
src = "pic.png"
motion = "zoom-in"
duration = 1.2
[[scenes]]
type = "clip"
src = "b.mp4"
speed = 1.5
[[captions]]
text = "字幕 across segments"
start = 0.5
end = 2.5
"""
    )
    one = render_one(project(text, "one.toml"))
    monkeypatch.setattr(pieces, "MAX_CLIPS", 0)
    r = load_one(project(text, "many.toml"))
    from cmforge import plan

    assert len(plan(r).command.segments) == 3  # one per clip and the mix that follows it
    many = render(r)
    fa, fb = facts(one), facts(many)
    assert fa.frames == fb.frames and abs(fa.audio_seconds - fb.audio_seconds) < 0.03
    for i in range(0, fa.frames, 5):
        diff = np.abs(frame_rgb(one, i) - frame_rgb(many, i)).mean()
        assert diff < 3.0, f"frame {i} differs by {diff:.1f}"
