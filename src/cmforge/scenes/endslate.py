"""The end slate: the logo, the name and a line (phone, URL) on a plain background."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..compile.context import Ctx
from ..layout import Part, text_style
from ..recipe import spec
from ..recipe.build import Builder, style_from
from ..recipe.model import SceneTable, Stroke, Style
from ..recipe.motion import animate_from
from ..timeline import Placed
from .card import Card

# the bands of the safe zone (fractions of its height): with a logo, and without one
BANDS = {
    True: {"logo": (0.0, 0.42), "text": (0.46, 0.66), "subtext": (0.70, 0.86)},
    False: {"text": (0.25, 0.55), "subtext": (0.60, 0.76)},
}
LOGO_WIDTH = 0.75  # of the safe zone's width


@dataclass(frozen=True)
class EndSlate(Card):
    logo: Path | None = None

    type: ClassVar[str] = "endslate"
    timing_role: ClassVar[str] = "endslate"
    fields: ClassVar[dict[str, spec.F]] = {
        **spec.COMMON,
        "logo": spec.F("path", "logo image (alpha kept)"),
        "text": spec.F("str", "name"),
        "subtext": spec.F("str", "phone, URL, ..."),
        "background": spec.F("background", "colour, gradient or image"),
        "color": spec.F("color", "text colour"),
        "font": spec.F("str", "font"),
        "animate": spec.ANIMATE,
    }

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> EndSlate:
        d = t.values
        st = style_from(t.style, {**d, "color": d.get("color", "#1d3557")})
        st = Style(st.font, st.weight, st.color, st.size, Stroke(st.stroke.color, 0), False)
        return cls(
            **t.common,
            text=d.get("text", ""),
            subtext=d.get("subtext", ""),
            background=b.background(d.get("background"), f"{t.key}.background", "#ffffff"),
            style=st,
            logo=b.path(d["logo"]) if "logo" in d else None,
            animate=animate_from(d.get("animate")),
        )

    def files(self) -> list[tuple[str, Path, str]]:
        out = [(f"{self.key}.logo", self.logo, "image")] if self.logo is not None else []
        bg = self.background
        if bg is not None and bg.image is not None:
            out.append((f"{self.key}.background", bg.image, "image"))
        return out

    def layout_parts(self, scale: float) -> list[Part]:
        bands = BANDS[self.logo is not None]
        size = self.style.size * 0.55 if self.style.size else 64
        name = text_style(self.style, scale)
        sub = text_style(self.style, scale, size=size)
        parts = []
        if self.logo is not None:
            parts.append(
                Part("logo", bands["logo"], logo=self.logo, width=LOGO_WIDTH, role="endslate")
            )
        for key, text, style in (("text", self.text, name), ("subtext", self.subtext, sub)):
            if text:
                parts.append(Part(key, bands[key], text, style, role="endslate"))
        return parts

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        texts, logos = ctx.drawn(self.key)
        if self.animate is not None:  # the logo, then the name and the line come in
            bg = ctx.stills.card("endslate", self.background, ctx.size, [])
            anim = self.animate
            return self.moving(ctx, p, first, last, bg, texts, anim, push_in=False, logos=logos)
        card = ctx.stills.card("endslate", self.background, ctx.size, texts, logos)
        return ctx.held(card, last - first)
