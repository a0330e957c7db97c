"""A cut: the next scene starts on the frame after the last one; nothing overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from ..compile.graph import Filter
from ..recipe import spec
from ..recipe.model import Transition
from .base import Canvas


@dataclass(frozen=True)
class Cut(Transition):
    type: str = "cut"
    duration: float = 0.0

    names: ClassVar[tuple[str, ...]] = ("cut",)
    fields: ClassVar[dict[str, spec.F]] = {
        "duration": spec.F("number", "ignored: a cut has no overlap", minimum=0)
    }

    @classmethod
    def build(cls, name: str, values: dict[str, Any]) -> Cut:
        return cls(name)  # a duration given to a cut is ignored

    def frames(self, fps: Fraction) -> int:
        return 0

    def video(self, ctx: Canvas, outgoing: str, incoming: str, frames: int) -> str:
        raise ValueError("a cut mixes no frames")

    def sound_in(self, seconds: float) -> list[Filter]:
        return []

    def sound_out(self, end: float, seconds: float) -> list[Filter]:
        return []
