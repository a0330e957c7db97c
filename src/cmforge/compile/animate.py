"""Text that moves: a rasterised text picture brought in and out with FFmpeg expressions.

The text is drawn once by Pillow; the motion is FFmpeg's, evaluated per frame in C:
- fade: the layer's alpha (`fade`, alpha only);
- pop: a scale with overshoot (ease-out-back) about the text's centre, with a fade;
- slide-up: a rise into place, eased, with a fade; pop and slide-up move the picture with
  `perspective` (1/256 px, so no whole-pixel steps), on a picture padded for the movement;
- typewriter / words: a handful of pictures of the text revealed character by character or
  phrase by phrase (BudouX phrases where the line breaker has them), each held for its frames
  and joined with `concat` into one layer; every picture has the whole text's size and lines,
  so nothing reflows.
Out-animations are the same run backwards at the end (typewriter and words go out by fade).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from ..recipe.model import Animate
from ..text import Backing, TextStyle, breaks
from ..text.markup import plain
from .context import Ctx
from .graph import Filter

F = Filter.of
DEFAULT_DURATION = 0.4  # seconds each way
POP_FROM, POP_PAD = 0.55, 0.12  # pop starts at 55 % size; the overshoot needs 12 % room
SLIDE = 0.06  # slide-up travels 6 % of the frame's short side
PULSE_SECONDS = 1.2  # one beat of a pulse
MAX_STEPS = 30  # a typewriter shows at most this many pictures (characters grouped beyond)


def ease(name: str, p: str) -> str:
    """An FFmpeg expression of the easing curve at progress `p` (an expression in 0..1)."""
    return {
        "linear": f"({p})",
        "ease-in": f"pow({p},3)",
        "ease-out": f"(1-pow(1-({p}),3))",
        "ease-in-out": f"if(lt({p},0.5),4*pow({p},3),1-pow(2-2*({p}),3)/2)",
        "back": f"(1+2.70158*pow({p}-1,3)+1.70158*pow({p}-1,2))",
    }[name]


def _progress(frame: str, start: float, frames: float) -> str:
    return f"min(max(({frame}-{start:g})/{max(frames, 1):g},0),1)"


@dataclass(frozen=True)
class Motion:
    """An animation resolved to frames for one text of `frames` frames."""

    anim: Animate
    frames: int
    enter: int  # frames of the in-animation
    leave: int  # frames of the out-animation
    pulse: float = 0.0  # after coming in: a gentle beat, this much bigger at its peak
    beat: int = 0  # frames of one beat

    @classmethod
    def of(
        cls, anim: Animate, frames: int, fps: float, text: str = "", pulse: float = 0.0
    ) -> Motion:
        """`pulse` (e.g. 0.05): a call-to-action button's beat, one every PULSE_SECONDS."""
        n = max(1, len(plain(text)))
        auto = {"typewriter": min(2.0, max(0.4, 0.06 * n)), "words": min(2.0, 0.3 * n / 3)}
        d = anim.duration if anim.duration is not None else auto.get(anim.enter, DEFAULT_DURATION)
        out_d = anim.duration if anim.duration is not None else DEFAULT_DURATION
        enter = round(d * fps) if anim.enter != "none" else 0
        leave = round(out_d * fps) if anim.leave != "none" else 0
        if enter + leave > frames:  # a short text: both halves shrink in proportion
            k = frames / (enter + leave)
            enter, leave = math.floor(enter * k), math.floor(leave * k)
        return cls(anim, frames, enter, leave, pulse, round(PULSE_SECONDS * fps))

    @property
    def reveals(self) -> bool:
        return self.anim.enter in ("typewriter", "words")

    @property
    def pops(self) -> bool:
        return "pop" in (self.anim.enter, self.anim.leave) or self.pulse > 0

    @property
    def slides(self) -> bool:
        return "slide-up" in (self.anim.enter, self.anim.leave)

    def pad(self, size: tuple[int, int], frame: tuple[int, int]) -> int:
        """Transparent room around the text for a pop's overshoot or a slide's travel."""
        pad = max(size) * POP_PAD / 2 if self.pops else 0.0
        if self.slides:
            pad = max(pad, SLIDE * min(frame))
        return math.ceil(pad / 2) * 2 + 2 if pad else 0


def reveal_steps(text: str, how: str, frames: int) -> list[tuple[int, int]]:
    """[(characters shown, frames held)] of a typewriter or words reveal over `frames` frames;
    the last step (the whole text) is held for the rest of the text's time by the caller."""
    shown = plain(text)
    n = len(shown)
    if how == "words":
        cuts = sorted(c for c in phrase_ends(shown) if 0 < c < n) + [n]
    else:
        k = max(1, min(n, frames, MAX_STEPS))
        cuts = sorted({math.ceil((i + 1) * n / k) for i in range(k)})
    cuts = [c for c in cuts if shown[:c].strip()] or [n]  # never an empty first picture
    k = len(cuts)
    bounds = [round(i * frames / k) for i in range(k + 1)]
    return [(c, bounds[i + 1] - bounds[i]) for i, c in enumerate(cuts)]


def phrase_ends(text: str) -> list[int]:
    """Where a phrase ends: the line breaker's phrase breaks (BudouX's 文節 on top of 禁則,
    spaces), else its word breaks (script boundaries), so a text is never one chunk when it
    can be split."""
    out: set[int] = set()
    pos = 0
    for para in text.split("\n"):
        cl = breaks.clusters(para)
        levels, weak = breaks.break_levels(cl, para)  # weak: 無料体|験, the model's slip
        offsets = list(itertools.accumulate(len(c) for c in cl))
        at = [i for i in range(1, len(cl)) if levels[i] >= breaks.PHRASE and i not in weak]
        at = at or [i for i in range(1, len(cl)) if levels[i] >= breaks.WORD]
        out |= {pos + offsets[i - 1] for i in at}
        pos += len(para)
        out.add(pos)
        pos += 1
    return sorted(out)


def pictures(
    ctx: Ctx,
    text: str,
    style: TextStyle,
    box: tuple[int, int],
    motion: Motion,
    room: int = 0,
    backing: str = "",
    look: Backing | None = None,
) -> tuple[list[tuple[Path, int]], int, int, int]:
    """The layer's pictures [(file, frames)], its size and the padding added around them for
    the movement. room, backing: the layout's room around the text and band; look: a
    caption's own band or box (compile/looks.py)."""
    stills = ctx.stills

    def drawn(reveal: int | None = None) -> tuple[Path, int, int]:
        return stills.text(text, style, box, room, backing, reveal=reveal, look=look)

    path, w, h = drawn()
    pad = motion.pad((w, h), ctx.size)
    if pad:
        path = stills.padded(path, pad)
    if not motion.reveals or motion.enter == 0:
        return [(path, motion.frames)], w + 2 * pad, h + 2 * pad, pad
    steps = reveal_steps(text, motion.anim.enter, motion.enter)
    out = []
    for shown, held in steps[:-1]:
        step, _, _ = drawn(shown)
        out.append((stills.padded(step, pad) if pad else step, held))
    shown_frames = sum(f for _, f in out)
    out.append((path, motion.frames - shown_frames))
    return [(p, f) for p, f in out if f > 0], w + 2 * pad, h + 2 * pad, pad


def layer(ctx: Ctx, pics: list[tuple[Path, int]], size: tuple[int, int], m: Motion) -> str:
    """The text layer, frames [0, m.frames), yuva420p: its pictures, scale and alpha."""
    parts = [ctx.held(p, f, alpha=True) for p, f in pics]
    g = ctx.graph
    label = parts[0]
    if len(parts) > 1:  # concat's time base is microseconds: back to frames
        label = g.one(
            parts, [F("concat", n=len(parts), v=1, a=0), F("settb", ctx.tb), F("setpts", "N")]
        )
    fps = float(ctx.fps)
    extra: list[Filter] = []
    a = m.anim
    if m.enter and a.enter in ("fade", "pop", "slide-up"):
        d = m.enter / fps * (0.6 if a.enter in ("pop", "slide-up") else 1.0)
        extra.append(F("fade", t="in", st=0, d=f"{d:.4f}", alpha=1))
    if m.leave:
        d = m.leave / fps
        extra.append(
            F("fade", t="out", st=f"{(m.frames - m.leave) / fps:.4f}", d=f"{d:.4f}", alpha=1)
        )
    if m.pops or m.slides:
        extra.append(_move(size, m, SLIDE * min(ctx.width, ctx.height)))
    if not extra:
        return label
    return g.one(label, extra)


def _move(size: tuple[int, int], m: Motion, dist: float) -> Filter:
    """perspective= corners that scale the padded picture about its centre (pop) and move it
    up (slide-up), to 1/256 px: no whole-pixel steps, unlike an overlay's position."""
    w, h = size
    a = m.anim
    frame = "(in-1)"  # perspective counts its input frames from 1
    s, dy = "1", "0"
    if a.enter == "pop" and m.enter:
        p = _progress(frame, 0, m.enter)
        s = f"({POP_FROM}+{1 - POP_FROM:.2f}*{ease('back', p)})"
    if a.leave == "pop" and m.leave:
        q = _progress(frame, m.frames - m.leave, m.leave)
        s = f"{s}*(1-{1 - POP_FROM:.2f}*{ease('ease-in', q)})"
    if m.pulse and m.beat:
        beat = f"(1-cos(2*PI*max({frame}-{m.enter},0)/{m.beat}))/2"
        s = f"{s}*(1+{m.pulse:g}*{beat})"
    if a.enter == "slide-up" and m.enter:
        p = _progress(frame, 0, m.enter)
        dy = f"{dist:.2f}*(1-{ease(a.easing, p)})"
    if a.leave == "slide-up" and m.leave:
        q = _progress(frame, m.frames - m.leave, m.leave)
        dy = f"{dy}-{dist:.2f}*{ease('ease-in', q)}"
    cx, cy = w / 2, h / 2
    xl, xr = f"{cx:g}-{cx:g}*{s}", f"{cx:g}+{cx:g}*{s}"
    yt, yb = f"{cy:g}-{cy:g}*{s}+{dy}", f"{cy:g}+{cy:g}*{s}+{dy}"
    # once in place, a text that neither pulses nor moves out is passed through untouched:
    # perspective then costs nothing for the rest of the text's frames (its own frame count,
    # `in`, stops there, so this is only for a motion that has ended for good)
    settled = not m.pulse and (a.leave not in ("pop", "slide-up") or not m.leave)
    timeline = {"enable": f"lt(n,{m.enter})"} if settled and m.enter else {}
    return F(
        "perspective",
        x0=xl,
        y0=yt,
        x1=xr,
        y1=yt,
        x2=xl,
        y2=yb,
        x3=xr,
        y3=yb,
        sense="destination",
        eval="frame",
        interpolation="linear",
        **timeline,
    )


def overlay(
    ctx: Ctx,
    base: str,
    pics: list[tuple[Path, int]],
    size: tuple[int, int],
    xy: tuple[int, int],
    m: Motion,
    start: int,
    window: tuple[int, int] | None = None,
) -> str:
    """The text layer over `base` (pts = frame index), its first frame at base frame `start`.
    window: the frames [a, b) of the layer that fall in this stream (default: all of it)."""
    g = ctx.graph
    lay = layer(ctx, pics, size, m)
    a, b = window or (0, m.frames)
    if (a, b) != (0, m.frames):
        lay = g.one(lay, [F("trim", start_frame=a, end_frame=b)])
    if start + a != 0 or (a, b) != (0, m.frames):
        lay = g.one(lay, [F("setpts", f"N+{start + a}")])
    x, y = xy
    return g.one([base, lay], [F("overlay", x=x, y=y, eof_action="pass", format="yuv420")], "v")


def picture(
    ctx: Ctx,
    base: str,
    path: Path,
    size: tuple[int, int],
    xy: tuple[int, int],
    m: Motion,
    start: int = 0,
    window: tuple[int, int] | None = None,
) -> str:
    """Any picture (a logo, a button) of `size` at `xy` over `base`, moved like a text: e.g.
    a logo that pops in, a call-to-action that pops in and then pulses
    (`Motion.of(Animate("pop"), frames, fps, pulse=0.05)`). Typewriter and words do not apply.
    window: as `overlay`'s."""
    pad = m.pad(size, ctx.size)
    pic = ctx.stills.padded(path, pad) if pad else path
    w, h = size
    return overlay(
        ctx,
        base,
        [(pic, m.frames)],
        (w + 2 * pad, h + 2 * pad),
        (xy[0] - pad, xy[1] - pad),
        m,
        start,
        window,
    )
