"""Tier 1: the layout stage places every text and logo inside the safe zone, keeps captions and
overlays off the end slate and each other, reports what cannot fit by key and line, keeps
pinned boxes (a warning when they collide) and puts a band behind captions on busy pictures."""

from __future__ import annotations

import importlib

import media
import pytest
from PIL import Image
from recipes import entry, load_one, output, scene, title

from cmforge.errors import RecipeError
from cmforge.layout import MIN_TEXT_PX, Box, layout_timeline, safe_area
from cmforge.recipe.model import Style
from cmforge.timeline import resolve_timeline

LONG_TITLE = "新学期スタートダッシュキャンペーン、春期講習の受付を開始しました！"
LONG_CAPTION = "Webフォームから今すぐお申し込みください。定員になり次第締め切ります。"
VERTICAL = ("tiktok", "shorts", "reels", "stories", "line", "x")


def laid_out(project, text: str, **kw):
    tl = resolve_timeline(load_one(project(text)), {})
    return layout_timeline(tl, **kw)


def every_box(lay) -> list[tuple[str, Box]]:
    return [(t.key, t.box) for t in lay.texts] + [(b.key, b.box) for b in lay.logos]


@pytest.mark.parametrize("platform", VERTICAL)
def test_long_japanese_title_and_caption_stay_in_each_vertical_platforms_zone(
    project, platform
) -> None:
    lay = laid_out(
        project,
        output(size=(540, 960), fps=30, platform=platform)
        + title(LONG_TITLE, subtext="春期講習 受付中", duration=2.0)
        + entry("captions", text=LONG_CAPTION, start=0.0, end=2.0)
        + entry("captions", text="今すぐ！", start=0.0, end=2.0, position="top"),
    )
    assert lay.zone == safe_area(platform, 540, 960)
    assert {k for k, _ in every_box(lay)} == {
        "scenes[0].text",
        "scenes[0].subtext",
        "captions[0].text",
        "captions[1].text",
    }
    assert lay.text("captions[1].text").box.y >= lay.zone.box.y  # not under the top bar
    for key, box in every_box(lay):
        assert lay.zone.allows(box), (platform, key, box, lay.zone)
        assert box.x % 2 == 0 and box.y % 2 == 0  # whole, even pixels


def test_tiktok_zone_keeps_text_off_the_buttons_on_the_right() -> None:
    z = safe_area("tiktok", 1080, 1920)
    assert z.box == Box(120, 250, 840, 1010)
    assert any(a.x <= 780 and a.y <= 840 and a.bottom >= 1260 for a in z.avoid)


def test_a_caption_too_long_to_read_is_an_error_naming_its_key_and_line(project) -> None:
    text = "合格への第一歩を、ここから。" * 12
    with pytest.raises(RecipeError) as e:
        laid_out(
            project,
            output(size=(540, 960)) + title("A") + entry("captions", text=text, end=1.0),
        )
    [p] = e.value.problems
    assert p.key == "captions[0].text" and p.line == 10
    assert "readable size" in p.message and f"{MIN_TEXT_PX / 2:g} px" in p.message
    assert p.hint


@pytest.mark.parametrize("size", [(540, 960), (540, 540), (960, 540)])
def test_a_caption_during_the_end_slate_is_moved_off_its_logo_and_text(project, size) -> None:
    media.logo(project.folder / "logo.png", 200)
    lay = laid_out(
        project,
        output(size=size)
        + scene("endslate", logo="logo.png", text="さくら進学塾", subtext="0120-000-000")
        + entry("captions", text="無料体験 受付中", start=0.0, end=3.0),
    )
    cap = lay.text("captions[0].text")
    slate = [b for k, b in every_box(lay) if k.startswith("scenes[0]")]
    assert cap is not None and len(slate) == 3
    assert not any(cap.box.overlaps(b) for b in slate)
    assert lay.zone.allows(cap.box)


def test_a_caption_moves_off_the_logo_overlay_then_errors_when_nowhere_is_free(project) -> None:
    media.logo(project.folder / "logo.png", 100)
    base = output(size=(540, 960)) + title("", duration=3.0)
    lay = laid_out(
        project,
        base
        + entry("overlays", src="logo.png", position="bottom-left", scale=0.3)
        + entry("captions", text="勉強が、楽しくなる。", end=3.0),
    )
    cap, logo = lay.text("captions[0].text"), lay.logo("overlays[0]")
    assert not cap.box.overlaps(logo.box) and lay.zone.allows(logo.box)
    # big captions at once: each finds a free strip until none is left
    many = base + "".join(
        entry("captions", text="一人ひとりに合わせた\n個別指導で\n合格へ", end=3.0)
        for _ in range(6)
    )
    with pytest.raises(RecipeError) as e:
        laid_out(project, many)
    p = e.value.problems[0]
    assert p.key.startswith("captions[") and "bottom → top" in p.message and p.line


def test_pinned_caption_is_kept_and_its_collision_is_a_warning(project) -> None:
    media.logo(project.folder / "logo.png", 100)
    lay = laid_out(
        project,
        output(size=(540, 960))
        + title("", duration=2.0)
        + entry("overlays", src="logo.png", position="top-left", scale=0.3, x=0.1, y=0.1)
        + entry("captions", text="ここに固定", end=2.0, x=0.1, y=0.12),
    )
    cap = lay.text("captions[0].text")
    assert cap.pinned and (cap.box.x, cap.box.y) == (54, 114)
    assert lay.logo("overlays[0]").box.x == 54
    [w] = [w for w in lay.warnings if "overlays[0]" in w.message]
    assert w.key == "captions[0].x" and w.severity == "warning" and w.line
    assert any("outside the safe zone" in w.message for w in lay.warnings)


def test_a_busy_picture_behind_a_caption_gets_a_band_and_a_plain_one_none(project) -> None:
    rng = __import__("numpy").random.default_rng(1)
    busy = Image.fromarray(rng.integers(0, 256, (960, 540, 3), dtype="uint8"))
    plain = Image.new("RGB", (540, 960), (10, 10, 40))
    text = output(size=(540, 960)) + title("") + entry("captions", text="字幕", end=1.0)
    for picture, band in ((busy, "band"), (plain, "")):
        lay = laid_out(project, text, backdrop=lambda a, b, p=picture: [p])
        cap = lay.text("captions[0].text")
        assert cap.backing == band, cap.contrast
    # an outline separates text from any picture: no band needed
    outlined = text + 'stroke = { color = "#000000", width = 8 }\n'
    lay = laid_out(project, outlined, backdrop=lambda a, b: [busy])
    assert lay.text("captions[0].text").backing == ""


def test_measurements_are_kept_so_planning_again_measures_nothing(tmp_path, monkeypatch) -> None:
    m = importlib.import_module("cmforge.layout.measure")  # the module, not the function
    cache = m.MeasureCache(tmp_path)
    style = m.text_style(Style(), 0.5)
    first = cache("勉強が、楽しくなる。", style, (300, 120), None)
    assert len(list(tmp_path.glob("measure-*.json"))) == 1 and first.lines
    monkeypatch.setattr(m, "measure", lambda *a: pytest.fail("measured again"))
    assert cache("勉強が、楽しくなる。", style, (300, 120), None) == first


def test_a_pinned_corner_outside_the_frame_is_refused_by_key_and_line(project) -> None:
    with pytest.raises(RecipeError) as e:
        load_one(project(output() + title("A") + entry("captions", text="字幕", x=1.5, y=0.1)))
    [p] = e.value.problems
    assert p.key == "captions[0].x" and p.line and "0..1" in p.message and p.hint
