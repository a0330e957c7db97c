"""Text that moves and caption looks, on plain data and Pillow pictures (no FFmpeg)."""

from __future__ import annotations

import numpy as np
import pytest

from cmforge.compile.animate import Motion, ease, phrase_ends, reveal_steps
from cmforge.recipe.model import Animate
from cmforge.text import Backing, TextStyle, emoji, markup, render_text

pytestmark = pytest.mark.unit
HIGHLIGHT = (255, 209, 102)


def test_markup_marks_highlighted_characters_and_escapes() -> None:
    assert markup.parse("**合格**実績") == ("合格実績", (True, True, False, False))
    assert markup.parse(r"5 \*\* 3")[0] == "5 ** 3"
    assert markup.parse("2**3")[0] == "2**3"  # an unclosed ** is kept as written
    assert markup.parse(r"a\\b")[0] == r"a\b"
    assert markup.plain("**A**B") == "AB"


def test_reveal_steps_typewriter_and_words() -> None:
    steps = reveal_steps("勉強が楽しくなる", "typewriter", 24)
    assert [c for c, _ in steps] == list(range(1, 9)) and sum(f for _, f in steps) == 24
    many = reveal_steps("あ" * 100, "typewriter", 60)
    assert len(many) <= 30 and many[-1][0] == 100  # grouped: a handful of pictures
    words = reveal_steps("勉強が、楽しくなる。", "words", 12)
    assert 1 < len(words) < 8 and words[-1][0] == len("勉強が、楽しくなる。")
    assert phrase_ends("今すぐ 申し込む")[-1] == len("今すぐ 申し込む")


def test_motion_frames_fit_the_text_time() -> None:
    m = Motion.of(Animate("pop", "fade", 0.4), 60, 30.0)
    assert (m.enter, m.leave) == (12, 12) and m.pops
    short = Motion.of(Animate("fade", "fade", 1.0), 10, 30.0)
    assert short.enter + short.leave <= 10
    assert Motion.of(Animate("typewriter"), 90, 30.0, "あいうえお").reveals


def test_easing_expressions_are_ffmpeg_expressions() -> None:
    for name in ("linear", "ease-in", "ease-out", "ease-in-out", "back"):
        text = ease(name, "p")
        assert text.count("(") == text.count(")")


def test_highlight_is_drawn_in_its_colour() -> None:
    style = TextStyle(size=60, highlight="#ffd166")
    im = np.asarray(render_text("**合格**実績", style, (600, 200)))
    lit = (np.abs(im[..., :3].astype(int) - HIGHLIGHT).sum(-1) < 30) & (im[..., 3] > 250)
    white = (im[..., :3].min(-1) > 245) & (im[..., 3] > 250)
    assert lit.sum() > 200 and white.sum() > 200
    # the marked word is on the left: every highlighted pixel is left of the white ones
    assert np.nonzero(lit)[1].max() < np.nonzero(white)[1].mean()


def test_reveal_keeps_the_size_and_shows_fewer_characters() -> None:
    style = TextStyle(size=50)
    whole = render_text("勉強が楽しくなる", style, (400, 300))
    part = render_text("勉強が楽しくなる", style, (400, 300), reveal=3)
    assert part.size == whole.size
    ink = lambda im: int((np.asarray(im)[..., 3] > 128).sum())  # noqa: E731
    assert 0 < ink(part) < ink(whole) * 0.6


def test_emoji_is_coloured_beside_japanese() -> None:
    assert emoji.picture_path("😀") is not None and emoji.picture_path("あ") is None
    im = np.asarray(render_text("合格🎉", TextStyle(size=80, stroke_width=4), (600, 200)))
    rgb = im[..., :3].astype(int)
    saturation = rgb.max(-1) - rgb.min(-1)
    assert ((saturation > 80) & (im[..., 3] > 200)).sum() > 300, "a coloured emoji, not an outline"


def test_band_spans_the_frame_in_its_colour() -> None:
    text = render_text("字幕", TextStyle(size=40), (300, 100))
    out = Backing("band", (0, 0, 0, 176), 0, 10, width=360).behind(text)
    assert out.width == 360 and out.height == text.height + 20
    assert out.getpixel((2, 2)) == (0, 0, 0, 176)
    box = Backing("box", (20, 40, 60, 255), 8, 10).behind(text)
    assert box.width == text.width + 20 and box.getpixel((0, 0))[3] == 0  # rounded corner
    assert box.getpixel((box.width // 2, 3)) == (20, 40, 60, 255)


def test_recipe_keys_build_records_and_bad_values_are_named(tmp_path) -> None:
    from recipes import entry, load_one, output, table, title, write

    from cmforge import RecipeError

    good = (
        output()
        + table("style", highlight="#ffd166", caption={"look": "band", "color": "#000000b0"})
        + title("**A**", animate={"in": "pop", "out": "fade", "duration": 0.3})
        + entry("captions", text="x", start=0, end=1, animate="words", look="box")
    )
    r = load_one(write(tmp_path / "a", good))
    scene, caption = r.scenes[0], r.captions[0]
    assert (scene.animate.enter, scene.animate.leave, scene.animate.duration) == (
        "pop",
        "fade",
        0.3,
    )
    assert scene.style.highlight == (255, 209, 102, 255)
    assert caption.animate.enter == "words" and caption.style.caption.look == "box"
    bad = output() + title("A", animate="bounce") + entry("captions", text="x", look={"looks": 1})
    with pytest.raises(RecipeError) as e:
        load_one(write(tmp_path / "b", bad))
    text = str(e.value)
    assert "scenes[0].animate" in text and "'bounce' is not one of" in text
    assert "captions[0].look" in text and "looks" in text


def test_emoji_pictures_are_credited(tmp_path) -> None:
    from recipes import entry, load_one, output, title, write

    from cmforge.audio.credits import credits_text

    with_emoji = load_one(write(tmp_path / "a", output() + title("合格🎉")))
    assert "Twemoji" in credits_text(with_emoji) and "CC-BY 4.0" in credits_text(with_emoji)
    plain_text = load_one(
        write(tmp_path / "b", output() + title("合格") + entry("captions", text="x"))
    )
    assert "Twemoji" not in credits_text(plain_text)


def test_pulse_beats_after_the_pop() -> None:
    from cmforge.compile.animate import _move
    from cmforge.compile.emit import filter_text

    m = Motion.of(Animate("pop"), 90, 30.0, pulse=0.05)
    assert m.pops and m.beat == 36
    text = filter_text(_move((200, 100), m, 10.0))
    assert "cos(2*PI*max((in-1)-12" in text and "sense=destination" in text
