"""What a title card and the end slate share: a line of text, a smaller line below it, a
background and a text style, made into a still picture. The plan names such a scene by its
text."""

from __future__ import annotations

from dataclasses import dataclass

from ..recipe.model import Background, Scene, Style


@dataclass(frozen=True)
class Card(Scene):
    text: str = ""
    subtext: str = ""
    background: Background | None = None
    style: Style = Style()

    def label(self) -> str:
        return (self.text or self.type)[:24]

    def shown_text(self) -> str:
        return "\n".join(t for t in (self.text, self.subtext) if t)
