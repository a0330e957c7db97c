"""A title card: a headline (and a smaller line) on a colour, gradient or picture, held still."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..compile.context import Ctx
from ..recipe import spec
from ..recipe.build import Builder, animate_from, style_from
from ..recipe.model import Animate, SceneTable
from ..timeline import Placed
from .card import Card

# a title with no animate key pops in over a slow push-in: it moves from the first frame
TITLE_ANIMATE = Animate("pop", "none", 0.45, "ease-out")


@dataclass(frozen=True)
class Title(Card):
    align: str = "center"

    type: ClassVar[str] = "title"
    timing_role: ClassVar[str] = "title"
    fields: ClassVar[dict[str, spec.F]] = {
        **spec.COMMON,
        **spec.TEXT_KEYS,
        "text": spec.F("str", "headline"),
        "subtext": spec.F("str", "smaller line below"),
        "background": spec.F("background", "colour, [colour, colour] gradient or image path"),
        "align": spec.F("str", "left | center | right", choices=("left", "center", "right")),
        "animate": spec.ANIMATE,
    }

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> Title:
        d = t.values
        return cls(
            **t.common,
            text=d.get("text", ""),
            subtext=d.get("subtext", ""),
            background=b.background(d.get("background"), f"{t.key}.background", "#000000"),
            style=style_from(t.style, d),
            align=d.get("align", "center"),
            animate=animate_from(d.get("animate")),
        )

    def files(self) -> list[tuple[str, Path, str]]:
        bg = self.background
        return [(f"{self.key}.background", bg.image, "image")] if bg and bg.image else []

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        (w, h), stills = ctx.size, ctx.stills
        margin = 0.08 * min(w, h)
        head = stills.text_style(self.style, ctx.scale, align=self.align)
        size = self.style.size * 0.45 if self.style.size else 60
        sub = stills.text_style(self.style, ctx.scale, size=size, align=self.align)
        texts = [
            (self.text, head, (margin, h * 0.30, w - 2 * margin, h * 0.28 if h > w else h * 0.4))
        ]
        if self.subtext:
            box = (margin, h * (0.60 if h > w else 0.72), w - 2 * margin, h * 0.10)
            texts.append((self.subtext, sub, box))
        anim = self.animate or TITLE_ANIMATE
        if anim.enter == "none" and anim.leave == "none":
            return ctx.held(stills.card("title", self.background, ctx.size, texts), last - first)
        bg = stills.card("title-bg", self.background, ctx.size, [], glow=True)
        return self.moving(ctx, p, first, last, bg, texts, anim)
