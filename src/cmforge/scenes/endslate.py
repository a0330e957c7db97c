"""The end slate: the logo, the name and a line (phone, URL) on a plain background."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..compile.context import Ctx
from ..recipe import spec
from ..recipe.build import Builder, animate_from, style_from
from ..recipe.model import SceneTable, Stroke, Style
from ..timeline import Placed
from .card import Card


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

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        (w, h), stills = ctx.size, ctx.stills
        margin = 0.08 * min(w, h)
        name = stills.text_style(self.style, ctx.scale)
        size = self.style.size * 0.55 if self.style.size else 64
        sub = stills.text_style(self.style, ctx.scale, size=size)
        top = 0.50 if self.logo else 0.38
        texts = [
            (self.text, name, (margin, h * top, w - 2 * margin, h * 0.12)),
            (self.subtext, sub, (margin, h * (top + 0.13), w - 2 * margin, h * 0.07)),
        ]
        if self.animate is not None:  # the logo stays; the name and the line come in
            bg = stills.card("endslate", self.background, ctx.size, [], self.logo)
            return self.moving(ctx, p, first, last, bg, texts, self.animate, push_in=False)
        card = stills.card("endslate", self.background, ctx.size, texts, self.logo)
        return ctx.held(card, last - first)
