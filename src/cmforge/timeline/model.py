"""Timeline records: whole frames on the output's rational frame rate."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import Problem
from ..media.probe import MediaInfo
from ..recipe.model import Recipe, Scene


@dataclass(frozen=True)
class Placed:
    """A scene placed on the ad's clock."""

    scene: Scene
    start: int  # first frame of the scene on the ad's clock
    frames: int  # frames the scene lasts, transitions included
    transition_frames: int  # overlap with the scene before
    source: MediaInfo | None = None
    src_in: float = 0.0  # clip: seconds of source where it starts
    src_out: float = 0.0  # clip: seconds of source where it ends

    @property
    def end(self) -> int:
        return self.start + self.frames


@dataclass(frozen=True)
class TimedItem:
    """A caption or overlay on the ad's clock, frames [start, end)."""

    item: Any
    start: int
    end: int


@dataclass(frozen=True)
class Timeline:
    recipe: Recipe
    fps: Fraction
    width: int
    height: int
    frames: int
    scenes: tuple[Placed, ...]
    captions: tuple[TimedItem, ...]
    overlays: tuple[TimedItem, ...]
    media: dict  # Path -> MediaInfo
    # timings that render but look wrong (timeline/warnings.py), with file and line
    warnings: tuple[Problem, ...] = ()

    @property
    def duration(self) -> float:
        return float(self.frames / self.fps)

    def seconds(self, frames: int) -> float:
        return float(frames / self.fps)
