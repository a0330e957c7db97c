"""What a title card and the end slate share: a line of text, a smaller line below it, a
background and a text style, made into a still picture. The plan names such a scene by its
text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..compile import animate
from ..compile import motion as camera
from ..compile.context import Ctx
from ..compile.graph import Filter
from ..recipe.model import Animate, Background, Scene, Style
from ..timeline import Placed

STAGGER = 0.15  # seconds between a card's headline and the line below it coming in
ZOOM = "zoom-in"  # the background's slow push-in under a moving title


@dataclass(frozen=True)
class Card(Scene):
    text: str = ""
    subtext: str = ""
    background: Background | None = None
    style: Style = Style()
    animate: Animate | None = None

    def label(self) -> str:
        return (self.text or self.type)[:24]

    def shown_text(self) -> str:
        return "\n".join(t for t in (self.text, self.subtext) if t)

    def moving(
        self,
        ctx: Ctx,
        p: Placed,
        first: int,
        last: int,
        background: Path,
        texts: list[tuple],
        anim: Animate,
        push_in: bool = True,
        logos: list[tuple] | None = None,
        smooth: bool = False,
    ) -> str:
        """Frames [first, last) of the card: its background (pushed in slowly when `push_in`)
        and each text [(text, TextStyle, the box it is sized in, (x, y))] where the layout
        placed it, brought in by `anim`, the second one STAGGER seconds after the first; logos
        [(path, (x, y, w, h))] come in first, the same way (a typewriter's logo fades in).
        smooth: the background is a colour or gradient with its soft light (no photo, no logo
        drawn in): pushed in at half width and height, then scaled up. The same picture for a
        quarter of the per-pixel work: `perspective` costs ~18 ms a frame at 1080x1920, most of
        what a moving title adds to a render (bench/animation.py)."""
        extra = []
        if push_in:
            size = ctx.size
            if smooth:
                size = (max(2, round(ctx.width / 2)), max(2, round(ctx.height / 2)))
                background = ctx.stills.sized(background, size)
            start, end = camera.windows(size, size, ZOOM)
            region = camera.union(start, end)
            corners = camera.corners(region, start, end, size, p.frames)
            extra = [Filter.of("perspective", interpolation="linear", eval="frame", **corners)]
            if smooth:
                # an odd half (a 90x160 preview: 45x80) scales back a hair unevenly: square
                # pixels, as every other stream of the frame has them
                extra += [
                    Filter.of("scale", w=ctx.width, h=ctx.height, flags="bicubic"),
                    Filter.of("setsar", "1"),
                ]
        video = ctx.held(background, p.frames, extra=extra)
        fps = float(ctx.fps)
        delay = 0
        for path, (x, y, w, h) in logos or []:
            still = anim if anim.enter not in ("typewriter", "words") else Animate("fade")
            m = animate.Motion.of(still, p.frames, fps)
            pic = ctx.stills.sized(path, (w, h))
            video = animate.picture(ctx, video, pic, (w, h), (x, y), m)
            delay = round(STAGGER * fps)
        for text, style, box, (x, y) in texts:
            if not text:
                continue
            m = animate.Motion.of(anim, p.frames - delay, fps, text)
            pics, pw, ph, pad = animate.pictures(ctx, text, style, box, m)
            video = animate.overlay(ctx, video, pics, (pw, ph), (x - pad, y - pad), m, delay)
            delay = min(p.frames // 3, delay + round(STAGGER * fps))
        if (first, last) != (0, p.frames):
            video = ctx.graph.one(
                video,
                [Filter.of("trim", start_frame=first, end_frame=last), Filter.of("setpts", "N")],
            )
        return video
