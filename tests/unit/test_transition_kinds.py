"""Transitions as objects: each kind's frames, video node and sound fades; the registry that
validation, building, the JSON Schema and compile go through."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import ClassVar

import pytest

from cmforge import load_recipe, plan
from cmforge.cli.plan_view import plan_json, plan_table
from cmforge.compile import Stills, compile_timeline
from cmforge.compile.emit import filter_text, graph_text
from cmforge.compile.graph import Filter, Graph
from cmforge.errors import RecipeError
from cmforge.recipe import spec
from cmforge.recipe.schema import recipe_schema
from cmforge.recipe.transitions import (
    TRANSITION_KINDS,
    register_transition,
    transition_fields,
    transition_names,
)
from cmforge.render.manifest import build_manifest
from cmforge.timeline import resolve_timeline
from cmforge.transitions import Cut, Dip, XFade
from cmforge.transitions.base import Overlap
from cmforge.transitions.xfade import NAMES

F = Filter.of


@dataclass
class Canvas:
    """All a transition's video node may use of compile's context."""

    graph: Graph = field(default_factory=Graph)
    fps: Fraction = Fraction(30)
    width: int = 320
    height: int = 568

    @property
    def rate(self) -> str:
        return f"{self.fps.numerator}/{self.fps.denominator}"

    def to_yuv(self, alpha: bool = False) -> list[Filter]:
        return [F("scale", out_color_matrix="bt709"), F("format", "yuva420p" if alpha else "x")]

    def frames_tail(self, frames: int) -> list[Filter]:
        return [F("trim", end_frame=frames), F("setpts", "N")]


def chains(ctx: Canvas) -> list[str]:
    return graph_text(ctx.graph, pretty=True).split(";\n")


def test_registry_has_cut_dip_and_every_xfade_name() -> None:
    names = transition_names()
    assert names[0] == "cut" and "dip" in names and len(NAMES) == 58
    assert all(TRANSITION_KINDS[n] is XFade for n in NAMES)
    assert TRANSITION_KINDS["cut"] is Cut and TRANSITION_KINDS["dip"] is Dip
    assert list(transition_fields("dip")) == ["type", "color", "duration"]
    assert list(transition_fields("wipeleft")) == ["type", "duration"]


def test_a_kind_needs_a_name() -> None:
    @dataclass(frozen=True)
    class Nameless(Overlap):
        pass

    with pytest.raises(ValueError, match="no type name"):
        register_transition(Nameless)


def test_a_type_name_is_registered_once() -> None:
    """A kind naming a taken name is refused whole (none of its names added, the first kind
    kept); the same kind again is harmless (a module imported twice)."""

    @dataclass(frozen=True)
    class Spin(Overlap):
        names: ClassVar[tuple[str, ...]] = ("spin", "wipeleft")

    with pytest.raises(ValueError, match="'wipeleft' is already registered .*XFade"):
        register_transition(Spin)
    assert TRANSITION_KINDS["wipeleft"] is XFade and "spin" not in TRANSITION_KINDS
    assert register_transition(Dip) is Dip and TRANSITION_KINDS["dip"] is Dip


def test_frames_each_kind_overlaps() -> None:
    assert Cut().frames(Fraction(30)) == 0
    assert Cut.build("cut", {"duration": 1.0}) == Cut("cut", 0.0)
    assert XFade("wipeleft", 0.5).frames(Fraction(30)) == 15
    assert XFade("fade", 0.5).frames(Fraction(30000, 1001)) == 15
    assert Dip(duration=0.6).frames(Fraction(30)) == 18
    assert Dip().frames(Fraction(25)) == 12  # 0.5 s by default, rounded to whole frames


def test_xfade_node_is_the_one_compile_always_wrote() -> None:
    ctx = Canvas()
    out = XFade("dissolve", 0.5).video(ctx, "a", "b", 15)
    assert out == "x1"
    assert chains(ctx) == [
        "[a][b]xfade=transition=dissolve:duration=0.500000:offset=0,format=yuv420p,"
        "trim=end_frame=15,setpts=N[x1]"
    ]


def test_cut_mixes_nothing() -> None:
    with pytest.raises(ValueError):
        Cut().video(Canvas(), "a", "b", 1)
    assert Cut().sound_in(0.5) == [] and Cut().sound_out(2.0, 0.5) == []


@pytest.mark.parametrize("frames", [18, 17])
def test_dip_node_halves_and_colour_layer(frames: int) -> None:
    ctx = Canvas()
    half = frames // 2
    out = Dip(color=(255, 0, 0, 255), duration=0.6).video(ctx, "a", "b", frames)
    text = chains(ctx)
    assert out.startswith("x") and text[-1].endswith(f"[{out}]")
    assert text[0].startswith(f"[a]trim=end_frame={half}[")
    assert text[1].startswith(f"[b]trim=start_frame={half},setpts=PTS-STARTPTS[")
    assert "concat=n=2:v=1:a=0" in text[2]
    layer = next(c for c in text if c.startswith("color="))
    assert layer.startswith("color=c=0xff0000ff:s=320x568:r=30/1,trim=end_frame=1,format=rgba,")
    assert f"loop=loop={frames}:size=1:start=0" in layer
    assert f"fade=t=in:start_frame=0:nb_frames={half + 1}:alpha=1" in layer
    assert f"fade=t=out:start_frame={half + 1}:nb_frames={frames - half}:alpha=1" in layer
    assert "overlay=format=yuv420" in text[-1]
    assert "xfade" not in "".join(text)


def test_dip_of_one_frame_is_the_colour_over_the_incoming_scene() -> None:
    ctx = Canvas()
    Dip().video(ctx, "a", "b", 1)
    text = "".join(chains(ctx))
    assert "[a]" not in text and "concat" not in text and "color=c=0x000000ff" in text


def test_overlaps_crossfade_the_clip_sound() -> None:
    for t in (XFade("fade", 0.4), Dip(duration=0.4)):
        assert [filter_text(f) for f in t.sound_in(0.4)] == ["afade=t=in:d=0.4"]
        assert [filter_text(f) for f in t.sound_out(2.0, 0.4)] == ["afade=t=out:st=1.6:d=0.4"]
        assert t.sound_in(0.0) == [] and t.sound_out(2.0, 0.0) == []


RECIPE = """[output]
size = [64, 112]
fps = 30
[[scenes]]
type = "title"
text = "A"
duration = 1.0
transition = "{first}"
[[scenes]]
type = "title"
text = "B"
duration = 1.0
transition = {second}
"""


def recipe(project, first: str = "fade", second: str = '"fade"'):
    [r] = load_recipe(project(RECIPE.format(first=first, second=second)))
    return r


def test_recipe_builds_transition_objects(project) -> None:
    r = recipe(project, "dissolve", '"wipeleft"')
    assert r.scenes[0].transition == Cut()  # nothing comes before the first scene
    assert r.scenes[1].transition == XFade("wipeleft", 0.5)
    r = recipe(project, second='{ type = "dip" }')
    assert r.scenes[1].transition == Dip("dip", 0.5, (0, 0, 0, 255))
    r = recipe(project, second='{ type = "dip", color = "#ffffff", duration = 0.6 }')
    assert r.scenes[1].transition == Dip("dip", 0.6, (255, 255, 255, 255))
    r = recipe(project, second='{ type = "cut", duration = 0.5 }')
    assert r.scenes[1].transition == Cut()


def problems(project, second: str) -> dict[str, str]:
    with pytest.raises(RecipeError) as e:
        recipe(project, second=second)
    return {p.key: f"{p.message} | {p.hint}" for p in e.value.problems}


def test_transition_keys_are_checked_by_kind(project) -> None:
    found = problems(project, '{ type = "dip", colour = "#fff" }')
    assert "did you mean 'color'" in found["scenes[1].transition.colour"]
    found = problems(project, '{ type = "fade", color = "#fff" }')
    assert "not a key of a fade transition" in found["scenes[1].transition.color"]
    found = problems(project, '{ type = "dip", color = "reddish" }')
    assert "not a colour" in found["scenes[1].transition.color"]
    found = problems(project, '{ type = "dipp", color = "#fff", duration = -1 }')
    assert "did you mean 'dip'" in found["scenes[1].transition.type"]
    assert "must be at least 0" in found["scenes[1].transition.duration"]
    assert "scenes[1].transition.color" not in found  # a key of some transition


def test_schema_lists_each_kind_with_its_keys() -> None:
    schema = recipe_schema()["properties"]["defaults"]["properties"]["transition"]
    tables = {tuple(t["properties"]["type"]["enum"]): t for t in schema["anyOf"][1:]}
    assert tables[("dip",)]["properties"]["color"] == {
        "type": "string",
        "description": "the colour it dips to (default black)",
    }
    assert set(tables[NAMES]["properties"]) == {"type", "duration"}
    assert ("cut",) in tables


def test_dip_compiles_without_xfade_or_rgb(project, tmp_path) -> None:
    r = recipe(project, second='{ type = "dip", color = "#ff0000", duration = 0.6 }')
    tl = resolve_timeline(r, {})
    assert tl.frames == 30 + 30 - 18 and tl.scenes[1].transition_frames == 18
    cmd = compile_timeline(tl, Stills(tmp_path / "stills", tmp_path))
    text = graph_text(cmd.segments[0].graph)
    assert "overlay=format=yuv420" in text and "xfade" not in text
    assert "color=c=0xff0000ff" in text and ":color=" not in text  # fade never given a colour


@dataclass(frozen=True)
class Flash(Overlap):
    """A transition from outside cmforge: the lighter of the two scenes' pixels."""

    type: str = "flash"
    names: ClassVar[tuple[str, ...]] = ("flash",)

    def video(self, ctx, outgoing: str, incoming: str, frames: int) -> str:
        return ctx.graph.one(
            [outgoing, incoming], [F("blend", all_mode="lighten"), *ctx.frames_tail(frames)]
        )


@pytest.fixture
def flash():
    register_transition(Flash)  # the one registration line a new transition needs
    yield Flash
    del TRANSITION_KINDS["flash"]


def test_a_new_transition_is_one_class_and_one_line(project, tmp_path, flash) -> None:
    r = recipe(project, second='{ type = "flash", duration = 0.2 }')
    assert r.scenes[1].transition == Flash("flash", 0.2)
    tl = resolve_timeline(r, {})
    assert tl.frames == 60 - 6
    cmd = compile_timeline(tl, Stills(tmp_path / "stills", tmp_path))
    assert "blend=all_mode=lighten,trim=end_frame=6" in graph_text(cmd.segments[0].graph)
    schema = recipe_schema()["properties"]["defaults"]["properties"]["transition"]
    assert any(t["properties"]["type"]["enum"] == ["flash"] for t in schema["anyOf"][1:])


def test_each_transition_describes_its_parameters() -> None:
    assert Cut().entry() == {} and XFade("wipeleft", 0.5).entry() == {}
    assert Dip(color=(255, 0, 0, 255)).entry() == {"color": "#ff0000"}
    assert Dip(color=(0, 16, 255, 128)).entry() == {"color": "#0010ff80"}


def described(r, tmp_path: Path) -> tuple[str, dict, dict]:
    """The transition into the second scene as the plan's table row, the plan's JSON and the
    manifest show it."""
    p = plan(r)
    row = plan_table(p).splitlines()[3]
    m = build_manifest(p.timeline, tmp_path / "ad.mp4", "7", "ffmpeg", {}, {}, False)
    return row, plan_json(p)["scenes"][1]["transition"], m["scenes"][1]["transition"]


def test_plan_and_manifest_show_a_transitions_parameters(project, tmp_path) -> None:
    r = recipe(project, second='{ type = "dip", color = "#ff0000", duration = 0.6 }')
    row, planned, kept = described(r, tmp_path)
    assert "  dip 0.60s color=#ff0000" in row  # the warnings column follows
    assert planned == {"type": "dip", "frames": 18, "color": "#ff0000"}
    assert kept == {"type": "dip", "duration": 0.6, "color": "#ff0000"}
    row, planned, kept = described(recipe(project, second='"wipeleft"'), tmp_path)
    assert "  wipeleft 0.50s" in row
    assert planned == {"type": "wipeleft", "frames": 15}
    assert kept == {"type": "wipeleft", "duration": 0.5}


@dataclass(frozen=True)
class Glow(Flash):
    """A transition from outside cmforge with a parameter of its own."""

    type: str = "glow"
    strength: float = 1.0

    names: ClassVar[tuple[str, ...]] = ("glow",)
    fields: ClassVar[dict[str, spec.F]] = {
        **Overlap.fields,
        "strength": spec.F("number", "how bright", minimum=0),
    }


def test_a_new_transitions_parameters_appear_in_plan_and_manifest(project, tmp_path) -> None:
    register_transition(Glow)
    try:
        r = recipe(project, second='{ type = "glow", strength = 0.25, duration = 0.2 }')
        row, planned, kept = described(r, tmp_path)
    finally:
        del TRANSITION_KINDS["glow"]
    assert "  glow 0.20s strength=0.25" in row
    assert planned == {"type": "glow", "frames": 6, "strength": 0.25}
    assert kept == {"type": "glow", "duration": 0.2, "strength": 0.25}
