"""Tier 3: an end slate with `animate` rendered at 180x320 (3 s, 15 fps): its parts come in
one after another (a late part is absent from the first frame, the button is lower while it
slides up), every part is in place by the end, the phone number has settled by 1 s, the button
pulses after its entrance, and the QR code, which only fades in, reads back exactly with
zxing-cpp from the last frame."""

from __future__ import annotations

import av
import media
import numpy as np
import zxingcpp
from recipes import CTA, URL, load_one, output, render_one, scene, write

from cmforge.layout import layout_timeline
from cmforge.timeline import resolve_timeline

FPS = 15


def frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24").astype(float) for f in c.decode(video=0)]


def decoded(picture: np.ndarray) -> list[str]:
    found = zxingcpp.read_barcodes(picture.astype(np.uint8))
    return [b.text for b in found if b.format == zxingcpp.QRCode]


def test_end_slate_parts_come_in_and_the_qr_code_still_scans(tmp_path) -> None:
    media.logo(tmp_path / "logo.png", 200)
    text = output(size=(180, 320), fps=FPS) + scene(
        "endslate",
        **CTA,
        animate={"in": "slide-up", "phone": "typewriter"},
        duration=3.0,
    )
    path = write(tmp_path, text)
    lay = layout_timeline(resolve_timeline(load_one(path), {}))
    video = frames(render_one(path))
    last = video[-1]
    assert len(video) == 3 * FPS

    def region(i: int, key: str, grow: int = 0) -> np.ndarray:
        b = lay.text(key).box
        return video[i][b.y - grow : b.bottom + grow, b.x - grow : b.right + grow]

    # the LINE ID (the last part) is not there on the first frame: the card's white
    assert np.abs(region(0, "scenes[0].line_id") - 255).mean() < 1.0
    assert np.abs(region(-1, "scenes[0].line_id") - 255).mean() > 5.0
    # the button comes up from below: its red ink sits lower early on than at the end
    b = lay.text("scenes[0].cta").box

    def red_row(frame: np.ndarray) -> float:
        band = frame[b.y - 2 : b.bottom + 30, b.x : b.right]
        red = (band[..., 0] > 150) & (band[..., 1] < 120)
        rows = np.nonzero(red)[0]
        assert rows.size, "the button shows"
        return float(rows.mean())

    entering = round(0.3 * FPS)  # the button starts at 0.16 s and takes 0.4 s
    assert red_row(video[entering]) > red_row(last) + 2
    # every text is in place by 1.2 s; the phone number has settled by 1 s (its digits typed)
    for key in ("period", "url", "line_id", "qr_caption"):
        assert (
            np.abs(
                region(round(1.2 * FPS), f"scenes[0].{key}") - region(-1, f"scenes[0].{key}")
            ).mean()
            < 2.0
        )
    early_phone = region(round(0.4 * FPS), "scenes[0].phone")
    assert np.abs(early_phone - region(-1, "scenes[0].phone")).mean() > 5.0  # still typing
    assert np.abs(region(FPS, "scenes[0].phone") - region(-1, "scenes[0].phone")).mean() < 2.0
    # the button pulses after it has come in
    swell = [
        np.abs(region(i, "scenes[0].cta", 4) - region(-1, "scenes[0].cta", 4)).mean()
        for i in range(FPS, len(video))
    ]
    assert max(swell) > 3.0
    # the QR code fades in (not readable yet on the first frame) and reads back at the end
    assert decoded(video[0]) == []
    assert decoded(last) == [URL]
    q = lay.logo("scenes[0].qr").box
    settled = video[round(1.0 * FPS)][q.y : q.bottom, q.x : q.right]
    assert np.abs(settled - last[q.y : q.bottom, q.x : q.right]).mean() < 1.0  # never moves


def test_parts_go_out_at_the_end_and_the_qr_code_stays(tmp_path) -> None:
    """out = "fade": every part fades towards the card over its last frames (the last frame is
    its last step) but the QR code, which stays to the last frame to be scanned (a transition
    cuts into the slate here, so it is drawn in two pieces)."""
    media.logo(tmp_path / "logo.png", 200)
    text = output(size=(180, 320), fps=FPS) + scene("title", text="A", duration=1.0)
    text += scene(
        "endslate",
        logo="logo.png",
        name=False,
        cta="無料体験 受付中",
        phone="0120-000-000",
        url=URL,
        qr=True,
        animate={"in": "fade", "out": "fade", "duration": 0.3},
        transition={"type": "fade", "duration": 0.3},
        duration=3.0,
    )
    path = write(tmp_path, text)
    lay = layout_timeline(resolve_timeline(load_one(path), {}))
    video = frames(render_one(path))
    b = lay.text("scenes[1].phone").box
    phone = [f[b.y : b.bottom, b.x : b.right] for f in video]
    there = np.abs(phone[-round(0.5 * FPS)] - 255).mean()  # there until it goes out
    assert there > 10.0 and np.abs(phone[-1] - 255).mean() < 0.3 * there  # fading out
    assert decoded(video[-1]) == [URL]
