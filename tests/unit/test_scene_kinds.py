"""Scene kinds are registered pieces: the registry drives validation, the JSON Schema, building,
the timeline, compile, plan and manifest. A kind defined in one place (here, in the test) and
registered with one line works through all of them."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from kinds import RECIPE, Solid, solid  # noqa: F401  (the fixture)

from cmforge import load_recipe, plan
from cmforge.assets import music
from cmforge.cli.plan_view import plan_json, plan_table
from cmforge.compile.audio import audio_stream
from cmforge.compile.context import Ctx
from cmforge.compile.emit import graph_text
from cmforge.compile.graph import Graph
from cmforge.compile.stills import Stills
from cmforge.errors import Problem, RecipeError
from cmforge.media.probe import MediaInfo
from cmforge.recipe import spec
from cmforge.recipe.build import Builder
from cmforge.recipe.kinds import SCENE_KINDS, register_scene
from cmforge.recipe.model import Scene, SceneTable, Transition
from cmforge.recipe.schema import recipe_schema
from cmforge.scenes import Clip, EndSlate, Image, Title
from cmforge.timeline import resolve_timeline
from cmforge.transitions import Cut


def test_the_built_in_kinds_are_registered() -> None:
    assert {k: SCENE_KINDS[k] for k in ("title", "clip", "image", "endslate")} == {
        "title": Title,
        "clip": Clip,
        "image": Image,
        "endslate": EndSlate,
    }


def test_a_type_name_is_registered_once() -> None:
    """Another kind under a taken name is refused, the first one kept; the same kind again is
    harmless (a module imported twice)."""

    @dataclass(frozen=True)
    class Impostor(Solid):
        type: ClassVar[str] = "title"

    with pytest.raises(ValueError, match="'title' is already registered .*Title"):
        register_scene(Impostor)
    assert SCENE_KINDS["title"] is Title
    assert register_scene(Title) is Title and SCENE_KINDS["title"] is Title


def test_the_keys_a_kind_inherits_by_default_are_read_only() -> None:
    """A kind that gives no keys shares the base's empty ones: no kind can add to them."""
    for base in (Scene, Transition):
        with pytest.raises(TypeError):
            base.fields["color"] = spec.F("color")  # type: ignore[index]
        assert dict(base.fields) == {}


def test_every_kind_is_in_the_schema_with_its_own_keys() -> None:
    kinds = recipe_schema()["properties"]["scenes"]["items"]["oneOf"]
    by_type = {k["properties"]["type"]["const"]: set(k["properties"]) for k in kinds}
    for name, kind in SCENE_KINDS.items():
        assert by_type[name] == set(kind.fields)


def test_a_new_kind_validates_plans_and_describes_itself(solid, project) -> None:  # noqa: F811
    path = project(RECIPE)
    (recipe,) = load_recipe(path)
    assert isinstance(recipe.scenes[1], Solid) and recipe.scenes[1].color == "#ff0000"
    p = plan(recipe)
    assert [s.frames for s in p.timeline.scenes] == [5, 7]
    assert "color=c=#ff0000" in p.shell().replace("\\", "")
    schema = recipe_schema()["properties"]["scenes"]["items"]["oneOf"]
    assert any(k["properties"]["type"] == {"const": "solid"} for k in schema)


def test_a_new_kinds_keys_are_checked_with_line_and_hint(solid, project) -> None:  # noqa: F811
    path = project(RECIPE.replace('color = "#ff0000"', 'colour = "#ff0000"'))
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    (problem,) = err.value.problems
    assert problem.key == "scenes[1].colour" and problem.line == 10
    assert "color" in problem.hint


def test_an_unknown_kind_names_the_registered_ones(project) -> None:
    path = project(RECIPE)
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    (problem,) = err.value.problems
    assert problem.key == "scenes[1].type" and "unknown scene type 'solid'" in problem.message
    assert "title" in problem.hint and "endslate" in problem.hint


def test_a_kinds_length_rule_gives_its_own_key_and_hint(project) -> None:
    """The timeline reports a kind's length problem as the kind words it, located by line."""

    @dataclass(frozen=True)
    class Short(Solid):
        type: ClassVar[str] = "short"

        def timing(self, info: Any, fps: Fraction) -> tuple[int, float, Problem | None]:
            problem = Problem("at most 1 s", key=f"{self.key}.name", hint="split the scene")
            return 10, 10, problem

    register_scene(Short)
    try:
        text = RECIPE.replace('type = "solid"', 'type = "short"')
        (recipe,) = load_recipe(project(text))
        with pytest.raises(RecipeError) as err:
            plan(recipe)
    finally:
        del SCENE_KINDS["short"]
    (problem,) = err.value.problems
    assert (problem.message, problem.key, problem.hint) == (
        "at most 1 s",
        "scenes[1].name",
        "split the scene",
    )
    assert (
        problem.file == recipe.file and problem.line == text.splitlines().index('name = "red"') + 1
    )


def test_a_kind_without_a_length_rule_holds_its_duration_or_its_default() -> None:
    @dataclass(frozen=True)
    class Endless(Solid):
        type: ClassVar[str] = "endless"
        default_duration: ClassVar[float | None] = None

    fps = Fraction(10)
    assert Solid(0, 0.7, Cut(), False).timing(None, fps) == (7, math.inf, None)
    assert Solid(0, None, Cut(), False).timing(None, fps) == (30, math.inf, None)
    assert Endless(0, 0.7, Cut(), False).timing(None, fps) == (7, math.inf, None)
    with pytest.raises(NotImplementedError, match="Endless has no default_duration"):
        Endless(0, None, Cut(), False).timing(None, fps)


@dataclass(frozen=True)
class Hum(Solid):
    """A colour with the sound of a file under it, as long as the file when no duration is
    given: a kind with a source (set in `build`), its own sound and no trim or speed."""

    type: ClassVar[str] = "hum"
    default_duration: ClassVar[float | None] = None
    fields: ClassVar[dict[str, spec.F]] = {**Solid.fields, "src": spec.F("path", "a sound")}

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> Hum:
        return cls(**t.common, color=t.values.get("color", "black"), src=b.path(t.values["src"]))

    def files(self) -> list[tuple[str, Path, str]]:
        return [(f"{self.key}.src", self.src, "audio")] if self.src is not None else []

    def timing(self, info: Any, fps: Fraction) -> tuple[int, float, Problem | None]:
        return int(info.duration * fps), math.inf, None

    def sound_volume(self) -> float:
        return 0.5


@pytest.fixture
def hum():
    register_scene(Hum)
    yield Hum
    del SCENE_KINDS["hum"]


HUM = RECIPE.replace('type = "solid"', 'type = "hum"\nsrc = "hum.wav"').replace(
    "duration = 0.7\n", ""
)


def test_a_new_kinds_own_sound_is_mixed_where_it_plays(hum, project) -> None:  # noqa: F811
    (recipe,) = load_recipe(project(HUM))
    src = recipe.scenes[1].src
    tl = resolve_timeline(recipe, {src: MediaInfo(src, "audio", 0, 0, 0, 2.0, True, 2, 48000)})
    g = Graph(prefix="au")
    audio_stream(g, tl, None)
    [chain] = [c for c in g.chains if c.filters[0].name == "amovie"]
    names = [f.name for f in chain.filters]
    assert "atempo" not in names and ("volume", 0.5) in [
        (f.name, f.positional[0]) for f in chain.filters if f.positional
    ]


def test_a_new_kind_without_duration_lasts_its_source_for_the_mood_pick(
    hum,  # noqa: F811
    project,
    monkeypatch,
) -> None:
    (recipe,) = load_recipe(project(HUM))
    (recipe.folder / "hum.wav").write_bytes(b"x")
    monkeypatch.setattr(music, "probe", lambda path: SimpleNamespace(duration=2.0))
    assert music.ad_seconds(recipe.scenes, None) == 0.5 + 2.0


def test_a_kinds_own_entry_needs_no_source_keys_for_the_plan(project) -> None:
    @dataclass(frozen=True)
    class Swatch(Solid):
        type: ClassVar[str] = "swatch"

        def entry(self, placed: Any) -> dict:
            return {"color": self.color}

    register_scene(Swatch)
    try:
        (recipe,) = load_recipe(project(RECIPE.replace('type = "solid"', 'type = "swatch"')))
        p = plan(recipe)
    finally:
        del SCENE_KINDS["swatch"]
    assert "solid #ff0000" in plan_table(p).splitlines()[3]
    assert plan_json(p)["scenes"][1]["color"] == "#ff0000"


def test_a_clips_compile_step_reads_its_own_record(project) -> None:
    """The compile step is the record's own method: it reads `self`, not the placed scene."""
    path = project(
        '[output]\nsize = [160, 288]\nfps = 10\n[[scenes]]\ntype = "clip"\nsrc = "c.mp4"\n'
    )
    (recipe,) = load_recipe(path)
    src = recipe.scenes[0].src
    tl = resolve_timeline(recipe, {src: MediaInfo(src, "video", 320, 180, 10, 2.0, True, 0, 0)})
    placed = tl.scenes[0]
    assert placed.scene.fit == "cover"
    ctx = Ctx(Graph(), tl, Stills(path.parent / "stills", path.parent), 160, 288, Fraction(10), 1.0)
    replace(placed.scene, fit="contain").stream(ctx, placed, 0, placed.frames)
    assert "pad=160:288" in graph_text(ctx.graph)


def test_the_problems_a_kinds_build_finds_name_the_scenes_key(project) -> None:
    text = """[[scenes]]
type = "title"
background = "nope"
[[scenes]]
type = "clip"
src = "c.mp4"
trim = [3, 1]
[[scenes]]
type = "endslate"
background = ["#fff", "nope"]
[[scenes]]
type = "clip"
"""
    with pytest.raises(RecipeError) as err:
        load_recipe(project(text))
    found = {p.key: p for p in err.value.problems}
    assert list(found) == [
        "scenes[0].background",
        "scenes[1].src",  # not found: said beside the recipe's own problems
        "scenes[1].trim",
        "scenes[2].background",
        "scenes[3].src",
    ]
    assert [p.line for p in found.values()] == [3, 6, 7, 10, 11]


def test_a_title_card_and_an_end_slate_are_named_by_their_text() -> None:
    long = "a headline longer than the plan's column"
    assert Title(0, 1.0, Cut(), False, text=long).label() == long[:24]
    assert EndSlate(0, 1.0, Cut(), False, text="さくら").label() == "さくら"
    assert EndSlate(0, 1.0, Cut(), False).label() == "endslate"
