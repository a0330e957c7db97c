"""Recipe + media facts -> Timeline. Pure: no files, no processes."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..errors import Problem, RecipeError
from ..recipe.model import Recipe
from ..units import to_frames
from .model import Placed, TimedItem, Timeline
from .warnings import timing_warnings


def _fit(frames: list[int], lo: list[int], hi: list[float], flex: list[int], delta: int) -> int:
    """Spread delta frames over the flex scenes in proportion to their length; return the rest."""
    while delta:
        room = [i for i in flex if (frames[i] < hi[i] if delta > 0 else frames[i] > lo[i])]
        if not room:
            return delta
        weight = sum(frames[i] for i in room)
        shares = {i: int(delta * frames[i] / weight) for i in room}
        if not any(shares.values()):
            shares[max(room, key=lambda i: frames[i])] = 1 if delta > 0 else -1
        for i, share in shares.items():
            new = int(min(max(frames[i] + share, lo[i]), hi[i]))
            delta -= new - frames[i]
            frames[i] = new
    return 0


def resolve_timeline(recipe: Recipe, media: dict) -> Timeline:
    """Place every scene on whole frames; flex scenes absorb the difference to output.duration."""
    fps = recipe.output.fps
    problems: list[Problem] = []
    frames, lo, hi, trans = [], [], [], []
    for s in recipe.scenes:
        info = media.get(s.src) if s.src else None
        t = s.transition.frames(fps) if s.index else 0
        trans.append(t)
        want, most, problem = s.timing(info, fps)
        if problem is not None:
            problems.append(replace(problem, file=recipe.file))
        frames.append(want)
        hi.append(most)
        lo.append(1)
    for i, t in enumerate(trans):
        lo[i] = max(1, t + (trans[i + 1] if i + 1 < len(trans) else 0))
        if i and t > min(frames[i - 1], frames[i]):
            problems.append(
                Problem(
                    f"the transition ({float(t / fps):.2f} s) is longer than a scene it joins",
                    recipe.file,
                    f"scenes[{i}].transition.duration",
                    hint="shorten the transition or lengthen the scenes",
                )
            )
    total = sum(frames) - sum(trans)
    target = to_frames(recipe.output.duration, fps) if recipe.output.duration else None
    if target is not None and total != target and not problems:
        flex = [i for i, s in enumerate(recipe.scenes) if s.flex]
        rest = _fit(frames, lo, hi, flex, target - total) if flex else target - total
        if rest:
            what = "longer" if rest < 0 else "shorter"
            how = (
                "no scene is flex = true"
                if not flex
                else "the flex scenes cannot stretch or shrink that far"
            )
            problems.append(
                Problem(
                    f"the scenes make {float((target - rest) / fps):.2f} s, "
                    f"{float(abs(rest) / fps):.2f} s {what} "
                    f"than output.duration = {recipe.output.duration:g} s ({how})",
                    recipe.file,
                    "output.duration",
                    hint="change scene durations, or mark scenes flex = true",
                )
            )
        total = sum(frames) - sum(trans)
    if problems:
        raise RecipeError(recipe.locate(problems))
    placed, start = [], 0
    for i, s in enumerate(recipe.scenes):
        start -= trans[i]
        info = media.get(s.src) if s.src else None
        src_in, src_out = s.source_range(info, fps, frames[i]) or (0.0, 0.0)
        placed.append(Placed(s, start, frames[i], trans[i], info, src_in, src_out))
        start += frames[i]
    # a caption or overlay starting after the end is left out (and said: timeline/warnings.py)
    caps = tuple(_timed(c, total, fps) for c in recipe.captions if to_frames(c.start, fps) < total)
    ovs = tuple(_timed(o, total, fps) for o in recipe.overlays if to_frames(o.start, fps) < total)
    tl = Timeline(
        recipe,
        fps,
        recipe.output.width,
        recipe.output.height,
        total,
        tuple(placed),
        caps,
        ovs,
        media,
    )
    found = [replace(w, file=recipe.file) for w in timing_warnings(tl)]
    return replace(tl, warnings=tuple(recipe.locate(found)))


def _timed(item, total: int, fps: Fraction) -> TimedItem:
    """A caption or overlay on the ad's clock, cut at its end."""
    s = to_frames(item.start, fps)
    e = min(to_frames(item.end, fps), total) if item.end is not None else total
    return TimedItem(item, s, max(e, s + 1))
