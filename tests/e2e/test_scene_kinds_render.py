"""A scene kind registered in one place renders: its frames are in the video."""

from __future__ import annotations

import look
from kinds import RECIPE, Solid, solid  # noqa: F401  (the fixture)

from cmforge import load_recipe, render


def test_a_new_kind_renders(solid, project) -> None:  # noqa: F811
    (recipe,) = load_recipe(project(RECIPE))
    out = render(recipe)
    f = look.facts(out)
    assert (f.width, f.height, f.frames) == (160, 288, 5 + 7)
    assert abs(f.video_seconds - 1.2) < 1e-6 and abs(f.audio_seconds - 1.2) < 0.03
    assert look.delta_e2000(look.frame_rgb(out, 8)[144, 80], (255, 0, 0)) < 3
