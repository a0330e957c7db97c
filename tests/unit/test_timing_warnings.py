"""Tier 1: timings that render but look wrong are said as warnings, each with key and line
(pure: a recipe and media facts in, the resolved timeline's warnings out)."""

from __future__ import annotations

from pathlib import Path

from recipes import entry, school_ad, table

from cmforge import load_recipe
from cmforge.media.probe import MediaInfo
from cmforge.recipe.model import Reading
from cmforge.recipe.schema import recipe_schema
from cmforge.timeline import resolve_timeline
from cmforge.timeline.warnings import reading_seconds


def media(folder: Path) -> dict:
    def info(name: str, kind: str, duration: float = 0.0) -> tuple[Path, MediaInfo]:
        path = (folder / name).resolve()
        return path, MediaInfo(path, kind, 180, 320, 30.0, duration, kind == "video")

    return dict(
        [
            info("gen.mp4", "video", 5.0),
            info("hallway.mp4", "video", 3.0),
            info("room.png", "image"),
            info("logo.png", "image"),
            info("narration.wav", "audio", 5.0),
        ]
    )


def warnings_of(project, text: str, sets: list[str] | None = None) -> dict:
    path = project(text)
    [recipe] = load_recipe(path, sets=sets or [])
    tl = resolve_timeline(recipe, media(path.parent))
    assert all(w.severity == "warning" and w.file == path.resolve() for w in tl.warnings)
    return {w.key: w for w in tl.warnings}


def line_of(text: str, needle: str, after: str = "") -> int:
    """The line (from 1) of the first line holding `needle` after the one holding `after`."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i, ln in enumerate(lines) if i >= start and needle in ln) + 1


def test_as_written_the_ad_has_no_warnings(project) -> None:
    assert warnings_of(project, school_ad(15)) == {}


def test_ninety_seconds_stretch_the_still_and_the_end_slate(project) -> None:
    text = school_ad(90)
    w = warnings_of(project, text)
    assert set(w) == {"scenes[3].duration", "scenes[4].duration"}
    still, slate = w["scenes[3].duration"], w["scenes[4].duration"]
    assert "from 3.20 s to 41.93 s" in still.message and "beyond 8 s" in still.message
    assert "from 3.00 s to 39.27 s" in slate.message and "2×" in slate.message
    assert still.line == line_of(text, "duration = 3.2")
    assert slate.line == line_of(text, "duration = 3.0", after='"endslate"')


def test_six_seconds_short_end_slate_short_clip_narration_left_out(project) -> None:
    text = school_ad(6)
    w = warnings_of(project, text)
    slate = w["scenes[4].duration"]
    assert "0.50 s" in slate.message and "0.40 s of it in a transition" in slate.message
    assert "shorter than 1.5 s (an end slate needs time to be read)" in slate.message
    assert slate.message.endswith("and mostly fade")
    assert "plays 0.80 s, under 1 s" in w["scenes[1].duration"].message
    narration = w["audio[0].start"]
    assert "starts at 7.6 s, after the ad ends (6.00 s): not heard" in narration.message
    assert narration.line == line_of(text, "start = 7.6")
    assert w["scenes[1].duration"].line == line_of(text, "duration = 5.0")
    assert set(w) == {"scenes[1].duration", "scenes[4].duration", "audio[0].start"}


def test_caption_cut_by_the_end_of_a_fifteen_second_ad(project) -> None:
    text = school_ad(15) + entry("captions", text="Call today", start=18.0, end=21.4)
    text = text.replace("start = 2.6\nend = 4.8", "start = 12.0\nend = 21.4")
    w = warnings_of(project, text)
    assert set(w) == {"captions[0].end", "captions[1].start"}
    assert w["captions[0].end"].message == (
        "ends at 21.4 s, after the ad ends (15.00 s): cut at 15.00 s"
    )
    assert w["captions[0].end"].line == line_of(text, "end = 21.4")
    assert "left out" in w["captions[1].start"].message


def test_caption_after_the_end_is_left_out_not_an_error(project) -> None:
    path = project(school_ad(15) + entry("captions", text="Late", start=16.0))
    [recipe] = load_recipe(path)
    tl = resolve_timeline(recipe, media(path.parent))
    assert [c.item.text for c in tl.captions] == ["Study is fun"]


def test_overlay_and_narration_cut_by_the_end(project) -> None:
    text = school_ad(15, narration=12.0).replace("start = 2.4\nend = 5.8", "start = 2.4\nend = 16")
    w = warnings_of(project, text)
    assert set(w) == {"overlays[0].end", "audio[0].start"}
    assert "plays until 17.00 s, after the ad ends (15.00 s): cut at 15.00 s" in (
        w["audio[0].start"].message
    )


def test_narration_ending_on_the_last_frame_is_not_cut(project) -> None:
    assert warnings_of(project, school_ad(15, narration=10.0)) == {}


def test_text_shown_shorter_than_it_takes_to_read(project) -> None:
    text = school_ad(15) + entry("captions", text="勉強が、楽しくなる。", start=5.0, end=7.0)
    w = warnings_of(project, text)
    assert set(w) == {"captions[1].text"}
    assert "on screen 2.00 s, but takes 2.50 s to read" in w["captions[1].text"].message
    assert w["captions[1].text"].line == line_of(text, "勉強が")


def test_reading_speed_is_the_recipes_own(project) -> None:
    text = school_ad(15) + entry("captions", text="勉強が、楽しくなる。", start=5.0, end=7.0)
    assert warnings_of(project, text + table("style", reading={"ja": 6})) == {}
    assert warnings_of(project, text, sets=["style.reading.ja=5"]) == {}


def test_a_title_needs_a_second_and_a_half(project) -> None:
    text = school_ad(15).replace("duration = 2.5", "duration = 1.2", 1)
    w = warnings_of(project, text)
    assert set(w) == {"scenes[0].duration"}
    assert "under the 1.5 s a title needs" in w["scenes[0].duration"].message
    slow = text + table("style", reading={"title": 1.0})
    assert warnings_of(project, slow) == {}


def test_a_long_written_still_is_not_warned_about(project) -> None:
    text = school_ad(20).replace("duration = 3.2", "duration = 8.2")
    assert warnings_of(project, text) == {}


def test_reading_seconds_counts_wide_and_latin_characters() -> None:
    r = Reading()
    assert reading_seconds("勉強が、楽しくなる。", r) == 10 / 4
    assert reading_seconds("Call now", r) == 7 / 17
    assert reading_seconds("合格 No.1", r) == 2 / 4 + 4 / 17
    assert reading_seconds("", r) == 0
    assert Reading.of({"ja": 5}) == Reading(ja=5.0)


def test_reading_is_in_the_schema() -> None:
    style = recipe_schema()["properties"]["style"]["properties"]
    assert set(style["reading"]["properties"]) == {"ja", "latin", "title"}
