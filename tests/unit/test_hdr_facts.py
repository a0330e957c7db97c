"""HDR facts from colour tags, light levels, PNG and ICC cicp; the conversion's filters."""

from __future__ import annotations

import struct
from pathlib import Path

from cmforge.compile.colour import described, note, to_sdr
from cmforge.media import hdr as light
from cmforge.media.hdr import Hdr, detect, icc_cicp, png_cicp


def test_hlg_and_pq_are_hdr_and_sdr_is_not() -> None:
    assert detect(18, 9, 9).kind == "hlg"  # type: ignore[union-attr]
    assert detect(16, 9, 9).kind == "pq"  # type: ignore[union-attr]
    for sdr in (1, 14, 15, 2, None):  # bt709, bt2020-10, bt2020-12, unknown, untagged
        assert detect(sdr, 9, 9) is None


def test_peak_comes_from_max_cll_then_mastering_then_hlgs_display() -> None:
    assert detect(16, light={"max_cll": 600, "mastering_peak": 4000}).peak == 600  # type: ignore[union-attr]
    assert detect(16, light={"mastering_peak": 4000}).peak_from == "mastering display"  # type: ignore[union-attr]
    assert detect(18).peak == light.DEFAULT_PEAK  # type: ignore[union-attr]


def test_png_cicp_and_icc_cicp(tmp_path: Path) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I4s", len(body), kind) + body + b"\0\0\0\0"

    png = tmp_path / "p.png"
    ihdr = struct.pack(">IIBBBBB", 4, 4, 16, 2, 0, 0, 0)
    png.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"cICP", bytes([9, 16, 0, 1]))
    )
    assert png_cicp(png) == (9, 16, 0, True)
    icc = bytearray(200)
    struct.pack_into(">I4sII", icc, 128, 1, b"cicp", 144, 12)
    icc[144:156] = b"cicp" + bytes(4) + bytes([9, 18, 0, 1])
    assert icc_cicp(bytes(icc)) == (9, 18, 0, True)
    assert icc_cicp(b"") is None


def test_the_conversion_rolls_off_only_what_is_brighter_than_white() -> None:
    bright = described(Hdr("arib-std-b67"))
    assert "npl=203" in bright and "tonemap=tonemap=mobius:param=0.8:desat=0:peak=4.9261" in bright
    dim = described(Hdr("smpte2084", peak=200.0))  # mastered no brighter than reference white
    assert "tonemap" not in dim
    assert to_sdr(Hdr("smpte2084", matrix="gbr", full_range=True), rgb_out=True)[-1].positional == (
        "rgb24",
    )
    assert "Dolby Vision 8.4, base layer HLG" in note(Hdr("arib-std-b67", dolby_vision="8.4"))
