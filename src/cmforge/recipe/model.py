"""The validated recipe of one variant, as frozen records. Paths are absolute."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import Problem

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Stroke:
    color: RGBA = (0, 0, 0, 255)
    width: float = 0.0


@dataclass(frozen=True)
class Style:
    font: str | None = None
    weight: str = "bold"
    color: RGBA = (255, 255, 255, 255)
    size: float | None = None
    stroke: Stroke = Stroke()
    shadow: bool = False


@dataclass(frozen=True)
class Transition:
    type: str = "cut"
    duration: float = 0.0


@dataclass(frozen=True)
class Background:
    colors: tuple[RGBA, ...] = ((0, 0, 0, 255),)  # one colour, or a vertical gradient
    image: Path | None = None


@dataclass(frozen=True)
class Generate:
    """A scene's [generate] table: what every provider understands, and the keys that belong
    to one provider (`options`, as written; each provider applies its own defaults)."""

    provider: str | None  # the provider the recipe names; None: the contract chooses
    image: Path | None
    image_tail: Path | None
    prompt: str
    negative_prompt: str
    length: int
    aspect_ratio: str | None
    takes: int = 1
    pick: int = 1
    options: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Scene:
    index: int
    type: str
    duration: float | None
    transition: Transition
    flex: bool
    name: str = ""
    # title / endslate
    text: str = ""
    subtext: str = ""
    background: Background | None = None
    style: Style = Style()
    align: str = "center"
    logo: Path | None = None
    # clip / image
    src: Path | None = None
    trim: tuple[float, float] | None = None
    fit: str = "cover"
    volume: float = 1.0
    speed: float = 1.0
    motion: str = "none"
    generate: Generate | None = None

    @property
    def key(self) -> str:
        return f"scenes[{self.index}]"


@dataclass(frozen=True)
class Caption:
    index: int
    text: str
    start: float
    end: float | None
    position: str
    style: Style


@dataclass(frozen=True)
class Overlay:
    index: int
    src: Path
    position: str
    scale: float
    opacity: float
    start: float
    end: float | None


@dataclass(frozen=True)
class Duck:
    """Side-chain ducking: the music goes depth dB down while narration or clip sound plays."""

    depth: float  # dB, negative
    attack: float = 0.05  # seconds to go down
    release: float = 0.4  # seconds to come back


@dataclass(frozen=True)
class Music:
    track: str
    path: Path
    start: float
    volume_db: float
    fade_in: float
    fade_out: float
    info: dict = field(default_factory=dict)  # title, artist, license, attribution, library
    duck: Duck | None = None
    why: str = ""  # which track was used and why (the mood pick, the library, the licence)


@dataclass(frozen=True)
class AudioTrack:
    index: int
    src: Path
    start: float
    volume_db: float


@dataclass(frozen=True)
class Output:
    path: Path
    width: int
    height: int
    fps: Fraction
    duration: float | None
    crf: int = 20
    preset: str = "medium"
    loudness: float | None = None  # integrated LUFS target; None = the mix as it is
    standard: str = ""  # the loudness preset's name: web | ebu | jp-tv


@dataclass(frozen=True)
class Recipe:
    """One variant of a recipe, fully resolved and checked."""

    file: Path
    variant: str
    output: Output
    scenes: tuple[Scene, ...]
    captions: tuple[Caption, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    music: Music | None = None
    audio: tuple[AudioTrack, ...] = ()
    vars: dict = field(default_factory=dict)
    lines: Any = field(default=None, compare=False, repr=False)  # key path -> line (LineMap)
    max_credits: float | None = None  # [generate] max_credits: the credit budget
    label: str = ""  # the variant's human name (variant is its file-safe name)
    differs: dict = field(default_factory=dict)  # dotted key -> value changed from the base

    @property
    def display_name(self) -> str:
        """The variant's name for people: its human name (Japanese kept)."""
        return self.label or self.variant

    @property
    def folder(self) -> Path:
        return self.file.parent

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Fill in the line of each problem from its key path."""
        from dataclasses import replace

        return [
            replace(p, line=self.lines.line_of(p.key))
            if p.line is None and p.key and self.lines is not None
            else p
            for p in problems
        ]

    def problem(self, key: str, message: str, hint: str = "") -> Problem:
        """A problem located in the recipe file: key path and line."""
        line = self.lines.line_of(key) if self.lines is not None else None
        return Problem(message, self.file, key, line, None, hint)
