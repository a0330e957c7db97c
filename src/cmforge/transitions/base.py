"""What every transition kind builds on: what its video node is given, and the shared rules of
transitions whose two scenes overlap (the overlap's length in whole frames, the crossfade of
clip sound across it). The interface itself is recipe/model.py's `Transition`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar, Protocol

from ..compile.graph import Filter, Graph
from ..recipe import spec
from ..recipe.model import Transition
from ..units import to_frames

F = Filter.of
DEFAULT_DURATION = 0.5
DURATION = spec.F(
    "number",
    f"overlap with the scene before, seconds (default {DEFAULT_DURATION:g})",
    minimum=0,
)


class Canvas(Protocol):
    """What a transition's video node works with: compile's context for one segment."""

    graph: Graph
    fps: Fraction
    width: int
    height: int

    @property
    def rate(self) -> str: ...

    def to_yuv(self, alpha: bool = False) -> list[Filter]: ...

    def frames_tail(self, frames: int) -> list[Filter]: ...


@dataclass(frozen=True)
class Overlap(Transition):
    """A transition over `duration` seconds in which both scenes play. The incoming clip's own
    sound fades in over the overlap while the outgoing clip's fades out (a crossfade)."""

    duration: float = DEFAULT_DURATION

    fields: ClassVar[dict[str, spec.F]] = {"duration": DURATION}

    def frames(self, fps: Fraction) -> int:
        return to_frames(self.duration, fps)

    def video(self, ctx: Canvas, outgoing: str, incoming: str, frames: int) -> str:
        raise NotImplementedError

    def sound_in(self, seconds: float) -> list[Filter]:
        return [F("afade", t="in", d=seconds)] if seconds else []

    def sound_out(self, end: float, seconds: float) -> list[Filter]:
        if not seconds:
            return []
        return [F("afade", t="out", st=max(0.0, end - seconds), d=seconds)]
