"""Unit tests for cmforge.text: kinsoku line breaking, font fallback and rasterisation."""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import pytest
from PIL import Image

from cmforge.text import (
    FontError,
    TextStyle,
    available_families,
    fallback,
    font_runs,
    layout_lines,
    render_text,
    resolve_font,
)
from cmforge.text.fallback import coverage
from cmforge.text.fonts import FontFace
from cmforge.text.wrap import NO_END, NO_START

# ---------------------------------------------------------------- pure line breaking


def em(s: str) -> float:
    """Toy measure: full-width characters 1 em, everything else half an em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in s)


JA_TEXTS = [
    "勉強が、楽しくなる。「春期講習」受付中！",
    "ちょっと待って！スーパーセール開催中。ぜひ『お気軽に』ご参加ください……。",
    "わたしは（仮）です。キャッチコピー「ゆっくり、じっくり。」をご覧ください。",
    "今すぐお申し込みください。期間限定キャンペーン実施中！先着100名様、ご予約は【公式サイト】から。",
]


def _assert_kinsoku(lines: list[str]) -> None:
    for i, line in enumerate(lines):
        assert line, lines
        if i > 0:
            assert line[0] not in NO_START, (line, lines)
        if i < len(lines) - 1:
            assert line[-1] not in NO_END, (line, lines)


@pytest.mark.parametrize("text", JA_TEXTS)
@pytest.mark.parametrize("width", [3, 4, 5, 6, 7, 8, 9, 11, 13, 17])
@pytest.mark.parametrize("balance", [True, False])
def test_kinsoku_no_forbidden_line_starts_or_ends(text: str, width: int, balance: bool) -> None:
    lines = layout_lines(text, em, width, balance=balance)
    _assert_kinsoku(lines)
    assert "".join(lines) == text  # nothing lost or duplicated
    assert all(em(line) <= width for line in lines)


@pytest.mark.parametrize("text", JA_TEXTS)
def test_kinsoku_without_phrase_mode(text: str) -> None:
    for width in range(3, 20):
        lines = layout_lines(text, em, width, phrase=False, balance=False)
        _assert_kinsoku(lines)
        assert "".join(lines) == text


def test_specific_forbidden_characters_never_start_a_line() -> None:
    for ch in "、。」ーっゃァ！？）』】々〜":
        text = "あいうえ" + ch + "かきくけこ"
        for width in range(2, 10):
            lines = layout_lines(text, em, width, balance=False, phrase=False)
            assert not any(line.startswith(ch) for line in lines[1:]), (ch, width, lines)
    for ch in "「『（【〔":
        text = "あいうえ" + ch + "かきくけこ"
        for width in range(2, 10):
            lines = layout_lines(text, em, width, balance=False, phrase=False)
            assert not any(line.endswith(ch) for line in lines[:-1]), (ch, width, lines)


def test_push_out_carries_the_previous_character() -> None:
    # "。" may not start a line, so "お" moves down with it (追い出し)
    assert layout_lines("あいうえお。", em, 5, balance=False, phrase=False) == ["あいうえ", "お。"]


def test_push_in_when_only_the_ink_of_punctuation_counts() -> None:
    def ink(s: str) -> float:  # a trailing 。 only inks its left half
        return em(s) - (0.5 if s.endswith("。") else 0.0)

    assert layout_lines("あいうえお。", ink, 5.5, balance=False) == ["あいうえお。"]


def test_no_1_is_never_split() -> None:
    text = "合格実績 No.1! 🎉"
    for width in [2.5, 3, 4, 5, 6, 7, 8]:
        for balance in (True, False):
            lines = layout_lines(text, em, width, balance=balance)
            assert any("No.1!" in line for line in lines), (width, lines)


def test_mixed_title_balances_to_two_lines() -> None:
    assert layout_lines("合格実績 No.1! 🎉", em, 6) == ["合格実績", "No.1! 🎉"]


def test_latin_words_kept_whole() -> None:
    text = "This is an extraordinarily long sentence with words"
    lines = layout_lines(text, em, 8)
    assert len(lines) > 2
    assert " ".join(lines).split() == text.split()
    for line in lines:
        assert not line.startswith(" ") and not line.endswith(" ")


def test_too_long_word_is_broken_by_character_as_last_resort() -> None:
    word = "Supercalifragilisticexpialidocious"
    lines = layout_lines(word, em, 5)
    assert "".join(lines) == word
    assert len(lines) > 3 and all(em(line) <= 5 for line in lines)


def test_explicit_newlines_are_kept() -> None:
    assert layout_lines("一行目\n二行目", em, 100) == ["一行目", "二行目"]
    assert layout_lines("上\n\n下", em, 100) == ["上", "", "下"]
    assert layout_lines("a\r\nb", em, 100) == ["a", "b"]


def test_balanced_lines_leave_no_orphan() -> None:
    # 16 characters into 15: not 15 + 1 (katakana: BudouX finds no phrase to prefer in it)
    text = "アイウエオカキクケコサシスセソタ"
    lines = layout_lines(text, em, 15, phrase=False)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 1
    assert layout_lines(text, em, 15, balance=False, phrase=False)[1] == "タ"


def test_phrase_breaks_are_preferred() -> None:
    text = "勉強が、楽しくなる。「春期講習」受付中！"
    assert layout_lines(text, em, 10) == ["勉強が、楽しくなる。", "「春期講習」受付中！"]
    assert layout_lines("夏休みの宿題を一緒に終わらせよう", em, 9) == [
        "夏休みの宿題を",
        "一緒に終わらせよう",
    ]


def test_literal_special_characters_in_layout() -> None:
    text = ": ' \\ % , ; [ ] = \" %{pts} {braces}"
    lines = layout_lines(text, em, 6)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# ---------------------------------------------------------------- fonts


def test_resolve_font_defaults_and_aliases() -> None:
    assert resolve_font(None, "bold").name == "NotoSansCJKjp-Bold.otf"
    assert resolve_font(None, "regular").name == "NotoSansCJKjp-Regular.otf"
    for alias in ("Noto Sans JP", "noto sans cjk jp", "NOTO SANS CJK JP", "sans-serif", "sans"):
        assert resolve_font(alias, "bold").name == "NotoSansCJKjp-Bold.otf"
    assert resolve_font("Noto Sans", "regular").name == "NotoSans[wght].ttf"


def test_resolve_font_file_path_relative_to_base_dir() -> None:
    cjk = resolve_font(None, "regular")
    assert resolve_font(cjk.name, "bold", base_dir=cjk.parent) == cjk
    assert resolve_font(str(cjk), "bold") == cjk


def test_resolve_font_errors_list_families(tmp_path: Path) -> None:
    with pytest.raises(FontError) as err:
        resolve_font("Comic Sans Nope", "bold")
    msg = str(err.value)
    assert "Comic Sans Nope" in msg and "Noto Sans CJK JP" in msg and "Noto Sans" in msg
    with pytest.raises(FontError, match="missing.ttf"):
        resolve_font("fonts/missing.ttf", "bold", base_dir=tmp_path)
    (tmp_path / "broken.ttf").write_text("not a font")
    with pytest.raises(FontError, match="Not a readable font"):
        resolve_font("broken.ttf", "bold", base_dir=tmp_path)
    with pytest.raises(ValueError):
        resolve_font(None, "heavy")


def test_available_families() -> None:
    families = available_families()
    for name in ("Noto Sans CJK JP", "Noto Sans", "Noto Emoji", "Noto Sans Symbols"):
        assert name in families


def test_emoji_and_symbols_resolve_to_fonts_that_have_them() -> None:
    text = "合格🎉✨📚 ★♪☎✓→ ♥️ 👨‍💻 1️⃣ 🇯🇵 ©®™€½"
    runs = font_runs(text)
    by_char = {ch: path for piece, path in runs for ch in piece}
    assert by_char["🎉"].name.startswith("NotoEmoji")
    assert by_char["📚"].name.startswith("NotoEmoji")
    assert by_char["合"].name == "NotoSansCJKjp-Bold.otf"
    for piece, path in runs:
        for ch in piece:  # every drawn character exists in the font drawing it: no tofu
            assert ord(ch) in coverage(FontFace(path)), (ch, path)
    drawn = "".join(piece for piece, _ in runs)
    assert "🎉" in drawn and "👨" in drawn and "💻" in drawn


def test_variation_selector_dropped_when_font_lacks_it() -> None:
    runs = font_runs("〒\ufe0f")  # the CJK font has 〒 but no U+FE0F
    for piece, path in runs:
        for ch in piece:
            assert ord(ch) in coverage(FontFace(path))


def test_font_fallback_when_primary_is_latin_only() -> None:
    runs = font_runs("Sale セール", TextStyle(font="Noto Sans"))
    assert runs[0] == ("Sale ", resolve_font("Noto Sans", "bold"))
    assert runs[1][1].name == "NotoSansCJKjp-Bold.otf"


# ---------------------------------------------------------------- rendering


def _ink_bbox(img: Image.Image) -> tuple[int, int, int, int]:
    bbox = img.getchannel("A").getbbox()
    assert bbox is not None, "nothing was drawn"
    return bbox


def _assert_not_clipped(img: Image.Image) -> None:
    left, top, right, bottom = _ink_bbox(img)
    assert left > 0 and top > 0 and right < img.width and bottom < img.height, (
        (left, top, right, bottom),
        img.size,
    )


def test_descenders_are_not_cut_off() -> None:
    img = render_text("gjpqy", TextStyle(font="Noto Sans", size=80), (800, 400))
    assert img.mode == "RGBA"
    _assert_not_clipped(img)
    _, top, _, bottom = _ink_bbox(img)
    assert img.height - bottom <= 4  # ink reaches down to the bottom rows: descenders kept
    ref = render_text("acemnorsuvwxz", TextStyle(font="Noto Sans", size=80), (800, 400))
    assert bottom - top > (_ink_bbox(ref)[3] - _ink_bbox(ref)[1]) + 15


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("合格実績 No.1! 🎉", TextStyle(stroke_color=(0, 0, 0, 255), stroke_width=6)),
        ("gjpqy「春」ÅÉ", TextStyle(shadow=True, stroke_width=3.4)),
        ("右寄せ\nRight", TextStyle(align="right", weight="regular")),
        ("左 left gy", TextStyle(align="left", size=300)),
    ],
)
def test_rendered_text_is_never_clipped_and_fits_the_box(text: str, style: TextStyle) -> None:
    box = (700, 400)
    img = render_text(text, style, box)
    assert img.width <= box[0] and img.height <= box[1]
    _assert_not_clipped(img)


def test_auto_size_fills_but_fits_the_box() -> None:
    box = (600, 300)
    img = render_text("合格実績 No.1! 🎉", TextStyle(), box)
    assert img.width <= box[0] and img.height <= box[1]
    assert img.info["font_size"] > 60
    assert img.width > 0.8 * box[0] or img.height > 0.8 * box[1]  # actually uses the space


def test_max_size_caps_auto_size() -> None:
    img = render_text("A", TextStyle(max_size=40), (1000, 1000))
    assert img.info["font_size"] == 40


def test_long_sentence_wraps_to_several_lines() -> None:
    text = (
        "この講座では、基礎から応用までを丁寧に指導し、志望校合格に必要な力を確実に身につけます。"
    )
    img = render_text(text, TextStyle(size=40), (500, 600))
    lines = img.info["lines"]
    assert len(lines) >= 3
    assert "".join(lines) == text
    _assert_kinsoku(lines)
    assert img.width <= 500 and img.height <= 600


def test_fixed_size_too_big_shrinks_instead_of_clipping() -> None:
    box = (500, 200)
    img = render_text("FIXED SIZE 巨大な見出し", TextStyle(size=400), box)
    assert img.width <= box[0] and img.height <= box[1]
    assert img.info["font_size"] < 400
    _assert_not_clipped(img)


def test_fixed_size_that_fits_is_kept() -> None:
    img = render_text("テスト", TextStyle(size=50), (800, 400))
    assert img.info["font_size"] == 50


def test_emoji_is_not_tofu() -> None:
    style = TextStyle(size=100)
    emoji = render_text("🎉", style, (400, 400))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tofu = render_text("\U000f0000", style, (400, 400))  # no font has this: .notdef box
    assert emoji.size != tofu.size or emoji.tobytes() != tofu.tobytes()
    assert font_runs("🎉")[0][1].name.startswith("NotoEmoji")


def test_missing_glyphs_warn() -> None:
    with pytest.warns(UserWarning, match="no available font"):
        render_text("a\U000f0000", TextStyle(size=20), (200, 100))


def test_stroke_surrounds_fill() -> None:
    style = TextStyle(size=120, color=(255, 255, 255, 255), stroke_color=(255, 0, 0, 255))
    img = render_text("あ", TextStyle(**{**style.__dict__, "stroke_width": 8}), (400, 400))
    px = img.load()
    red, white = [], []
    for y in range(img.height):
        for x in range(img.width):
            r, g, b, a = px[x, y]
            if a == 255 and r > 240 and g < 15 and b < 15:
                red.append((x, y))
            elif a == 255 and min(r, g, b) > 240:
                white.append((x, y))
    assert len(red) > 500 and len(white) > 500
    rx = [p[0] for p in red]
    wx = [p[0] for p in white]
    ry = [p[1] for p in red]
    wy = [p[1] for p in white]
    assert min(rx) < min(wx) and max(rx) > max(wx) and min(ry) < min(wy) and max(ry) > max(wy)
    plain = render_text("あ", style, (400, 400))
    assert img.width >= plain.width + 14 and img.height >= plain.height + 14


def test_edges_have_no_dark_fringe() -> None:
    color = (250, 200, 30, 255)
    img = render_text("あg永", TextStyle(size=60, color=color), (400, 200))
    partial = [p for p in img.getdata() if 0 < p[3] < 255]
    assert len(partial) > 50  # anti-aliased
    assert all(p[:3] == color[:3] for p in partial)


def test_translucent_colour_is_respected() -> None:
    img = render_text("■", TextStyle(size=80, color=(255, 255, 255, 128)), (200, 200))
    assert max(p[3] for p in img.getdata()) <= 128


def test_literal_special_characters_render() -> None:
    text = ": ' \\ % , ; [ ] = \" %{pts} {braces} $1 & <b>"
    img = render_text(text, TextStyle(size=30), (1200, 200))
    assert img.info["lines"] == [text]
    _assert_not_clipped(img)


def test_bold_is_heavier_than_regular() -> None:
    def ink(weight: str) -> int:
        img = render_text("永", TextStyle(size=100, weight=weight), (300, 300))
        return sum(img.getchannel("A").getdata())

    assert ink("bold") > ink("regular") * 1.2


def test_empty_text_gives_transparent_pixel() -> None:
    img = render_text("  \n ", TextStyle(), (100, 100))
    assert img.size == (1, 1) and img.getpixel((0, 0))[3] == 0


def test_style_validation() -> None:
    with pytest.raises(ValueError):
        TextStyle(align="justify")
    with pytest.raises(ValueError):
        TextStyle(weight="black")
    with pytest.raises(ValueError):
        TextStyle(color=(300, 0, 0, 255))
    assert TextStyle(color=(1, 2, 3)).color == (1, 2, 3, 255)
    assert TextStyle(stroke_width=2.26).stroke_px == 2.5


def test_a_second_render_reuses_loaded_fonts_and_measured_glyphs() -> None:
    """What keeps title cards cheap: fonts are opened and glyphs measured once, then reused
    (how fast that is belongs in bench/, not here)."""
    caches = (fallback.load_font, fallback.glyph_metrics, fallback.coverage, fallback.font_chain)
    style = TextStyle(stroke_color=(0, 0, 0, 255), stroke_width=6)
    first = render_text("合格実績 No.1! 🎉", style, (1000, 600))
    misses = [c.cache_info().misses for c in caches]
    hits = [c.cache_info().hits for c in caches]
    again = render_text("合格実績 No.1! 🎉", style, (1000, 600))
    assert [c.cache_info().misses for c in caches] == misses, "nothing loaded or measured again"
    assert all(c.cache_info().hits > h for c, h in zip(caches, hits, strict=True))
    assert again.tobytes() == first.tobytes() and again.info == first.info


def test_katakana_words_are_kept_together_when_possible() -> None:
    lines = layout_lines("先着100名様限定キャンペーン実施中", em, 9)
    assert any("キャンペーン" in line for line in lines), lines
    assert layout_lines("今すぐお申し込みください", em, 9) == ["今すぐ", "お申し込みください"]


def test_left_aligned_lines_share_the_left_edge() -> None:
    img = render_text("あいう\nえおかきく", TextStyle(size=60, align="left"), (600, 300))
    alpha = img.getchannel("A")
    half = img.height // 2
    top = alpha.crop((0, 0, img.width, half)).getbbox()
    bottom = alpha.crop((0, half, img.width, img.height)).getbbox()
    assert top is not None and bottom is not None
    assert abs(top[0] - bottom[0]) <= 6 and bottom[2] > top[2] + 60


def test_system_font_dirs_are_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fontTools.ttLib import TTFont

    from cmforge.text import fonts

    src = resolve_font("Noto Sans Hebrew", "regular")
    font = TTFont(str(src))
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "Cmforge Test Sans"
    (tmp_path / "sub").mkdir()
    font.save(str(tmp_path / "sub" / "TestSans.ttf"))
    monkeypatch.setattr(fonts, "_SYSTEM_DIRS", (str(tmp_path),))
    fonts._system_families.cache_clear()
    try:
        assert "Cmforge Test Sans" in available_families()
        assert resolve_font("cmforge test sans", "bold") == tmp_path / "sub" / "TestSans.ttf"
    finally:
        fonts._system_families.cache_clear()
