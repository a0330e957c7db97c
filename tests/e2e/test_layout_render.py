"""Tier 3: real renders, pixels checked. A long Japanese title and caption on black stay inside
each vertical platform's safe zone (no text pixel outside it, none under TikTok's buttons); a
caption shown over the end slate never touches its logo or text, in vertical, square and
landscape."""

from __future__ import annotations

import media
import numpy as np
from look import frame_rgb
from recipes import entry, output, scene, table, title, write

from cmforge import load_recipe, render
from cmforge.layout import safe_area

LONG_TITLE = "新学期スタートダッシュキャンペーン、春期講習の受付を開始しました！"
LONG_CAPTION = "Webフォームから今すぐお申し込みください。定員になり次第締め切ります。"
VERTICAL = ["tiktok", "shorts", "reels", "stories", "line", "x"]


def test_long_japanese_text_stays_inside_every_vertical_platforms_safe_zone(tmp_path) -> None:
    size = (270, 480)
    text = (
        output(size=size, fps=30, crf=12)
        + table("matrix", platform=VERTICAL)
        + title(LONG_TITLE, subtext="春期講習 受付中", duration=0.1, background="#000000")
        + entry("captions", text=LONG_CAPTION, start=0.0, end=0.1)
    )
    recipes = load_recipe(write(tmp_path, text))
    assert sorted(r.output.platforms[0] for r in recipes) == sorted(VERTICAL)
    for r in recipes:
        video = render(r)
        zone = safe_area(r.output.platforms, *size)
        lit = frame_rgb(video, 1).max(axis=2) > 60  # text: white on black
        ys, xs = lit.nonzero()
        assert len(ys) > 500, "the title and the caption are drawn"
        inside = (
            (xs >= zone.box.x) & (xs < zone.box.right) & (ys >= zone.box.y) & (ys < zone.box.bottom)
        )
        assert inside.all(), (r.output.platforms, zone, xs[~inside][:5], ys[~inside][:5])
        for a in zone.avoid:  # TikTok's buttons reach into the zone
            assert not lit[a.y : a.bottom, a.x : a.right].any(), (r.output.platforms, a)


def test_caption_never_covers_the_end_slate_in_vertical_square_and_landscape(tmp_path) -> None:
    media.logo(tmp_path / "logo.png", 160)
    variants = "".join(
        entry("variants", name=name, output={"size": list(size)})
        for name, size in (("v", (270, 480)), ("s", (360, 360)), ("l", (480, 270)))
    )
    text = (
        output(fps=10, crf=12)
        + scene(
            "endslate",
            logo="logo.png",
            text="さくら進学塾",
            subtext="0120-000-000",
            color="#0000ff",
            duration=1.0,
        )
        + entry("captions", text="無料体験 受付中！", start=0.0, end=1.0, color="#ff0000")
        + variants
    )
    for r in load_recipe(write(tmp_path, text)):
        rgb = frame_rgb(render(r), 5)
        r_, g_, b_ = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        red = (r_ > 150) & (g_ < 90) & (b_ < 90)
        slate = ((g_ > 120) & (r_ < 90) & (b_ < 90)) | ((b_ > 150) & (r_ < 90) & (g_ < 90))
        assert red.sum() > 50 and slate.sum() > 200, r.variant

        def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
            ys, xs = mask.nonzero()
            return xs.min(), ys.min(), xs.max(), ys.max()

        cx0, cy0, cx1, cy1 = bbox(red)
        sx0, sy0, sx1, sy1 = bbox(slate)
        apart = cy1 < sy0 or sy1 < cy0 or cx1 < sx0 or sx1 < cx0
        # the caption may sit beside the slate, but never inside its parts' rows and columns
        rows = slate[cy0 : cy1 + 1].any(axis=1)
        assert apart or not (slate[cy0 : cy1 + 1, cx0 : cx1 + 1]).any(), r.variant
        assert not rows.all() or apart, r.variant


def test_a_caption_over_a_busy_clip_gets_a_band_measured_on_a_decoded_frame(tmp_path) -> None:
    from cmforge.pipeline import plan

    media.video(tmp_path / "busy.mp4", size="180x320", dur=1.0, audio=None, src="testsrc2")
    media.video(tmp_path / "calm.mp4", size="180x320", dur=1.0, audio=None, src="color")
    text = (
        output(fps=10)
        + scene("clip", src="busy.mp4")
        + scene("clip", src="calm.mp4")
        + entry("captions", text="字幕", start=0.1, end=0.9, color="#ffffff")
        + entry("captions", text="字幕", start=1.1, end=1.9, color="#ffffff")
    )
    [r] = load_recipe(write(tmp_path, text))
    p = plan(r)
    busy, calm = p.command.layout.texts
    assert busy.backing == "band" and busy.contrast is not None and busy.contrast < 3
    assert calm.backing == "" and calm.contrast > 3
    rgb = frame_rgb(render(r), 5)
    x, y, w, h = busy.box.as_list()
    band = rgb[y + 1 : y + 4, x + w // 2]  # the band's top edge, above the text
    assert band.mean() < rgb[: y - 4].mean(), "a dark band behind the caption"
