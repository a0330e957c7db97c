"""Tier 1: an ad whose scenes make a length a targeted platform refuses (LINE past 120 s,
TikTok under 5 s) is said at plan time as a warning on output.platform, with the platform and
its limit; the figures are the platform table's (pure: a recipe in, the timeline's warnings
out)."""

from __future__ import annotations

from recipes import entry, output, table, title

from cmforge import load_recipe
from cmforge.delivery.platforms import PLATFORMS
from cmforge.timeline import resolve_timeline


def warnings_of(project, text: str) -> list:
    path = project(text)
    out = []
    for recipe in load_recipe(path):
        tl = resolve_timeline(recipe, {})
        assert all(w.severity == "warning" and w.file == path.resolve() for w in tl.warnings)
        out += [w for w in tl.warnings if w.key == "output.platform"]
    return out


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_line_past_its_maximum(project) -> None:
    text = output(fps=30, platform="line") + title("A", 61.0) + title("B", 61.0)
    [w] = warnings_of(project, text)
    assert w.message == (
        "the ad runs 122.00 s, but LINE ads / VOOM (line) takes ads of at most 2 min "
        "(5 s-2 min): it would be refused"
    )
    assert w.line == line_of(text, 'platform = "line"')
    assert "shorten the scenes" in w.hint


def test_tiktok_below_its_minimum_in_a_list_reels_takes_it(project) -> None:
    text = output(fps=30, platform=["reels", "tiktok"]) + title("A", 1.5) + title("B", 1.5)
    [w] = warnings_of(project, text)
    assert "the ad runs 3.00 s, but TikTok In-Feed ad (tiktok) takes ads of at least 5 s" in (
        w.message
    )
    assert "lengthen the scenes" in w.hint and w.line == line_of(text, "platform = ")


def test_at_the_limits_or_without_a_platform_no_warning(project) -> None:
    five = title("A", 2.5) + title("B", 2.5)
    assert warnings_of(project, output(fps=30, platform="tiktok") + five) == []
    sixty = title("A", 30.0) + title("B", 30.0)
    assert warnings_of(project, output(fps=30, platform="tiktok") + sixty) == []
    assert warnings_of(project, output(fps=30) + title("A", 1.0)) == []


def test_each_platform_of_a_matrix_is_held_to_its_own_limits_x_takes_half_a_second(project) -> None:
    text = (
        output(fps=30)
        + table("matrix", platform=["x", "shorts"])
        + title("A", 1.0)
        + entry("captions", text="B", start=0.0)
    )
    [w] = warnings_of(project, text)
    assert "YouTube Shorts ad (shorts) takes ads of at least 5 s" in w.message
    assert w.line == line_of(text, "platform = "), "the line of [matrix] platform"


def test_the_limits_are_the_platform_table(project, monkeypatch) -> None:
    from dataclasses import replace

    monkeypatch.setitem(PLATFORMS, "line", replace(PLATFORMS["line"], max_s=10.0))
    text = output(fps=30, platform="line") + title("A", 6.0) + title("B", 6.0)
    [w] = warnings_of(project, text)
    assert "at most 10 s (5-10 s)" in w.message
