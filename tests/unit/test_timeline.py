"""Tier 1: timeline resolution (pure)."""

from __future__ import annotations

import pytest
from recipes import title

from cmforge import RecipeError, load_recipe
from cmforge.media.probe import MediaInfo
from cmforge.timeline import resolve_timeline

HEAD = '[output]\nformat = "square"\nfps = 30\n{extra}\n'


def scenes(*durs: float, trans: float = 0.0, flex: tuple[int, ...] = ()) -> str:
    fade = {"type": "fade", "duration": trans} if trans else None
    return "\n".join(
        title(str(i), duration=d, flex=(i in flex) or None, transition=fade)
        for i, d in enumerate(durs)
    )


def timeline(project, text: str):
    [r] = load_recipe(project(text))
    return resolve_timeline(r, {})


def test_transitions_overlap(project) -> None:
    tl = timeline(project, HEAD.format(extra="") + scenes(2, 2, 2, trans=0.5))
    assert tl.frames == 6 * 30 - 2 * 15
    assert [p.start for p in tl.scenes] == [0, 45, 90]


def test_flex_meets_duration_exactly(project) -> None:
    tl = timeline(project, HEAD.format(extra="duration = 7.0") + scenes(2, 3, 1.5, flex=(1,)))
    assert tl.frames == 210
    assert tl.scenes[1].frames == 210 - 60 - 45


def test_flex_spread_over_several(project) -> None:
    tl = timeline(
        project, HEAD.format(extra="duration = 4.0") + scenes(2, 2, 2, trans=0.4, flex=(0, 2))
    )
    assert tl.frames == 120


def test_unmeetable_duration_says_by_how_much(project) -> None:
    with pytest.raises(RecipeError) as e:
        timeline(project, HEAD.format(extra="duration = 5.0") + scenes(2, 2))
    [p] = e.value.problems
    assert p.key == "output.duration" and "1.00 s shorter" in p.message


def test_clip_grows_only_as_far_as_source(project) -> None:
    text = (
        HEAD.format(extra="duration = 10.0")
        + scenes(2)
        + ('\n[[scenes]]\ntype = "clip"\nsrc = "c.mp4"\nduration = 2\nflex = true\n')
    )
    [r] = load_recipe(project(text))
    info = MediaInfo(r.scenes[1].src, "video", 100, 100, 30.0, 4.0)
    with pytest.raises(RecipeError) as e:
        resolve_timeline(r, {r.scenes[1].src: info})
    [p] = e.value.problems
    assert p.key == "output.duration" and "the scenes make 6.00 s, 4.00 s shorter" in p.message
    assert "the flex scenes cannot stretch" in p.message


def test_a_clip_longer_than_its_source_names_the_key_line_and_what_to_do(project) -> None:
    text = HEAD.format(extra="") + scenes(2) + '\n[[scenes]]\ntype = "clip"\nsrc = "c.mp4"\n'
    text += "duration = 3\nspeed = 2.0\n"
    [r] = load_recipe(project(text))
    info = MediaInfo(r.scenes[1].src, "video", 100, 100, 30.0, 4.0)
    with pytest.raises(RecipeError) as e:
        resolve_timeline(r, {r.scenes[1].src: info})
    [p] = e.value.problems
    assert p.key == "scenes[1].duration" and p.line == text.splitlines().index("duration = 3") + 1
    assert p.message == "the clip has 2.00 s after trim/speed but the scene asks for 3.00 s"
    assert p.hint == "shorten the scene, lower speed or widen trim"
