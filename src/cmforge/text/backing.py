"""A band or a rounded box drawn behind a text block (a caption's look)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Backing:
    """A band (the width of the frame, `width`) or a rounded box drawn behind a text block."""

    kind: str  # band | box
    color: tuple[int, int, int, int]
    radius: int
    padding: int
    width: int = 0  # a band's width (the frame's)

    def behind(self, text: Image.Image) -> Image.Image:
        p = self.padding
        w = max(self.width, text.width + 2 * p) if self.kind == "band" else text.width + 2 * p
        out = Image.new("RGBA", (w, text.height + 2 * p), (0, 0, 0, 0))
        ImageDraw.Draw(out).rounded_rectangle(
            (0, 0, out.width - 1, out.height - 1), radius=self.radius, fill=self.color
        )
        out.alpha_composite(text, ((w - text.width) // 2, p))
        return out
