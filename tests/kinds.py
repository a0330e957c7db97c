"""A scene kind defined outside cmforge, for tests that a new kind needs one file and one
registration line: a plain colour, held."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from cmforge.compile.context import Ctx
from cmforge.compile.graph import Filter
from cmforge.recipe import spec
from cmforge.recipe.build import Builder
from cmforge.recipe.kinds import SCENE_KINDS, register_scene
from cmforge.recipe.model import Scene, SceneTable
from cmforge.timeline import Placed

F = Filter.of


@dataclass(frozen=True)
class Solid(Scene):
    """A plain colour, held: the smallest kind there can be."""

    color: str = "black"

    type: ClassVar[str] = "solid"
    fields: ClassVar[dict[str, spec.F]] = {**spec.COMMON, "color": spec.F("color", "the colour")}

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> Solid:
        return cls(**t.common, color=t.values.get("color", "black"))

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        w, h = ctx.size
        return ctx.graph.one(
            [],
            [
                F("color", c=self.color, s=f"{w}x{h}", r=ctx.rate),
                F("format", "yuv420p"),
                *ctx.frames_tail(last - first),
            ],
        )

    def label(self) -> str:
        return f"solid {self.color}"


@pytest.fixture
def solid():
    register_scene(Solid)
    yield Solid
    del SCENE_KINDS["solid"]


RECIPE = """[output]
size = [160, 288]
fps = 10
[[scenes]]
type = "title"
text = "A"
duration = 0.5
[[scenes]]
type = "solid"
color = "#ff0000"
duration = 0.7
name = "red"
"""
