"""Highlighted words drawn larger, seen in a real render at 180x320: in a title card and in a
caption the highlight-coloured ink is taller than the white ink beside it and ends on (nearly)
the same row, and the whole text stays inside the frame. One render."""

from __future__ import annotations

import numpy as np
import pytest
from look import frame_rgb
from recipes import entry, output, render_one, table, title, write

pytestmark = pytest.mark.e2e
FPS = 10
GOLD = (255, 209, 102)


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> list[np.ndarray]:
    folder = tmp_path_factory.mktemp("highlight")
    text = (
        output(fps=FPS)
        + table("style", highlight={"color": "#ffd166", "scale": 1.4})
        + title("**合格**実績", duration=1.0, background="#1d3557", animate="none")
        + title("", duration=1.0, background="#1d3557", animate="none")
        + entry(
            "captions",
            text="**無料**体験",
            start=1.0,
            end=2.0,
            animate="none",
            highlight={"scale": 1.6},
        )
    )
    out = render_one(write(folder, text))
    return [frame_rgb(out, i) for i in (5, 15)]


def _rows(mask: np.ndarray) -> tuple[int, int]:
    rows = np.nonzero(mask.any(1))[0]
    assert len(rows), "ink of this colour"
    return int(rows[0]), int(rows[-1])


def _measure(frame: np.ndarray) -> tuple[float, int]:
    """(height of the gold ink / height of the white ink, gap between their bottom rows)."""
    rgb = frame.astype(int)
    gold = np.abs(rgb - GOLD).sum(-1) < 45
    white = rgb.min(-1) > 215
    (gt, gb), (wt, wb) = _rows(gold), _rows(white)
    return (gb - gt + 1) / (wb - wt + 1), gb - wb


@pytest.mark.parametrize(("which", "scale"), [(0, 1.4), (1, 1.6)], ids=["title", "caption"])
def test_highlighted_ink_is_taller_on_the_same_baseline(frames, which, scale) -> None:
    ratio, drop = _measure(frames[which])
    assert ratio > 1 + (scale - 1) * 0.7, ratio
    assert 0 <= drop <= 3, "the larger run sits on the line of the text beside it"


def test_the_larger_text_stays_in_the_frame(frames) -> None:
    for frame in frames:
        ink = (np.abs(frame.astype(int) - GOLD).sum(-1) < 45) | (frame.min(-1) > 215)
        cols = np.nonzero(ink.any(0))[0]
        assert cols[0] > 2 and cols[-1] < frame.shape[1] - 3
