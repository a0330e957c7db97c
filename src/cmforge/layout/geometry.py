"""Boxes on whole pixels and the safe zone a variant's text and logos stay inside (pure)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle on whole pixels of the output frame: left x, top y, width w, height h."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlaps(self, other: Box, gap: int = 0) -> bool:
        """True when the two boxes share a pixel, or come closer than `gap` pixels."""
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x >= other.x
            and self.y >= other.y
            and self.right <= other.right
            and self.bottom <= other.bottom
        )

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


@dataclass(frozen=True)
class Zone:
    """Where text and logos may go: inside `box`, and outside every box of `avoid` (an app's
    buttons reaching into the picture, e.g. TikTok's column on the right). `platforms` names
    the platforms whose safe zones it satisfies (empty: the generic zone of the format)."""

    box: Box
    avoid: tuple[Box, ...] = ()
    platforms: tuple[str, ...] = ()

    def allows(self, box: Box) -> bool:
        return box.inside(self.box) and not any(box.overlaps(a) for a in self.avoid)

    def hit(self, box: Box) -> Box | None:
        """The first avoided box `box` overlaps, if any."""
        return next((a for a in self.avoid if box.overlaps(a)), None)

    def as_dict(self) -> dict:
        return {
            "platforms": list(self.platforms) or ["generic"],
            "box": self.box.as_list(),
            "avoid": [a.as_list() for a in self.avoid],
        }
