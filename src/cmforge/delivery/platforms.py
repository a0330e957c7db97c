"""The platforms an ad is delivered to, as one table: sizes, safe zones and delivery rules.

Each entry of PLATFORMS is one platform as a recipe names it (`output.platform = "tiktok"`):
the frames it shows (aspect, recommended and least size, the safe-zone insets as fractions of
the frame, the areas its buttons cover), its frame rates, length and file limits and what it
asks of the sound, with the public text each figure comes from. Recipe validation, the JSON
Schema, the layout of text and logos (`safe_area`) and `cmforge check --platform` all read
this table: a new platform is one entry.

Safe-zone insets are measured on the stated canvas in the sources and kept here as fractions,
so a frame of the same aspect at another size (a 540x960 draft) gets the same zone, scaled and
rounded inwards to whole pixels. Figures marked [estimate] have no published source.

Without a platform the generic safe area applies (`generic_insets`):
- 9:16 (and any frame taller than 4:5): the intersection of every platform's 9:16 zone, i.e.
  x 120-888, y 288-1248 on 1080x1920 plus the corners TikTok's and Reels' buttons cover;
- 1:1 and 4:5: the intersection of the platforms' square and 4:5 zones (Meta Feed: 12.5 % or
  10 % top and bottom, 64 px sides on 1080);
- landscape: 5 % on every side, the title-safe area of SMPTE ST 2046-1 and EBU R 95, since a
  16:9 ad plays in many players (YouTube's in-stream zone only with `platform = "youtube"`).
A platform that takes an aspect without a published zone (TikTok square) uses the generic one.

This module imports nothing from cmforge but units: every layer above may read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..units import Box

MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Insets:
    """How much of each edge a platform's interface covers, as fractions of the frame."""

    top: float
    bottom: float
    left: float
    right: float

    def box(self, width: int, height: int) -> Box:
        """The area inside the insets on whole pixels, rounded inwards."""
        return Box.edges(
            math.ceil(self.left * width - 1e-9),
            math.ceil(self.top * height - 1e-9),
            math.floor((1 - self.right) * width + 1e-9),
            math.floor((1 - self.bottom) * height + 1e-9),
        )

    def union(self, other: Insets) -> Insets:
        """The larger inset on every side: the intersection of the two safe areas."""
        return Insets(
            max(self.top, other.top),
            max(self.bottom, other.bottom),
            max(self.left, other.left),
            max(self.right, other.right),
        )


@dataclass(frozen=True)
class Area:
    """A part of the frame a platform's buttons cover, as fractions: left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float

    def box(self, width: int, height: int) -> Box:
        """On whole pixels, rounded outwards."""
        return Box.edges(
            math.floor(self.left * width + 1e-9),
            math.floor(self.top * height + 1e-9),
            math.ceil(self.right * width - 1e-9),
            math.ceil(self.bottom * height - 1e-9),
        )


def px(top: int, bottom: int, left: int, right: int, on: tuple[int, int]) -> Insets:
    """Insets in pixels on a canvas, as the sources give them, kept as fractions."""
    w, h = on
    return Insets(top / h, bottom / h, left / w, right / w)


def px_area(left: int, top: int, right: int, bottom: int, on: tuple[int, int]) -> Area:
    w, h = on
    return Area(left / w, top / h, right / w, bottom / h)


V, S, P, L = (1080, 1920), (1080, 1080), (1080, 1350), (1920, 1080)


@dataclass(frozen=True)
class Frame:
    """One aspect a platform shows: sizes, safe zone, covered areas, where the figures are from."""

    aspect: str  # "9:16"
    size: tuple[int, int]  # recommended width x height
    least: tuple[int, int]  # the smallest width x height the platform takes
    safe: Insets | None = None  # None: no published zone, the generic one applies
    covered: tuple[Area, ...] = ()  # buttons inside the insets' area (TikTok's right rail)
    source: str = ""

    @property
    def ratio(self) -> float:
        a, b = self.aspect.split(":")
        return int(a) / int(b)


@dataclass(frozen=True)
class Platform:
    """One platform an ad is delivered to, as named in `output.platform`."""

    name: str
    title: str
    frames: tuple[Frame, ...]
    fps: tuple[float, float] = (23.976, 60.0)  # least and most frames per second accepted
    min_s: float = 0.0  # shortest ad, seconds
    max_s: float = 0.0  # longest ad, seconds
    max_bytes: int = 0  # largest file
    min_kbps: int = 0  # least total bitrate
    max_kbps: int = 0  # most total bitrate (0: no limit)
    max_height: int = 0  # the largest frame's shorter side it takes (0: no limit), e.g. 1080p
    audio: str = "optional"  # "required": a file without sound is refused
    audio_rates: tuple[int, ...] = ()  # sample rates accepted (empty: any)
    audio_kbps: int = 0  # least audio bitrate
    source: str = ""  # where the delivery rules come from
    notes: str = ""

    def frame(self, width: int, height: int) -> Frame | None:
        """The frame of this platform with the aspect of width x height (within 2 %), or None."""
        return _closest(self.frames, width, height, 0.02)

    def aspects(self) -> str:
        """'9:16 (1080x1920), 1:1 (1080x1080)': for errors and help."""
        return ", ".join(f"{f.aspect} ({f.size[0]}x{f.size[1]})" for f in self.frames)


def _closest(frames: tuple[Frame, ...], width: int, height: int, within: float) -> Frame | None:
    if not frames or width <= 0 or height <= 0:
        return None
    ratio = width / height
    best = min(frames, key=lambda f: abs(math.log(ratio / f.ratio)))
    return best if abs(math.log(ratio / best.ratio)) <= within else None


# ---- the table ----------------------------------------------------------------------------
# Source keys and full references: docs/platforms.md. Safe zones on 1080x1920 unless stated.

_TIKTOK_SAFE = px(250, 660, 120, 120, V)  # R1 (TikTok's 720x1280 template x1.5), F1, CH
_TIKTOK_RAIL = px_area(780, 840, 1080, 1260, V)  # R1: the like/comment/share buttons
_SHORTS_SAFE = px(288, 672, 48, 192, V)  # G2 via R1, SS, F1 agree
_REELS_SAFE = px(285, 672, 80, 120, V)  # M1 via R1, SS, F1; RA (top, sides)
_REELS_RAIL = px_area(853, 1152, 1080, 1920, V)  # F1: a 227 px wide rail from y 1152
_STORIES_SAFE = px(269, 672, 65, 65, V)  # M2, F1 (14 %, 6 %); M6: bottom as Reels since 2026
_FEED_SAFE = px(135, 135, 64, 64, S)  # F1 (12.5 %, sides 2.5 % -> 64 px of M7)

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "tiktok",
            "TikTok In-Feed ad",
            (
                Frame("9:16", V, (540, 960), _TIKTOK_SAFE, (_TIKTOK_RAIL,), "R1, F1, CH"),
                Frame("1:1", S, (640, 640), source="TT1 (size); zone: generic [estimate]"),
                Frame("16:9", L, (960, 540), source="TT1 (size); zone: generic [estimate]"),
            ),
            fps=(23.976, 60.0),  # unpublished [estimate]
            min_s=5,
            max_s=60,
            max_bytes=500 * MB,
            min_kbps=516,
            audio="required",
            source="TT1 ads.tiktok.com video ads specifications; TT3 (5-60 s)",
            notes="TT2 allows up to 10 min in auction; 9-15 s suggested",
        ),
        Platform(
            "shorts",
            "YouTube Shorts ad",
            (Frame("9:16", V, (720, 1280), _SHORTS_SAFE, source="G2, SS, F1"),),
            fps=(23.976, 60.0),
            min_s=5,
            max_s=60,  # [estimate]
            max_bytes=256 * GB,
            source="G1 support.google.com/google-ads/answer/13547298; G5",
        ),
        Platform(
            "reels",
            "Instagram / Facebook Reels ad",
            (Frame("9:16", V, (540, 960), _REELS_SAFE, (_REELS_RAIL,), "M1, F1, RA"),),
            fps=(23.0, 60.0),  # M5
            min_s=1,
            max_s=15 * 60,  # M3
            max_bytes=4 * GB,
            max_kbps=25_000,  # M5
            audio_rates=(44100, 48000),  # M5: at most 48 kHz
            audio_kbps=128,  # M2
            source="M3 (length, size), M5 (fps, bitrate), M2 (stereo AAC >= 128 kbps)",
        ),
        Platform(
            "stories",
            "Instagram / Facebook Stories ad",
            (Frame("9:16", V, (540, 960), _STORIES_SAFE, source="M2, F1, M6"),),
            fps=(23.0, 60.0),
            min_s=1,
            max_s=60,
            max_bytes=4 * GB,
            audio_kbps=128,
            source="M3, WR2, M2",
            notes="Stories-only placements: bottom 384 px (M2)",
        ),
        Platform(
            "feed",
            "Instagram / Facebook Feed ad",
            (
                Frame("1:1", S, (600, 600), _FEED_SAFE, source="F1, M7"),
                Frame("4:5", P, (600, 750), px(135, 135, 64, 64, P), source="F1, M7"),
            ),
            fps=(23.0, 60.0),
            min_s=1,
            max_s=241 * 60,  # M3
            max_bytes=4 * GB,
            audio_kbps=128,
            source="M3 (length, size), M2 (stereo AAC >= 128 kbps)",
        ),
        Platform(
            "line",
            "LINE ads / VOOM",
            (
                # L1: the VOOM feed crops 9:16 to 3:4, losing 240 px top and bottom; sides 5 %
                Frame("9:16", V, (540, 960), px(240, 240, 54, 54, V), source="L1 [estimate]"),
                Frame("1:1", S, (540, 540), px(54, 54, 54, 54, S), source="L2 [estimate]"),
                Frame("16:9", L, (960, 540), px(54, 54, 96, 96, L), source="L2 [estimate]"),
            ),
            fps=(23.976, 30.0),  # L1: at most 30 fps
            min_s=5,
            max_s=120,
            max_bytes=100 * MB,  # L2; L1 says 1 GB on newer placements
            max_kbps=8_000,
            max_height=1080,
            audio_kbps=128,
            source="L1 marketing.so-labo.co.jp/line/magazine/1261, L2 gms-consulting.co.jp",
        ),
        Platform(
            "youtube",
            "YouTube in-stream / Demand Gen ad",
            (
                Frame(
                    "16:9",
                    L,
                    (1280, 720),
                    px(38, 387, 38, 162, L),
                    (px_area(0, 0, 496, 183, L), px_area(1445, 0, 1920, 133, L)),
                    "F1 citing Google",
                ),
                Frame("9:16", V, (720, 1280), _SHORTS_SAFE, source="G2 (shown as Shorts)"),
                Frame("1:1", S, (720, 720), source="G1 (size); zone: generic [estimate]"),
                Frame("4:5", P, (720, 900), source="G1 (size); zone: generic [estimate]"),
            ),
            fps=(23.976, 60.0),
            min_s=5,  # G5
            max_s=180,  # skippable in-stream [estimate]
            max_bytes=256 * GB,
            source="G1 (size, formats), G3 (non-skippable <= 15 s), G4 (bumper <= 6 s), G5",
        ),
        Platform(
            "x",
            "X (Twitter) video ad",
            (
                Frame("9:16", V, (720, 1280), px(96, 192, 54, 54, V), source="[estimate]"),
                Frame("1:1", S, (600, 600), source="X1 (size); zone: generic [estimate]"),
                Frame("16:9", L, (1280, 720), source="X1 (size); zone: generic [estimate]"),
            ),
            fps=(23.976, 60.0),  # X1: at most 60 (30 advised)
            min_s=0.5,  # X2
            max_s=140,  # X1: 2:20
            max_bytes=1 * GB,
            max_kbps=25_000,
            source="X1 business.x.com creative ad specifications, X2 (organic)",
            notes="15 s or less advised",
        ),
    )
}

# 5 % on every side: title safe of SMPTE ST 2046-1 / EBU R 95, the generic landscape zone
TITLE_SAFE = Insets(0.05, 0.05, 0.05, 0.05)


def names() -> tuple[str, ...]:
    return tuple(PLATFORMS)


def _generic_frames() -> tuple[Frame, ...]:
    """One frame per aspect some platform publishes a zone for, landscape aside."""
    seen: dict[str, Frame] = {}
    for p in PLATFORMS.values():
        for f in p.frames:
            if f.safe is not None and f.ratio <= 1 and f.aspect not in seen:
                seen[f.aspect] = f
    return tuple(seen.values())


def generic_insets(width: int, height: int) -> tuple[Insets, tuple[Area, ...]]:
    """The safe zone without a platform: for a portrait or square frame, the intersection of
    every platform's zone at the nearest published aspect; for landscape, title safe (5 %)."""
    if width > height:
        return TITLE_SAFE, ()
    near = _closest(_generic_frames(), width, height, math.inf)
    assert near is not None
    insets, covered = Insets(0, 0, 0, 0), []
    for p in PLATFORMS.values():
        for f in p.frames:
            if f.aspect == near.aspect and f.safe is not None:
                insets = insets.union(f.safe)
                covered += [a for a in f.covered if a not in covered]
    return insets, tuple(covered)


@dataclass(frozen=True)
class SafeZone:
    """Where text and logos may go on one frame: inside `area`, outside every `covered` box."""

    area: Box
    covered: tuple[Box, ...] = ()  # buttons that reach into the area (clipped to it)
    platforms: tuple[str, ...] = ()  # () = the generic zone

    def allows(self, box: Box) -> bool:
        """Whether a box lies inside the area and clear of every covered part."""
        return self.area.contains(box) and not any(box.overlaps(c) for c in self.covered)


def safe_zone(platforms: tuple[str, ...] | list[str] | str, width: int, height: int) -> SafeZone:
    """The safe zone of a width x height frame shown on every listed platform: the intersection
    of their zones (a platform without a zone for this aspect, or none listed: the generic one)."""
    names_ = (platforms,) if isinstance(platforms, str) else tuple(platforms)
    parts: list[tuple[Insets, tuple[Area, ...]]] = []
    for name in names_:
        frame = PLATFORMS[name].frame(width, height)
        if frame is None or frame.safe is None:
            parts.append(generic_insets(width, height))
        else:
            parts.append((frame.safe, frame.covered))
    if not parts:
        parts.append(generic_insets(width, height))
    insets = parts[0][0]
    for more, _ in parts[1:]:
        insets = insets.union(more)
    area = insets.box(width, height)
    covered: list[Box] = []
    for _, areas in parts:
        for a in areas:
            clipped = a.box(width, height).intersect(area)
            if not clipped.empty and clipped not in covered:
                covered.append(clipped)
    return SafeZone(area, tuple(covered), names_)


def safe_area(platforms: tuple[str, ...] | list[str] | str, width: int, height: int) -> Box:
    """The rectangle text and logos stay inside (see `safe_zone` for the covered corners)."""
    return safe_zone(platforms, width, height).area


def aspect_problems(platforms: tuple[str, ...] | list[str], width: int, height: int) -> list[str]:
    """One message per listed platform that does not show a width x height frame (unknown
    names are the validator's)."""
    out = []
    for name in platforms:
        p = PLATFORMS.get(name)
        if p is not None and p.frame(width, height) is None:
            out.append(f"{p.title} ({name}) shows {p.aspects()}, not {width}x{height}")
    return out
