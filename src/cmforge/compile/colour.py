"""HDR sources (HLG, PQ) brought to the BT.709 SDR output: the filters, and the words plan and
the manifest use for them. The choice and its measurements: media/hdr.py and docs/hdr.md."""

from __future__ import annotations

from ..media import hdr as light
from ..media.hdr import Hdr
from .emit import filter_text
from .graph import Filter

F = Filter.of


def to_sdr(hdr: Hdr, rgb_out: bool = False) -> list[Filter]:
    """Filters taking frames in the source's HDR signal to BT.709 SDR: limited-range YUV 4:2:0
    for a clip, full-range RGB for a still (rgb_out). The source's own tags are written in, so a
    file whose tags FFmpeg does not pass on (a Dolby Vision base layer) converts the same way."""
    tm = light.CHOICE
    peak = hdr.peak / tm.reference_white  # the source's brightest, in reference whites
    tone: list[Filter] = []
    if tm.curve != "clip" and peak > 1.01:  # else nothing brighter than white to roll off
        param = {} if tm.param is None else {"param": tm.param}
        tone = [F("tonemap", tonemap=tm.curve, **param, desat=tm.desat, peak=round(peak, 4))]
    out = (
        [F("zscale", t="bt709", m="gbr", r="full"), F("format", "rgb24")]
        if rgb_out
        else [F("zscale", t="bt709", m="bt709", r="tv"), F("format", "yuv420p")]
    )
    return [
        F(
            "zscale",
            tin=hdr.transfer,
            pin=hdr.primaries,
            min=hdr.matrix,
            rin="full" if hdr.full_range else "tv",
            t="linear",
            npl=tm.reference_white,
        ),
        F("format", "gbrpf32le"),
        F("zscale", p="bt709"),
        *tone,
        *out,
    ]


def described(hdr: Hdr) -> str:
    """The conversion as plan and the manifest show it: the filters as FFmpeg runs them."""
    return ",".join(filter_text(f) for f in to_sdr(hdr)[:-1])


def report(hdr: Hdr) -> dict:
    """An HDR source in the manifest and plan --json: what it is and how it was converted."""
    return {**hdr.as_dict(), "converted": described(hdr)}


def note(hdr: Hdr) -> str:
    """One line for people: what the source is and what cmforge does with it."""
    tm = light.CHOICE
    how = (
        "clipped"
        if tm.curve == "clip"
        else f"highlights up to {hdr.peak:g} cd/m² tone-mapped ({tm.curve})"
    )
    return (
        f"HDR {hdr.name} -> BT.709 SDR: reference white {tm.reference_white:g} cd/m² "
        f"becomes SDR white, {how}"
    )
