"""Tier 3: a dip to a colour, rendered and looked at: the frames, the colour, the sound."""

from __future__ import annotations

import media
import numpy as np
from look import audio_rms, delta_e2000, facts, frame_rgb

from cmforge import load_recipe, render

RED = (255, 0, 0)
RECIPE = """[output]
size = [320, 568]
fps = 30
[[scenes]]
type = "clip"
src = "clip.mp4"
duration = 1.0
[[scenes]]
type = "title"
text = "B"
background = "#ffffff"
duration = 1.0
transition = { type = "dip", color = "#ff0000", duration = 0.6 }
"""


def patches(rgb: np.ndarray) -> list[np.ndarray]:
    """The mean colour of nine patches spread over the frame."""
    h, w, _ = rgb.shape
    return [
        rgb[y - 8 : y + 8, x - 8 : x + 8].reshape(-1, 3).mean(0)
        for y in (20, h // 2, h - 20)
        for x in (20, w // 2, w - 20)
    ]


def test_dip_to_red_between_a_clip_and_a_title(project) -> None:
    media.video(project.folder / "clip.mp4", dur=2.0)
    [recipe] = load_recipe(project(RECIPE))
    out = render(recipe)
    f = facts(out)
    assert f.frames == 30 + 30 - 18  # the two scenes overlap 0.6 s
    # the overlap is frames 12..29; frame 12 + 18 // 2 = 21 is the colour alone
    assert all(delta_e2000(p, RED) <= 2 for p in patches(frame_rgb(out, 21)))
    # how much of the colour lies over each frame, from the whole frame's mean colour: up in
    # equal steps from the clip's last bare frame (11) to 21, down to the title's first (30)
    dist = [float(np.linalg.norm(frame_rgb(out, i).mean((0, 1)) - RED)) for i in range(31)]
    for i in range(12, 22):
        assert abs((1 - dist[i] / dist[11]) - (i - 11) / 10) < 0.05, i
    for i in range(21, 30):
        assert abs((1 - dist[i] / dist[30]) - (30 - i) / 9) < 0.05, i
    white = frame_rgb(out, 30)[4:20, 4:20].reshape(-1, 3).mean(0)
    assert delta_e2000(white, (255, 255, 255)) <= 2, "the title is back in full after the dip"
    # the clip's sound crossfades out across the whole overlap (0.4 .. 1.0 s)
    full = audio_rms(out, 0.1, 0.35)
    assert full > 0.05
    assert 0.2 * full < audio_rms(out, 0.6, 0.7) < 0.8 * full
    assert audio_rms(out, 0.95, 1.0) < 0.15 * full
    assert audio_rms(out, 1.05, 1.35) < 0.01 * full
