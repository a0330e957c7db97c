"""Tier 1: the platforms table, safe areas on whole pixels, and output.platform in recipes."""

from __future__ import annotations

import pytest

from cmforge import RecipeError, load_recipe
from cmforge.delivery import platforms as pf
from cmforge.delivery.platforms import PLATFORMS, Frame, Platform, px, safe_area, safe_zone
from cmforge.recipe.schema import recipe_schema
from cmforge.units import Box

VERTICAL = ("tiktok", "shorts", "reels", "stories", "line", "x")


def test_every_platform_named_in_the_issue_is_one_entry_with_its_sources() -> None:
    assert set(PLATFORMS) == set("tiktok shorts reels stories feed line youtube x".split())
    for p in PLATFORMS.values():
        assert p.frames and p.source and p.max_s > p.min_s >= 0 and p.max_bytes > 0
        assert p.fps[0] < p.fps[1]
        for f in p.frames:
            assert f.source and f.least[0] <= f.size[0]
            assert abs(f.size[0] / f.size[1] - f.ratio) < 0.01


def test_safe_areas_are_the_sourced_insets_in_whole_pixels() -> None:
    assert safe_area("tiktok", 1080, 1920) == Box(120, 250, 840, 1010)
    assert safe_area("shorts", 1080, 1920) == Box(48, 288, 840, 960)
    assert safe_area("reels", 1080, 1920) == Box(80, 285, 880, 963)
    assert safe_area("youtube", 1920, 1080) == Box(38, 38, 1720, 655)
    assert safe_area("feed", 1080, 1080) == Box(64, 135, 952, 810)
    # TikTok's buttons reach into its rectangle: a covered part of the zone
    zone = safe_zone("tiktok", 1080, 1920)
    assert zone.covered == (Box(780, 840, 180, 420),)
    assert not zone.allows(Box(700, 900, 200, 80)) and zone.allows(Box(120, 900, 600, 80))


def test_a_list_of_platforms_is_the_intersection() -> None:
    both = safe_area(["tiktok", "shorts"], 1080, 1920)
    assert both == safe_area("tiktok", 1080, 1920).intersect(safe_area("shorts", 1080, 1920))
    assert both == Box(120, 288, 768, 960)


def test_the_generic_vertical_area_is_every_vertical_platform_at_once() -> None:
    generic = safe_area((), 1080, 1920)
    assert generic == Box(120, 288, 768, 960)  # x 120-888, y 288-1248 (platforms.md)
    for name in VERTICAL:
        assert safe_area(name, 1080, 1920).contains(generic), name
    assert safe_area(list(VERTICAL), 1080, 1920) == generic
    covered = safe_zone((), 1080, 1920).covered
    assert Box(780, 840, 108, 408) in covered  # TikTok's rail, clipped to the area


def test_generic_square_portrait_and_landscape() -> None:
    assert safe_area((), 1080, 1080) == Box(64, 135, 952, 810)
    assert safe_area((), 1080, 1350) == Box(64, 135, 952, 1080)
    assert safe_area((), 1920, 1080) == Box(96, 54, 1728, 972)  # 5 % title safe


@pytest.mark.parametrize("size", [(180, 320), (540, 960), (720, 1280), (181, 321)])
def test_small_frames_scale_and_round_inwards(size) -> None:
    w, h = size
    for name in (*VERTICAL, ()):
        box = safe_area(name, w, h)
        full = safe_area(name, 1080, 1920)
        assert box.x >= full.x * w / 1080 - 1e-6 and box.right <= full.right * w / 1080 + 1e-6
        assert box.y >= full.y * h / 1920 - 1e-6 and box.bottom <= full.bottom * h / 1920 + 1e-6
        assert all(isinstance(v, int) for v in box.as_list())
    assert safe_area("tiktok", 180, 320) == Box(20, 42, 140, 168)


def test_a_platform_without_a_zone_for_the_aspect_uses_the_generic_one() -> None:
    assert safe_area("tiktok", 1080, 1080) == safe_area((), 1080, 1080)


def test_adding_a_platform_is_one_entry(monkeypatch) -> None:
    new = Platform(
        "mini",
        "A new app",
        (Frame("9:16", (1080, 1920), (540, 960), px(300, 700, 100, 100, (1080, 1920)), (), "t"),),
        min_s=1,
        max_s=30,
        max_bytes=10,
        source="a test",
    )
    monkeypatch.setitem(PLATFORMS, "mini", new)
    assert safe_area("mini", 1080, 1920) == Box(100, 300, 880, 920)
    assert safe_area((), 1080, 1920) == Box(120, 300, 768, 920)  # the generic zone follows


# ---- output.platform in recipes ------------------------------------------------------------

BASE = """version = 1
[output]
path = "out/{{{{variant}}}}.mp4"
size = [180, 320]
{output}
[vars]
headline = "Hello"
[[scenes]]
type = "title"
text = "{{{{headline}}}}"
duration = 1.0
{more}
"""


def recipe(project, output: str = "", more: str = ""):
    return project(BASE.format(output=output, more=more))


def test_one_platform_or_a_list(project) -> None:
    (r,) = load_recipe(recipe(project, 'platform = "tiktok"'))
    assert r.output.platforms == ("tiktok",)
    assert r.output.safe_zone().area == safe_area("tiktok", 180, 320)
    (r,) = load_recipe(recipe(project, 'platform = ["tiktok", "reels"]'))
    assert r.output.platforms == ("tiktok", "reels")
    (r,) = load_recipe(recipe(project))
    assert r.output.platforms == () and r.output.safe_zone().area == safe_area((), 180, 320)


def test_platform_in_matrix_and_variants(project) -> None:
    path = recipe(project, more='[matrix]\nplatform = ["tiktok", "shorts"]\n')
    got = {r.label: r.output.platforms for r in load_recipe(path)}
    assert got == {"platform=tiktok": ("tiktok",), "platform=shorts": ("shorts",)}
    path = recipe(
        project,
        more='[[variants]]\nname = "sq"\noutput = { size = [180, 180], platform = "feed" }\n'
        '[[variants]]\nname = "v"\noutput = { platform = ["reels", "stories"] }\n',
    )
    got = {r.variant: (r.output.platforms, r.output.safe_zone().area) for r in load_recipe(path)}
    assert got["sq"] == (("feed",), safe_area("feed", 180, 180))
    assert got["v"][0] == ("reels", "stories")


def test_unknown_platform_names_the_key_and_line(project) -> None:
    with pytest.raises(RecipeError) as e:
        load_recipe(recipe(project, 'platform = ["tiktok", "tiktak"]'))
    (p,) = e.value.problems
    assert p.key == "output.platform" and p.line == 5 and "tiktak" in p.message
    assert "tiktok" in p.hint
    with pytest.raises(RecipeError) as e:
        load_recipe(recipe(project, "platform = 3"))
    assert "platform name" in e.value.problems[0].message
    with pytest.raises(RecipeError) as e:
        load_recipe(recipe(project, more='[matrix]\nplatform = ["reel"]\n'))
    assert e.value.problems[0].key == "matrix.platform"


def test_a_platform_that_does_not_show_the_format_is_an_error(project) -> None:
    with pytest.raises(RecipeError) as e:
        text = BASE.format(output='platform = "reels"', more="")
        load_recipe(project(text.replace("size = [180, 320]", 'format = "square"')))
    (p,) = e.value.problems
    assert p.key == "output.platform" and "9:16" in p.message and "1080x1080" in p.message
    assert "variants" in p.hint


def test_platform_is_in_the_schema() -> None:
    spec = recipe_schema()["properties"]["output"]["properties"]["platform"]
    one, many = spec["anyOf"]
    assert one["enum"] == list(PLATFORMS) and many["items"]["enum"] == list(PLATFORMS)


def test_module_reads_no_other_cmforge_layer() -> None:
    src = open(pf.__file__, encoding="utf-8").read()
    imports = [ln for ln in src.splitlines() if ln.startswith(("from ..", "import cmforge"))]
    assert imports == ["from ..units import Box"]


def test_the_manifest_names_the_platforms_and_the_safe_area(project) -> None:
    from cmforge.render.manifest import build_manifest
    from cmforge.timeline import resolve_timeline

    (r,) = load_recipe(recipe(project, 'platform = ["tiktok", "reels"]'))
    tl = resolve_timeline(r, {})
    m = build_manifest(tl, r.output.path, "7.1", "ffmpeg ...", {}, {}, False, None)
    assert m["output"]["platforms"] == ["tiktok", "reels"]
    assert m["output"]["safe_area"] == safe_area(["tiktok", "reels"], 180, 320).as_list()


def test_frame_rate_and_length_a_platform_refuses_are_errors(project) -> None:
    with pytest.raises(RecipeError) as e:
        load_recipe(recipe(project, 'platform = ["tiktok", "line"]\nfps = 60\nduration = 3'))
    got = {(p.key, p.message) for p in e.value.problems}
    assert got == {
        ("output.fps", "LINE ads / VOOM (line) takes 23.976-30 fps, not 60"),
        ("output.duration", "TikTok In-Feed ad (tiktok) takes 5-60 s, not 3"),
        ("output.duration", "LINE ads / VOOM (line) takes 5-120 s, not 3"),
    }
    assert all(p.line and p.hint for p in e.value.problems)
    (r,) = load_recipe(recipe(project, 'platform = "tiktok"\nfps = 60\nduration = 15'))
    assert r.output.platforms == ("tiktok",)


def test_aspect_problems_alone() -> None:
    assert pf.aspect_problems(["reels", "feed"], 1080, 1080) == [
        "Instagram / Facebook Reels ad (reels) shows 9:16 (1080x1920), not 1080x1080"
    ]
    assert pf.aspect_problems(["tiktok"], 1080, 1080) == []
