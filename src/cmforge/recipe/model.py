"""The validated recipe of one variant, as frozen records. Paths are absolute."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

from ..delivery.platforms import SafeZone, safe_zone
from ..errors import Problem
from ..units import format_color, to_frames
from .spec import F

RGBA = tuple[int, int, int, int]
NO_KEYS: Mapping[str, F] = MappingProxyType({})  # a kind's recipe keys until it gives its own


@dataclass(frozen=True)
class Stroke:
    color: RGBA = (0, 0, 0, 255)
    width: float = 0.0


@dataclass(frozen=True)
class Look:
    """How a caption stands off the picture: outline (the text's stroke), band (a strip the
    width of the frame behind it), box (a rounded box around it) or shadow (a soft shadow, no
    outline). None: the look's own default (docs/recipe.md, Caption styles)."""

    look: str = "outline"
    color: RGBA | None = None
    opacity: float | None = None
    radius: float | None = None
    padding: float | None = None


@dataclass(frozen=True)
class Animate:
    """How a text comes in and goes out (compile/animate.py). duration None: the kind's own."""

    enter: str = "none"  # none | fade | pop | slide-up | typewriter | words
    leave: str = "none"  # none | fade | pop | slide-up
    duration: float | None = None
    easing: str = "ease-out"  # linear | ease-in | ease-out | ease-in-out


@dataclass(frozen=True)
class Style:
    font: str | None = None
    weight: str = "bold"
    color: RGBA = (255, 255, 255, 255)
    size: float | None = None
    stroke: Stroke = Stroke()
    shadow: bool = False
    highlight: RGBA | None = None  # colour of **marked** words
    highlight_scale: float = 1.0  # their font size relative to the text around them
    caption: Look = Look()


@dataclass(frozen=True)
class Transition:
    """How a scene comes in over the scene before it. Each kind (a module of
    cmforge/transitions/) subclasses it with its own keys and behaviour and registers itself
    (recipe/transitions.py); the stages after the recipe call these methods and never ask the
    type name. Compile's context, graph and filters are passed in: the recipe knows no FFmpeg."""

    type: str = "cut"  # the recipe's `type = "..."`
    duration: float = 0.0  # seconds the two scenes overlap

    names: ClassVar[tuple[str, ...]] = ()  # the type names this kind answers to
    fields: ClassVar[Mapping[str, F]] = NO_KEYS  # its recipe keys besides `type`

    @classmethod
    def build(cls, name: str, values: dict[str, Any]) -> Transition:
        """The frozen record from the checked table's values (typed; `type` left out). Keys
        the table leaves out keep the record's defaults."""
        return cls(name, **values)

    def frames(self, fps: Fraction) -> int:
        """How many frames of the two scenes overlap (0: none, nothing is mixed)."""
        raise NotImplementedError

    def video(self, ctx: Any, outgoing: str, incoming: str, frames: int) -> str:
        """The node mixing the overlapping frames: `outgoing` and `incoming` are the labels of
        the two scenes' `frames` overlapping frames in ctx.graph; returns the label of exactly
        `frames` frames, yuv420p, pts = frame index."""
        raise NotImplementedError

    def sound_in(self, seconds: float) -> list:
        """Filters bringing a clip's own sound in over the first `seconds` it plays."""
        raise NotImplementedError

    def sound_out(self, end: float, seconds: float) -> list:
        """Filters taking a clip's own sound out over the `seconds` before `end`."""
        raise NotImplementedError

    def entry(self) -> dict[str, Any]:
        """Its parameters for the plan (table and --json) and the manifest, which show its type
        and overlap themselves: each recipe key of its kind but duration, as the record holds
        it (a colour as "#rrggbb"). A kind whose record holds them otherwise overrides this."""
        out = {}
        for name, spec in self.fields.items():
            if name != "duration":
                value = getattr(self, name)
                out[name] = format_color(value) if spec.kind == "color" else value
        return out


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
    # keep_stand_in: an offline stand-in made earlier is kept even when a paying provider can
    # run (not part of the request: never in a fingerprint)
    keep_stand_in: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Still:
    """A still made from a prompt when its file is missing, then an ordinary file: a
    [[stills]] entry, or an image scene's [scenes.generate] (made at the scene's src). Its
    request is a `Generate` with no image and no length; `aspect_ratio` is the still's
    `aspect` (None: the output format's)."""

    key: str  # its key path: stills[1], or scenes[2].generate
    path: Path  # where it is kept (inside the recipe's folder)
    generate: Generate


def given_by(key: str, options: Mapping[str, str]) -> str | None:
    """The --set option that gave `key` (or a table above it), if one did."""
    for k, option in options.items():
        if "." in k and (key == k or key.startswith((f"{k}.", f"{k}["))):
            return option
    return None


def scene_key(index: int) -> str:
    """The key path of the scene at `index` in the recipe, as problems name it: scenes[2]."""
    return f"scenes[{index}]"


@dataclass(frozen=True)
class Scene:
    """What every scene has. Each kind (a module of cmforge/scenes/) subclasses it with its own
    keys and behaviour and registers itself (recipe/kinds.py); the stages after the recipe ask
    the record, never its type name. A kind has three sorts of member, each with a default
    here that fits a scene holding a picture:

    - class variables (ClassVar) say what the kind is: `type`, `fields`, `default_duration`,
      `decodes_video`;
    - fields hold one scene's values: those below, which every scene has, and the kind's own.
      The stages after the recipe read `src`, `generate` and `speed` from any scene (the assets
      stage finds or generates `src`, the timeline probes it, the mix plays its sound at
      `speed`): a kind that reads a file sets them in `build` rather than declaring its own;
    - methods are its behaviour: `build`, `files`, `timing`, `seconds_from_source`,
      `source_range`, `stream`, `sound_volume`, `label`, `entry`."""

    index: int
    duration: float | None
    transition: Transition
    flex: bool
    name: str = ""
    src: Path | None = None  # the media file whose facts the timeline needs
    generate: Generate | None = None  # a [generate] request for src
    speed: float = 1.0  # seconds of src played per second on screen

    type: ClassVar[str] = ""  # the recipe's `type = "..."`
    fields: ClassVar[Mapping[str, F]] = NO_KEYS  # its recipe keys, `type` included
    default_duration: ClassVar[float | None] = 3.0  # seconds when the recipe gives none
    decodes_video: ClassVar[bool] = False  # reads a video file while it plays
    # which timing warnings hold it (timeline/warnings.py): title | clip | still | endslate
    timing_role: ClassVar[str] = ""

    @property
    def key(self) -> str:
        return scene_key(self.index)

    @classmethod
    def build(cls, b: Any, t: SceneTable) -> Scene:
        """The frozen record from the scene's checked table (b: the recipe Builder, which
        reads paths, backgrounds and [generate] tables and collects problems)."""
        raise NotImplementedError

    def files(self) -> list[tuple[str, Path, str]]:
        """(key, path, expected media kind) of every file the scene reads."""
        return []

    def stills(self) -> tuple[Still, ...]:
        """The stills the scene asks to be made (an image scene's [scenes.generate])."""
        return ()

    def timing(self, info: Any, fps: Fraction) -> tuple[int, float, Problem | None]:
        """The length rule: (frames wanted, most frames possible, a problem or None). The
        problem names its key (e.g. scenes[2].duration) and what to do; the timeline adds the
        file and line. This default holds the scene for its duration (the kind's
        default_duration when the recipe gives none); a kind without one overrides it."""
        seconds = self.duration if self.duration is not None else self.default_duration
        if seconds is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no default_duration and no length rule (timing)"
            )
        return to_frames(seconds, fps), math.inf, None

    def seconds_from_source(self, length: float) -> float:
        """Seconds on screen a source `length` seconds long gives the scene when the recipe
        sets no duration (the ad's length for the music's mood pick, before any timeline)."""
        return length

    def source_range(self, info: Any, fps: Fraction, frames: int) -> tuple[float, float] | None:
        """Seconds of its source the scene plays, (in, out); None for a made picture."""
        return None

    def stream(self, ctx: Any, placed: Any, first: int, last: int) -> str:
        """The compile step: frames [first, last) of the placed scene as a graph label."""
        raise NotImplementedError

    def sound_volume(self) -> float:
        """Linear gain of the scene's own sound in the mix (0: it brings none)."""
        return 0.0

    def label(self) -> str:
        """What the plan shows in its source column."""
        return self.type

    def shown_text(self) -> str:
        """The text the scene puts on screen to be read (checked against reading speed)."""
        return ""

    def layout_parts(
        self, scale: float, size: tuple[int, int] | None = None, zone: Any = None
    ) -> list:
        """The pieces of its picture that carry text or a logo (`layout.Part`: the band of the
        safe zone each goes in), at `scale` (text sizes are given at 1080 on the short side),
        on a frame of `size` (width, height) whose safe zone is `zone` (a `layout.Box`): a
        kind may lay out by the frame's shape and the zone's height.
        The layout stage places them inside the safe zone; `stream` draws them where
        `ctx.layout` says. A scene with no text or logo has none."""
        return []

    def least_seconds(self) -> tuple[float, str] | None:
        """The least time on screen this scene needs and why, when its kind's rule asks for
        more than the default (timeline/warnings.py: an end slate with a QR code)."""
        return None

    def entry(self, placed: Any) -> dict:
        """The scene's own part of its plan (--json) and manifest entry; the plan's table shows
        `in` and `out` (seconds of its source) when it gives them."""
        return {"source": str(self.src) if self.src else None, "in": None, "out": None}


@dataclass(frozen=True)
class SceneTable:
    """One scene's checked recipe table, as its kind's `build` is given it."""

    key: str  # its key path (scenes[2]), for the problems `build` finds
    values: dict[str, Any]  # the keys as written
    common: dict[str, Any]  # the fields every scene has, read already: cls(**t.common, ...)
    defaults: dict[str, Any]  # the recipe's [defaults]
    style: Style  # the recipe's [style]: the base of a scene's text style


@dataclass(frozen=True)
class Caption:
    index: int
    text: str
    start: float
    end: float | None
    position: str
    style: Style
    x: float | None = None  # pinned: left edge, fraction of the frame width
    y: float | None = None  # pinned: top edge, fraction of the frame height
    animate: Animate | None = None  # None: a short fade in and out


@dataclass(frozen=True)
class Overlay:
    index: int
    src: Path
    position: str
    scale: float
    opacity: float
    start: float
    end: float | None
    x: float | None = None  # pinned: left edge, fraction of the frame width
    y: float | None = None  # pinned: top edge, fraction of the frame height


@dataclass(frozen=True)
class Duck:
    """Side-chain ducking: the music goes depth dB down while narration or clip sound plays."""

    depth: float  # dB, negative
    attack: float = 0.05  # seconds to go down
    release: float = 0.4  # seconds to come back


@dataclass(frozen=True)
class Music:
    track: str  # a library id or a file as written (empty for a mood pick not made yet)
    path: Path | None  # None until the assets stage has found the file
    start: float
    volume_db: float
    fade_in: float
    fade_out: float
    info: dict = field(default_factory=dict)  # title, artist, license, attribution, library
    duck: Duck | None = None
    why: str = ""  # which track was used and why (the mood pick, the library, the licence)
    mood: tuple[str, ...] = ()  # music.mood as written


@dataclass(frozen=True)
class AudioTrack:
    index: int
    src: Path
    start: float
    volume_db: float


@dataclass(frozen=True)
class Reading:
    """How fast a viewer reads text on screen: the one place of these figures, overridden by
    the recipe's [style] reading. Japanese 4 characters a second (Japanese subtitle practice),
    Latin 17 (Netflix's English template), a title at least 1.5 s (docs/recipe.md)."""

    ja: float = 4.0  # wide (CJK) characters a second
    latin: float = 17.0  # other characters a second (spaces not counted)
    title: float = 1.5  # the least seconds a title card is on screen

    @classmethod
    def of(cls, table: Mapping[str, Any] | None) -> Reading:
        """The figures a checked [style] reading table sets, the defaults for the rest."""
        return cls(
            **{k: float(v) for k, v in (table or {}).items() if k in ("ja", "latin", "title")}
        )


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
    platforms: tuple[str, ...] = ()  # output.platform: every platform the file is for
    deliver: str = ""  # output.deliver: a broadcast master besides the file ("jp-tv-cm")
    cm_code: str = ""  # output.cm_code: 10 characters, or the 4 of the advertiser code
    advertiser: str = ""  # output.advertiser: the name on the master's credit card

    def safe_zone(self) -> SafeZone:
        """Where text and logos may go: inside every target platform's safe zone (the generic
        zone without a platform; delivery/platforms.py)."""
        return safe_zone(self.platforms, self.width, self.height)


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
    max_credits: float | None = None  # [generate] max_credits: a limit in API units
    label: str = ""  # the variant's human name (variant is its file-safe name)
    differs: dict = field(default_factory=dict)  # dotted key -> value changed from the base
    stills: tuple[Still, ...] = ()  # [[stills]] and the image scenes' stills, made when missing
    reading: Reading = Reading()  # [style] reading: for the timing warnings
    max_cost: float | None = None  # [generate] max_cost: the budget in US dollars
    # dotted key -> the --set option that gave it: its problems name the option, not a line
    given: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def display_name(self) -> str:
        """The variant's name for people: its human name (Japanese kept)."""
        return self.label or self.variant

    @property
    def folder(self) -> Path:
        return self.file.parent

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Fill in the line of each problem from its key path; a key --set gave names the
        option instead."""
        from dataclasses import replace

        out = []
        for p in problems:
            option = given_by(p.key, self.given)
            if option:
                p = replace(p, file=None, line=None, column=None, origin=option)
            elif p.line is None and p.key and self.lines is not None:
                p = replace(p, line=self.lines.line_of(p.key))
            out.append(p)
        return out

    def problem(self, key: str, message: str, hint: str = "") -> Problem:
        """A problem located in the recipe file: key path and line."""
        line = self.lines.line_of(key) if self.lines is not None else None
        return Problem(message, self.file, key, line, None, hint)
