"""Text that moves, seen in real renders: a pop grows with an overshoot, a typewriter shows fewer
characters early, a slide-up rises, a caption band has its colour, an emoji is coloured, a
**marked** word is in the highlight colour, an end slate's emoji is coloured. One render."""

from __future__ import annotations

import numpy as np
import pytest
from look import frame_rgb
from media import logo
from recipes import entry, output, render_one, scene, table, title, write

pytestmark = pytest.mark.e2e
FPS = 20
TITLE_ROWS = slice(0, 240)  # the title's rows in a 180x320 frame, above the pinned caption


def _ink(frame: np.ndarray) -> np.ndarray:
    """Light text pixels (white, or white fading in) in the title's rows."""
    return frame[TITLE_ROWS].min(-1) > 120


def _width(frame: np.ndarray) -> int:
    cols = np.nonzero(_ink(frame).any(0))[0]
    return int(cols[-1] - cols[0] + 1) if len(cols) else 0


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> np.ndarray:
    folder = tmp_path_factory.mktemp("motion")
    text = (
        output(fps=FPS)
        + table("style", highlight="#ffd166")
        + title(
            "**合格**実績",
            duration=1.0,
            background="#1d3557",
            animate={"in": "pop", "duration": 0.5},
        )
        + title(
            "あいうえおかきく",
            duration=1.0,
            background="#1d3557",
            animate={"in": "typewriter", "duration": 0.8},
        )
        + title(
            "合格", duration=1.0, background="#1d3557", animate={"in": "slide-up", "duration": 0.8}
        )
        + entry(
            "captions",
            text="字幕😀",
            start=0.0,
            end=3.0,
            x=0.0,
            y=0.8,
            look={"look": "band", "color": "#303030", "opacity": 1.0},
        )
        + scene(
            "endslate",
            logo="logo.png",
            text="合格🎉",
            background="#ffffff",
            duration=1.0,
        )
    )
    folder.mkdir(exist_ok=True)
    logo(folder / "logo.png", 128)
    out = render_one(write(folder, text))
    return np.stack([frame_rgb(out, i) for i in range(80)])


def test_pop_grows_with_an_overshoot(video) -> None:
    widths = [_width(video[i]) for i in range(20)]
    assert 0 < widths[2] < widths[3] < widths[5], widths
    assert max(widths[5:12]) > widths[19] + 2, f"an overshoot: {widths}"
    assert abs(widths[17] - widths[19]) <= 1, "it settles"


def test_highlight_colour_in_the_title(video) -> None:
    rgb = video[15][TITLE_ROWS].astype(int)
    lit = np.abs(rgb - (255, 209, 102)).sum(-1) < 45
    assert lit.sum() > 100


def test_typewriter_shows_fewer_characters_early(video) -> None:
    ink = [int(_ink(video[i]).sum()) for i in (21, 26, 31, 39)]
    assert 0 < ink[0] < ink[1] < ink[2] <= ink[3], ink
    assert ink[0] < ink[3] / 3


def test_slide_up_rises_into_place(video) -> None:
    def centre_y(i: int) -> float:
        return float(np.nonzero(_ink(video[i]))[0].mean())

    ys = [centre_y(i) for i in (44, 46, 48, 57, 59)]
    assert ys[0] > ys[1] > ys[2] >= ys[3] - 0.5, ys
    assert abs(ys[3] - ys[4]) < 0.5


def test_caption_band_colour_and_coloured_emoji(video) -> None:
    frame = video[30].astype(int)
    rows = np.nonzero((np.abs(frame[:, 2] - 0x30) < 8).all(-1))[0]
    assert len(rows) > 10, "a band the width of the frame, in its colour, at the left edge"
    band = frame[rows.min() : rows.max() + 1]
    assert np.abs(band[:, :4] - 0x30).max() < 10
    saturation = band.max(-1) - band.min(-1)
    yellow = (band[..., 0] > 170) & (band[..., 1] > 130) & (band[..., 2] < 110)
    assert (saturation > 100).sum() > 20 and yellow.sum() > 10, "the emoji is coloured"


def test_end_slate_emoji_is_coloured(video) -> None:
    def green(i: int) -> int:
        f = video[i].astype(int)
        return int(((f[..., 1] > 150) & (f[..., 0] < 90) & (f[..., 2] < 90)).sum())

    assert green(61) < green(78), "the logo comes in (the end slate's own motion)"
    f = video[78].astype(int)
    saturation = f.max(-1) - f.min(-1)
    not_logo = ~((f[..., 1] > 150) & (f[..., 0] < 90))
    assert ((saturation > 100) & not_logo).sum() > 30, "the 🎉 on the end slate is coloured"
