"""Tier 3: the call-to-action end slate rendered: its QR code, read by a real decoder
(zxing-cpp) from frames of the output MP4, is exactly the recipe's value in vertical, square
and landscape; the logo comes in and the button pulses.

Sizes: the smallest frames whose QR modules are 2 px (the rule gives 6 px a module at 1080,
so a third of 1080 on the short side). In this suite's runs 1 px modules (180x320, 180x180)
decoded too after x264 at CRF 20 (the code is black on white: all in luma, which 4:2:0 keeps
whole); 2 px is kept here as the margin."""

from __future__ import annotations

import av
import media
import numpy as np
import pytest
import zxingcpp
from recipes import load_one, output, render_one, scene, write

from cmforge.layout import layout_timeline
from cmforge.timeline import resolve_timeline

URL = "https://sakura-seminar.example/trial"
TEXT = "さくら進学塾 無料体験のご予約 https://sakura-seminar.example/t?id=42"
FPS = 10


def recipe(size: tuple[int, int], qr: object) -> str:
    return output(size=size, fps=FPS) + scene(
        "endslate",
        logo="logo.png",
        name=False,
        cta="無料体験 受付中",
        phone="0120-000-000",
        url=URL,
        line_id="@sakura-juku",
        qr=qr,
        duration=3.0,
    )


def frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def decoded(picture: np.ndarray) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(picture) if b.format == zxingcpp.QRCode]


@pytest.mark.parametrize(
    ("size", "qr", "value"),
    [((360, 640), True, URL), ((360, 360), TEXT, TEXT), ((640, 360), True, URL)],
    ids=["vertical", "square", "landscape"],
)
def test_the_qr_code_in_the_video_reads_back_exactly(tmp_path, size, qr, value) -> None:
    media.logo(tmp_path / "logo.png", 200)
    path = write(tmp_path, recipe(size, qr))
    lay = layout_timeline(resolve_timeline(load_one(path), {}))
    assert lay.logo("scenes[0].qr").module >= 2
    video = frames(render_one(path))
    assert len(video) == 3 * FPS
    for i in (0, len(video) // 2, len(video) - 1):  # from the first frame to the last
        assert decoded(video[i]) == [value], f"frame {i}"
    if size == (360, 640):
        moves(lay, video)


def moves(lay, video: list[np.ndarray]) -> None:
    """The logo comes in (fades up from the background), the button swells and rests."""

    def region(i: int, box) -> np.ndarray:
        return video[i][box.y : box.bottom, box.x : box.right].astype(float)

    logo = lay.logo("scenes[0].logo").box
    early, settled = region(0, logo), region(10, logo)
    assert np.abs(early - 255).mean() < 0.5 * np.abs(settled - 255).mean()  # mostly white yet
    assert np.abs(region(10, logo) - region(20, logo)).mean() < 1.0  # then it stays
    button = lay.text("scenes[0].cta").box
    grown = button.__class__(button.x - 8, button.y - 8, button.w + 16, button.h + 16)
    rest, swell, rest_again = (region(i, grown) for i in (6, 9, 18))
    assert np.abs(swell - rest).mean() > 4 * max(0.5, np.abs(rest_again - rest).mean())
