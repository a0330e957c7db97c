"""A plan: everything one render will do, made before anything is rendered (pipeline.plan
makes it; the render stage carries it out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..assets import Assets
from ..compile import RenderCommand, Sound
from ..media.ffmpeg import check_ffmpeg
from ..recipe.model import Recipe
from ..timeline import Timeline
from . import cache

Events = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class Plan:
    """One variant as it will be rendered: its recipe (the draft's for a preview), timeline,
    FFmpeg commands, assets, the clips still to generate and the sound as far as measured."""

    recipe: Recipe
    timeline: Timeline
    command: RenderCommand
    assets: Assets
    generation: list[dict] = field(default_factory=list)  # what will be generated, by whom
    preview: bool = False
    # ducking, repeated music and loudness as far as measured (a render measures what is
    # pending); None while clips are still to generate
    sound: Sound | None = None
    guides: bool = False  # safe zone and boxes over a preview's picture and the storyboard

    def shell(self, output: Path | None = None) -> str:
        """The exact ffmpeg command line(s) a render runs, as one shell line (with a segment
        already in the cache, its command is skipped). The sound's files (ducking curve,
        repeated music) are named where the render makes them; its loudness correction is in
        only once measured (sound.pending)."""
        info = check_ffmpeg()
        root = cache.cache_root()
        folder = cache.segment_folder(root) if root else Path("<temporary folder>")
        return self.command.shell(info.binary, info.version, output or self.output, folder)

    def layout_report(self) -> dict | None:
        """Where every text block and logo goes (lines as drawn, font size, pixel box, visible
        frames) and the safe zone they were placed in, with the platforms it satisfies: what
        `plan --json` shows and the manifest keeps under `layout` (one shape, `Layout.as_dict`)."""
        lay = self.command.layout
        return lay.as_dict(self.timeline.seconds) if lay is not None else None

    @property
    def output(self) -> Path:
        out = self.recipe.output.path
        return out.with_name(out.stem + ".preview" + out.suffix) if self.preview else out
