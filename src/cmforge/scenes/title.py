"""A title card: a headline (and a smaller line) on a colour, gradient or picture, held still."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..compile.context import Ctx
from ..layout import Part, text_style
from ..recipe import spec
from ..recipe.build import Builder, style_from
from ..recipe.model import Animate, SceneTable
from ..recipe.motion import animate_from
from ..timeline import Placed
from .card import Card

# the bands of the safe zone (fractions of its height) the headline and the smaller line use
TEXT_BAND, SUBTEXT_BAND, ALONE_BAND = (0.05, 0.62), (0.66, 0.86), (0.15, 0.80)

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

    def layout_parts(self, scale: float, size=None, zone=None) -> list[Part]:
        head = text_style(self.style, scale, align=self.align)
        size = self.style.size * 0.45 if self.style.size else 60
        sub = text_style(self.style, scale, size=size, align=self.align)
        if not self.subtext:
            return [Part("text", ALONE_BAND, self.text, head)]
        return [
            Part("text", TEXT_BAND, self.text, head),
            Part("subtext", SUBTEXT_BAND, self.subtext, sub),
        ]

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        texts, logos = ctx.drawn(self.key)
        anim = self.animate or TITLE_ANIMATE
        if anim.enter == "none" and anim.leave == "none":
            card = ctx.stills.card("title", self.background, ctx.size, texts, logos)
            return ctx.held(card, last - first)
        bg = ctx.stills.card("title-bg", self.background, ctx.size, [], logos, glow=True)
        smooth = self.background.image is None and not logos
        return self.moving(ctx, p, first, last, bg, texts, anim, smooth=smooth)
