"""A scene kind registered in one place renders: its frames are in the video."""

from __future__ import annotations

import look
from kinds import RECIPE, Solid, solid  # noqa: F401  (the fixture)

from cmforge import load_recipe, render


def test_a_new_kind_renders(solid, project) -> None:  # noqa: F811
    (recipe,) = load_recipe(project(RECIPE))
    out = render(recipe)
    assert look.facts(out).frames == 5 + 7
    assert look.delta_e2000(look.frame_rgb(out, 8)[144, 80], (255, 0, 0)) < 3
