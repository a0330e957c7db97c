"""The layout stage: every box that carries text or a logo placed on whole pixels inside the
safe zone, and captions and overlays kept clear of each other and of the end slate.

The rules, in order (docs/recipe.md, *Layout*):

1. Scene parts (a title's text, the end slate's logo, name and line) go in the band of the
   safe zone their kind asks for. A text is wrapped and shrunk to fit its band; if it then
   touches a box the app covers (TikTok's buttons), it takes whichever keeps it largest: moved
   up or down past it (clear of its scene's other parts), fitted into the rows of its band
   above or below it, or fitted into its band narrowed away from it.
2. Overlays go in their corner of the safe zone, below (or above) any box the app covers.
   One that would cover the end slate's logo or text (or, where a corner is free of it, a
   title card's text it shares most of its time with) moves to the other corner on the same
   edge, then the corner on the other edge, then the opposite corner; nowhere free is an
   error.
3. Captions go in their band (bottom, top, center) of the safe zone. One that would cover the
   end slate's logo or text, an overlay or an earlier caption in a frame where both are visible
   (or, where there is room, a title card's text it shares most of its time with) moves:
   bottom → top, top → bottom, center → bottom → top; then into the strips of the zone
   left free by what is on screen with it, the lowest first (shrinking to fit, down to the
   readable minimum); nowhere free is an error.
4. A text that cannot fit at the readable minimum (MIN_TEXT_PX) is an error naming its key.
5. Captions and overlays with `x` and `y` are pinned: kept where the recipe puts them; a
   collision, or leaving the safe zone, is a warning.
6. A caption gets a band behind it when the picture behind its box is too busy for its colour
   (contrast.py: below 3:1 at the 10th percentile) and no outline already separates it; a
   picture not known yet (a clip still to generate) counts as busy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..errors import RecipeError
from ..timeline import Timeline
from .contrast import READABLE, contrast, outlined
from .measure import measure
from .model import Layout
from .stage import Measure, Stage, image_size

Backdrop = Callable[[int, int], list]  # frames [start, end) -> pictures behind (None: unknown)


def _backing(st: Stage, backdrop: Backdrop) -> None:
    """Rule 6: a caption whose picture behind is too busy for its colour gets a band."""
    for i, t in enumerate(st.texts):
        if t.role != "caption":
            continue
        pictures = backdrop(t.start, t.end)
        found = [contrast(p, t.box, t.style.color) for p in pictures if p is not None]
        worst = min(found) if found else None
        unknown = not pictures or None in pictures  # a clip not generated yet
        busy = unknown or (worst is not None and worst < READABLE)
        need = busy and not outlined(t.style, st.scale)
        st.texts[i] = replace(t, contrast=worst, backing="band" if need else "")


def layout_timeline(
    tl: Timeline,
    measure_fn: Measure = measure,
    size_of: Callable = image_size,
    backdrop: Backdrop | None = None,
) -> Layout:
    """Place every text and logo of the timeline (rules above). Raises RecipeError with every
    text that cannot fit and every collision nothing resolves; pinned collisions are warnings.
    `backdrop(start, end)`: the pictures behind frames [start, end) (None for one not known
    yet), for the captions' backing (rule 6); without it no backing is measured."""
    st = Stage(tl, measure_fn, size_of)
    st.scenes()
    st.overlays()
    st.captions()
    if backdrop is not None and not st.problems:
        _backing(st, backdrop)
    if st.problems:
        r = tl.recipe
        raise RecipeError(r.locate([replace(p, file=r.file) for p in st.problems]))
    found = tl.recipe.locate([replace(w, file=tl.recipe.file) for w in st.warnings])
    return Layout(st.zone, tuple(st.texts), tuple(st.logos), tuple(found))
