"""The ad as a sequence of pieces, and the pieces grouped into segments.

A piece is either the body of a scene (frames no transition touches) or a mix (the frames where
one scene dissolves into the next). Pieces play back to back. A segment is a run of pieces that
one FFmpeg process renders and encodes; each segment reads at most two clip files (a clip and
the next one it dissolves into), so a long ad never holds more decoders open than a short one.
Full renders give every scene its own segment (with the mix into the next scene), so a segment
is the same across variants unless that scene differs; drafts group up to MAX_CLIPS clips to
start fewer processes."""

from __future__ import annotations

from dataclasses import dataclass

from ..timeline import Timeline

MAX_CLIPS = 0  # 0: one segment per scene


@dataclass(frozen=True)
class Piece:
    kind: str  # body | mix
    start: int  # first frame on the ad's clock
    frames: int
    uses: tuple[tuple[int, int, int], ...]  # (scene number, first, last) frames of each scene


@dataclass(frozen=True)
class Segment:
    pieces: tuple[Piece, ...]

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].start + self.pieces[-1].frames

    def window(self, scene: int) -> tuple[int, int]:
        """The frames of a scene this segment needs."""
        spans = [(a, b) for piece in self.pieces for (n, a, b) in piece.uses if n == scene]
        return min(a for a, _ in spans), max(b for _, b in spans)

    def scenes(self) -> list[int]:
        return sorted({n for piece in self.pieces for (n, _, _) in piece.uses})


def overlaps(tl: Timeline) -> list[int]:
    """Frames each scene overlaps the one before (its transition's frames; 0 for a cut)."""
    return [p.transition_frames for p in tl.scenes]


def pieces(tl: Timeline) -> list[Piece]:
    out: list[Piece] = []
    lap = overlaps(tl)
    for i, p in enumerate(tl.scenes):
        t_in, t_out = lap[i], (lap[i + 1] if i + 1 < len(lap) else 0)
        if t_in:
            prev = tl.scenes[i - 1]
            out.append(
                Piece(
                    "mix", p.start, t_in, ((i - 1, prev.frames - t_in, prev.frames), (i, 0, t_in))
                )
            )
        if p.frames - t_out > t_in:
            out.append(
                Piece(
                    "body", p.start + t_in, p.frames - t_out - t_in, ((i, t_in, p.frames - t_out),)
                )
            )
    return out


def segments(tl: Timeline, max_clips: int | None = None) -> list[Segment]:
    """Group pieces into segments: a scene's body with the mix into the next scene (or a cut),
    then, with max_clips > 0, runs of those grouped while they read at most max_clips clip
    files. A segment never ends between a clip's body and its tail (the frames that dissolve
    into the next scene), so both are decoded in one go: cutting between them would decode the
    clip again from its last keyframe, which in phone footage can be the first frame."""
    limit = MAX_CLIPS if max_clips is None else max_clips
    units: list[list[Piece]] = [[]]
    for piece in pieces(tl):
        if units[-1] and piece.kind == "body" and units[-1][-1].kind == "body":
            units.append([])  # a cut: the next scene starts a segment of its own
        units[-1].append(piece)
        if piece.kind == "mix":
            units.append([])
    groups: list[list[Piece]] = []
    clips: set[int] = set()
    for unit in filter(None, units):
        mine = {n for piece in unit for n, _, _ in piece.uses if tl.scenes[n].scene.decodes_video}
        if groups and limit and len(clips | mine) <= limit:
            groups[-1].extend(unit)
            clips |= mine
        else:
            groups.append(list(unit))
            clips = set(mine)
    return [Segment(tuple(g)) for g in groups]
