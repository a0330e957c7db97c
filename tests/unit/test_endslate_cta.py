"""Tier 1: the call-to-action end slate: its keys and errors (key and line), the QR code's
quiet zone and whole-pixel modules, its parts laid out for vertical, square and landscape
inside the safe zone without touching, `name = false`, and its least time on screen."""

from __future__ import annotations

import media
import pytest
from recipes import CTA, URL, load_one, output, scene

from cmforge.errors import RecipeError
from cmforge.layout import layout_timeline
from cmforge.recipe.schema import scene_schema
from cmforge.text.qr import QUIET, is_web_url, make_qr, shown_url
from cmforge.timeline import resolve_timeline
from cmforge.timeline.warnings import timing_warnings


def slate(**keys: object) -> str:
    return scene("endslate", **{**CTA, "duration": 3.5, **keys})


def line_of(text: str, key: str) -> int:
    """The line of the recipe text where `key = ...` is written."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key} ="))


def problems(project, text: str) -> list:
    media.logo(project.folder / "logo.png", 200)
    with pytest.raises(RecipeError) as e:
        layout_timeline(resolve_timeline(load_one(project(text)), {}))
    return e.value.problems


def laid_out(project, text: str):
    media.logo(project.folder / "logo.png", 200)
    return layout_timeline(resolve_timeline(load_one(project(text)), {}))


def test_qr_true_without_url_is_an_error_on_its_key_and_line(project) -> None:
    text = output() + slate(url=None)
    [p] = problems(project, text)
    assert p.key == "scenes[0].qr" and p.line == line_of(text, "qr")
    assert "no url" in p.message and p.hint


def test_a_url_that_is_not_http_is_an_error(project) -> None:
    for bad in ("sakura-seminar.example/trial", "ftp://example.com/x", "https://"):
        text = output() + slate(url=bad)
        [p] = problems(project, text)
        assert p.key == "scenes[0].url" and p.line == line_of(text, "url"), bad
        assert "http" in p.message and p.hint
    assert is_web_url(URL) and is_web_url("http://a.jp") and not is_web_url("mailto:x@y.jp")


def test_a_payload_too_long_for_the_size_is_an_error_naming_the_qr_key(project) -> None:
    long = URL + "?utm_source=tiktok&utm_medium=video&utm_campaign=spring&" + "x" * 60
    text = output(size=(540, 960)) + slate(qr=long)
    [p] = problems(project, text)
    assert p.key == "scenes[0].qr" and p.line == line_of(text, "qr")
    assert "too big for its place" in p.message and "6 px a module at 1080" in p.message
    assert "shorter" in p.hint
    [p] = problems(project, output() + slate(qr="あ" * 3000))  # no QR version holds it
    assert p.key == "scenes[0].qr" and "too long for a QR code" in p.message


def test_the_qr_code_has_a_four_module_quiet_zone_and_whole_pixel_modules() -> None:
    code = make_qr(URL)
    n = code.modules
    assert n == 21 + 4 * (code.version - 1) + 2 * QUIET
    edge = [(i, j) for i in range(n) for j in range(n) if min(i, j, n - 1 - i, n - 1 - j) < QUIET]
    assert not any(code.matrix[i][j] for i, j in edge)
    assert code.matrix[QUIET][QUIET]  # the finder pattern starts right inside it
    im = code.image(3)
    assert im.size == (3 * n, 3 * n)
    assert set(im.getdata()) == {(0, 0, 0), (255, 255, 255)}  # no resampled grey


@pytest.mark.parametrize("size", [(540, 960), (540, 540), (960, 540), (180, 320)])
def test_every_part_is_placed_in_the_safe_zone_without_touching(project, size) -> None:
    lay = laid_out(project, output(size=size) + slate())
    boxes = {t.key: t.box for t in lay.texts} | {b.key: b.box for b in lay.logos}
    names = {"logo", "cta", "phone", "url", "line_id", "period", "qr", "qr_caption"}
    assert {k.split(".")[1] for k in boxes} == names
    for key, box in boxes.items():
        assert lay.zone.allows(box), key
        for other, b in boxes.items():
            assert other == key or not box.overlaps(b), (key, other)
    qr = lay.logo("scenes[0].qr")
    assert qr.box.w == qr.box.h == qr.module * make_qr(URL).modules
    assert qr.module >= 6 * min(size) / 1080 - 1e-9  # the rule, at any frame size
    # the hierarchy: the logo on top, then the button, then the phone number
    y = {k.split(".")[1]: b.y for k, b in boxes.items()}
    assert y["logo"] < y["cta"] < y["phone"]
    assert lay.text("scenes[0].phone").font_size > lay.text("scenes[0].url").font_size


def test_name_false_leaves_the_name_to_the_logo(project) -> None:
    lay = laid_out(project, output() + slate(text="さくら進学塾", name=None, qr=None))
    assert lay.text("scenes[0].text").text == "さくら進学塾"
    lay = laid_out(project, output() + slate(text="さくら進学塾", qr=None))
    assert lay.text("scenes[0].text") is None and lay.logo("scenes[0].logo") is not None


def test_the_url_is_shown_without_its_scheme_and_encoded_as_written() -> None:
    assert shown_url(URL) == "sakura-seminar.example/trial"
    assert shown_url("https://example.jp/") == "example.jp"
    assert make_qr(URL).payload == URL


@pytest.mark.parametrize(
    ("keys", "least"),
    [({}, "3 s (a QR code"), ({"qr": None}, "2.5 s (a call to action")],
)
def test_a_short_call_to_action_end_slate_is_a_warning(project, keys, least) -> None:
    media.logo(project.folder / "logo.png", 200)
    text = output() + slate(duration=2.0, **keys)
    found = timing_warnings(resolve_timeline(load_one(project(text)), {}))
    [w] = [w for w in found if w.key == "scenes[0].duration"]
    assert w.key == "scenes[0].duration" and w.severity == "warning"
    assert f"shorter than {least}" in w.message
    long_enough = output() + slate(duration=3.5, **keys)
    found = timing_warnings(resolve_timeline(load_one(project(long_enough)), {}))
    assert [w for w in found if w.key == "scenes[0].duration"] == []


def test_the_schema_takes_name_and_qr_as_a_string_or_a_bool() -> None:
    endslate = next(
        s for s in scene_schema()["items"]["oneOf"]
        if s["properties"]["type"].get("const") == "endslate"
    )  # fmt: skip
    props = endslate["properties"]
    for key in ("name", "qr"):
        assert props[key]["type"] == ["string", "boolean"]
    for key in ("cta", "phone", "url", "line_id", "period", "qr_caption", "accent"):
        assert key in props


@pytest.mark.parametrize("platform", ["tiktok", "shorts", "reels", "stories", "line", "x"])
def test_the_call_to_action_fits_every_vertical_platforms_zone(project, platform) -> None:
    lay = laid_out(project, output(size=(540, 960), fps=30, platform=platform) + slate())
    boxes = [t.box for t in lay.texts] + [b.box for b in lay.logos]
    assert len(boxes) == 8 and all(lay.zone.allows(b) for b in boxes)


@pytest.mark.parametrize("size", [(1080, 1920), (540, 960)])
def test_the_vertical_qr_code_takes_room_and_its_caption_sits_beside_it(project, size) -> None:
    lay = laid_out(project, output(size=size) + slate(qr_caption="QRコードから予約"))
    k = min(size) / 1080
    qr, caption = lay.logo("scenes[0].qr"), lay.text("scenes[0].qr_caption")
    if size == (1080, 1920):  # a zone with room (at 540x960 the campaign dates take it)
        assert qr.module > 6 * k  # more than its least size (6 px a module at 1080)
    assert qr.box.w == qr.module * make_qr(URL).modules
    # right after the code's quiet zone, left aligned, centred on the code's height
    assert 0 <= caption.box.x - qr.box.right <= 16 * k
    mid = caption.box.y + caption.box.h / 2
    assert abs(mid - (qr.box.y + qr.box.h / 2)) <= 2
    assert lay.zone.allows(caption.box) and lay.zone.allows(qr.box)
    assert len(caption.lines) == 1
