"""Highlighted words drawn larger (`highlight = { color, scale }`): on the same baseline as the
text around them, lines that hold them grow, wrapping and shrinking count them, reveals keep
their size, emoji scale too; the recipe keys and their errors. Pillow pictures, no FFmpeg."""

from __future__ import annotations

import numpy as np
import pytest

from cmforge.text import TextStyle, render_text
from cmforge.text.wrap import wrap

pytestmark = pytest.mark.unit
GOLD = (255, 209, 102)


def _masks(im) -> tuple[np.ndarray, np.ndarray]:
    """(highlight-coloured ink, white ink) of a picture, opaque pixels only."""
    a = np.asarray(im).astype(int)
    solid = a[..., 3] > 250
    lit = (np.abs(a[..., :3] - GOLD).sum(-1) < 30) & solid
    white = (a[..., :3].min(-1) > 245) & solid
    return lit, white


def _rows(mask: np.ndarray) -> tuple[int, int]:
    rows = np.nonzero(mask.any(1))[0]
    return int(rows[0]), int(rows[-1])


def _style(scale: float, **kw) -> TextStyle:
    return TextStyle(highlight="#ffd166", highlight_scale=scale, **kw)


def test_a_scaled_run_is_taller_and_sits_on_the_same_baseline() -> None:
    # capitals without descenders: their ink ends on the baseline
    lit, white = _masks(render_text("**HI**THE", _style(1.4, size=60), (800, 300)))
    (lt, lb), (wt, wb) = _rows(lit), _rows(white)
    assert abs(lb - wb) <= 1, "one baseline"
    assert (lb - lt + 1) / (wb - wt + 1) == pytest.approx(1.4, abs=0.06)
    # Japanese: taller, and its ink ends below by the scaled part of the glyph under the line
    lit, white = _masks(render_text("**合格**実績", _style(1.4, size=60), (800, 300)))
    (lt, lb), (wt, wb) = _rows(lit), _rows(white)
    assert (lb - lt) > 1.3 * (wb - wt)
    assert 0 <= lb - wb <= 0.4 * 0.15 * 60 + 1


def test_plain_scale_draws_exactly_as_before() -> None:
    plain = np.asarray(
        render_text("**合格**実績\nです", TextStyle(size=50, highlight="#ffd166"), (500, 300))
    )
    same = np.asarray(render_text("**合格**実績\nです", _style(1.0, size=50), (500, 300)))
    assert plain.shape == same.shape and (plain == same).all()


def test_the_line_holding_a_larger_run_grows_and_the_others_keep_their_pitch() -> None:
    def line_gap(text: str, scale: float) -> tuple[int, int]:
        im = render_text(text, _style(scale, size=40), (500, 400))
        ink = np.asarray(im)[..., 3] > 128
        rows = np.nonzero(ink.any(1))[0]
        gaps = np.nonzero(np.diff(rows) > 1)[0]
        return im.height, len(gaps)

    h1, n1 = line_gap("上の行\n**合格**\n下の行", 1.0)
    h2, n2 = line_gap("上の行\n**合格**\n下の行", 1.6)
    assert n1 == n2 == 2, "three lines apart, not overlapping"
    assert h2 >= h1 + 0.5 * 40 * 0.6, (h1, h2)
    unmarked = render_text("上の行\n合格\n下の行", _style(1.6, size=40), (500, 400))
    assert unmarked.height == h1, "no marked word: no room added"


def test_wrapping_counts_the_larger_run() -> None:
    text = "春の**特別キャンペーン**実施中"
    small = render_text(text, _style(1.0, size=40), (420, 600))
    large = render_text(text, _style(2.0, size=40), (420, 600))
    assert large.width <= 420 and large.info["font_size"] == 40
    assert len(large.info["lines"]) > len(small.info["lines"])
    lit, _ = _masks(large)
    assert lit.any(1).sum() > 0 and large.width <= 420


def test_auto_size_shrinks_the_whole_text_to_fit_its_box() -> None:
    text = "**合格**実績No.1"
    plain = render_text(text, _style(1.0), (400, 120))
    big = render_text(text, _style(1.8), (400, 120))
    assert big.width <= 400 and big.height <= 120
    assert big.info["font_size"] < plain.info["font_size"]


def test_a_reveal_keeps_every_picture_the_same_size_and_place() -> None:
    text, style, box = "今すぐ**合格**へ!", _style(1.5, size=40), (600, 300)
    whole = render_text(text, style, box)
    alpha = np.asarray(whole)[..., 3] > 128
    for shown in range(1, 7):
        part = render_text(text, style, box, reveal=shown)
        assert part.size == whole.size
        a = np.asarray(part)[..., 3] > 128
        assert (a & ~alpha).sum() <= 0.01 * a.sum() + 2, "no reflow: ink only where the whole is"


def test_an_emoji_in_a_highlighted_run_is_scaled_too() -> None:
    def emoji_rows(text: str) -> int:
        a = np.asarray(render_text(text, _style(1.5, size=60), (800, 300))).astype(int)
        colour = (a[..., :3].max(-1) - a[..., :3].min(-1) > 80) & (a[..., 3] > 200)
        colour &= ~(np.abs(a[..., :3] - GOLD).sum(-1) < 60)
        rows = np.nonzero(colour.any(1))[0]
        return int(rows[-1] - rows[0] + 1)

    assert emoji_rows("**🎉**合格") > 1.3 * emoji_rows("🎉合格")


def test_wrap_measures_a_line_where_it_starts() -> None:
    # the same characters twice; only the first pair is wide: lines break by place, not text
    wide = set(range(0, 2))
    at = lambda s, start: sum(3.0 if start + i in wide else 1.0 for i in range(len(s)))  # noqa: E731
    res = wrap("ああああ", len, 4.0, balance=False, measure_at=at)
    assert res.lines != ["ああああ"] and "".join(res.lines) == "ああああ"
    assert wrap("ああああ", len, 4.0, balance=False).lines == ["ああああ"]


def test_recipe_highlight_is_a_colour_or_a_table(tmp_path) -> None:
    from recipes import entry, load_one, output, table, title, write

    r = load_one(
        write(
            tmp_path / "a",
            output()
            + table("style", highlight={"color": "#ff0000", "scale": 1.3})
            + title("**A**")
            + title("**B**", highlight="#00ff00")
            + title("**C**", highlight={"scale": 0.8})
            + entry("captions", text="**x**", highlight={"scale": 1.5}),
        )
    )
    styles = [s.style for s in r.scenes] + [r.captions[0].style]
    assert [(s.highlight, s.highlight_scale) for s in styles] == [
        ((255, 0, 0, 255), 1.3),
        ((0, 255, 0, 255), 1.3),  # a colour alone keeps the style's scale
        ((255, 0, 0, 255), 0.8),  # a table keeps the colour it does not give
        ((255, 0, 0, 255), 1.5),
    ]
    default = load_one(write(tmp_path / "b", output() + title("**A**"))).scenes[0].style
    assert default.highlight_scale == 1.0


def test_recipe_highlight_scale_out_of_range_is_named(tmp_path) -> None:
    from recipes import entry, load_one, output, table, title, write

    from cmforge import RecipeError

    bad = (
        output()
        + table("style", highlight={"scale": 2.5})
        + title("**A**", highlight={"scale": 0.2})
        + entry("captions", text="x", highlight=3)
    )
    with pytest.raises(RecipeError) as e:
        load_one(write(tmp_path / "a", bad))
    text = str(e.value)
    assert "style.highlight.scale" in text and "must be from 0.5 to 2, got 2.5" in text
    assert "scenes[0].highlight.scale" in text and "got 0.2" in text
    assert "captions[0].highlight" in text and "a colour" in text


def test_schema_gives_the_scale_its_range() -> None:
    from cmforge.recipe.schema import recipe_schema

    hl = recipe_schema()["properties"]["style"]["properties"]["highlight"]
    table_ = next(v for v in hl["anyOf"] if v.get("type") == "object")
    assert table_["properties"]["scale"]["minimum"] == 0.5
    assert table_["properties"]["scale"]["maximum"] == 2.0
