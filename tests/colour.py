"""HDR test media: an SDR colour chart, stored as a phone stores HDR (HEVC 10-bit, BT.2020, HLG
or PQ), and the chart's patches measured back from a rendered frame (CIEDE2000, L*)."""

from __future__ import annotations

from pathlib import Path

import look
import media
import numpy as np
from PIL import Image

# The 24 ColorChecker patches (sRGB, D65), the light-blue background, pure white, two greys.
PATCHES: list[tuple[str, tuple[int, int, int]]] = [
    ("dark skin", (115, 82, 68)),
    ("light skin", (194, 150, 130)),
    ("blue sky", (98, 122, 157)),
    ("foliage", (87, 108, 67)),
    ("blue flower", (133, 128, 177)),
    ("bluish green", (103, 189, 170)),
    ("orange", (214, 126, 44)),
    ("purplish blue", (80, 91, 166)),
    ("moderate red", (193, 90, 99)),
    ("purple", (94, 60, 108)),
    ("yellow green", (157, 188, 64)),
    ("orange yellow", (224, 163, 46)),
    ("blue", (56, 61, 150)),
    ("green", (70, 148, 73)),
    ("red", (175, 54, 60)),
    ("yellow", (231, 199, 31)),
    ("magenta", (187, 86, 149)),
    ("cyan", (8, 133, 161)),
    ("white 9.5", (243, 243, 242)),
    ("neutral 8", (200, 200, 200)),
    ("neutral 6.5", (160, 160, 160)),
    ("neutral 5", (122, 122, 121)),
    ("neutral 3.5", (85, 85, 85)),
    ("black 2", (52, 52, 52)),
    ("light blue", (175, 208, 251)),
    ("grey 128", (128, 128, 128)),
    ("light grey", (224, 224, 224)),
    ("white", (255, 255, 255)),
]
COLS, ROWS, CELL = 7, 4, 32
SIZE = (COLS * CELL, ROWS * CELL)  # 224x128
WHITE = "white"

# ffmpeg's zscale arguments for the HDR formats a phone records. SDR white is placed at the
# reference white of ITU-R BT.2408 (203 cd/m², HLG 75 %, PQ 58 %), as phones and broadcasters do.
TRANSFER = {"hlg": "arib-std-b67", "pq": "smpte2084"}


# BT.2020 primaries, D65, 1000 cd/m² peak: HDR10's usual mastering display
MASTERING = "G(8500,39850)B(6550,2300)R(35400,14600)WP(15635,16450)L(10000000,1)"


def chart(path: Path, bits: int = 8) -> Path:
    """The chart as an SDR PNG: one flat CELLxCELL square per patch, row by row."""
    arr = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    for i, (_, rgb) in enumerate(PATCHES):
        r, c = divmod(i, COLS)
        arr[r * CELL : (r + 1) * CELL, c * CELL : (c + 1) * CELL] = rgb
    Image.fromarray(arr).save(path)
    return path


def is_mid_tone(rgb: tuple[int, int, int]) -> bool:
    """The in-gamut mid-tones the target speaks of: L* from 20 to 90."""
    return 20 <= look._lab(rgb)[0] <= 90


def hdr_clip(path: Path, transfer: str, dur: float = 0.4, rate: int = 10) -> Path:
    """The chart as a phone stores HDR: HEVC Main 10, BT.2020 primaries and matrix, limited range,
    HLG or PQ, with the colour tags set; SDR white at 203 cd/m² (BT.2408)."""
    src = chart(path.with_suffix(".chart.png"))
    trc = TRANSFER[transfer]
    conv = (
        "zscale=rin=full:pin=bt709:tin=bt709:min=gbr"
        f":p=bt2020:t={trc}:m=bt2020nc:r=tv:npl=203,format=yuv420p10le"
    )
    x265 = f"log-level=error:colorprim=bt2020:transfer={trc}:colormatrix=bt2020nc:range=limited"
    if transfer == "pq":
        x265 += ":hdr10=1:max-cll=1000,400:master-display=" + MASTERING
    media.ff(
        *("-loop", "1", "-framerate", str(rate), "-i", str(src), "-t", str(dur)),
        *("-vf", conv, "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", x265),
        *("-tag:v", "hvc1", "-color_primaries", "bt2020", "-color_trc", trc),
        *("-colorspace", "bt2020nc", "-color_range", "tv"),
        str(path),
    )
    return path


def measure(frame: np.ndarray) -> list[tuple[str, tuple[int, int, int], np.ndarray, float, float]]:
    """Each patch as rendered: (name, chart RGB, mean rendered RGB, ΔE2000, rendered L*), from
    the middle half of its square (away from chroma bleeding at the edges)."""
    out = []
    q = CELL // 4
    for i, (name, rgb) in enumerate(PATCHES):
        r, c = divmod(i, COLS)
        cell = frame[r * CELL + q : (r + 1) * CELL - q, c * CELL + q : (c + 1) * CELL - q]
        got = cell.reshape(-1, 3).mean(0)
        out.append((name, rgb, got, look.delta_e2000(rgb, got), float(look._lab(got)[0])))
    return out


def table(rows: list) -> str:
    """The measurement as text, one patch a line."""
    lines = [f"{'patch':14} {'chart':>15} {'rendered':>15} {'dE2000':>6} {'L*':>5}"]
    for name, rgb, got, de, lum in rows:
        g = "(" + ",".join(f"{v:.0f}" for v in got) + ")"
        lines.append(f"{name:14} {str(rgb):>15} {g:>15} {de:6.2f} {lum:5.1f}")
    return "\n".join(lines)


def hdr_still(path: Path, transfer: str) -> Path:
    """The chart as an HDR still: a 16-bit PNG (cICP chunk, written by FFmpeg) or an AVIF
    (10-bit 4:4:4, colour tags in the AV1 stream), SDR white at 203 cd/m²."""
    src = chart(path.with_suffix(".chart.png"))
    trc = TRANSFER[transfer]
    to = f"zscale=rin=full:pin=bt709:tin=bt709:min=gbr:p=bt2020:t={trc}:npl=203:r=full"
    if path.suffix == ".png":
        media.ff("-i", str(src), "-vf", f"{to}:m=gbr,format=rgb48be", "-frames:v", "1", str(path))
    else:
        media.ff(
            *("-i", str(src), "-vf", f"{to}:m=bt2020nc,format=yuv444p10le", "-frames:v", "1"),
            *("-c:v", "libaom-av1", "-still-picture", "1", "-cpu-used", "8", "-crf", "4"),
            str(path),
        )
    return path


def with_dolby_vision(src: Path, dst: Path, profile: int = 8, compat: int = 4) -> Path:
    """src with a Dolby Vision configuration box (dvvC; dvcC up to profile 7) in its HEVC
    sample entry, as an iPhone writes profile 8.4 (an HLG base layer); the picture is src's
    own. The MP4 must keep its moov after the media data (FFmpeg's default), so no chunk
    offset moves."""
    import struct

    data = bytearray(src.read_bytes())
    bits = profile << 9 | 4 << 3 | 1 << 2 | 1  # level 4, RPU present, no EL, BL present
    kind = b"dvvC" if profile > 7 else b"dvcC"
    box = struct.pack(">I4sBBHB", 32, kind, 1, 0, bits, compat << 4) + bytes(19)
    path, at, end = [], 0, len(data)
    for name in (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd", b"hvc1"):
        while at < end:
            size, kind = struct.unpack_from(">I4s", data, at)
            if kind == name:
                break
            at += size
        else:
            raise ValueError(f"no {name!r} box in {src}")
        path.append(at)
        end, at = at + size, at + 8 + (8 if name == b"stsd" else 78 if name == b"hvc1" else 0)
    for start in path:  # every enclosing box grows by the new one
        struct.pack_into(">I", data, start, struct.unpack_from(">I", data, start)[0] + len(box))
    data[end:end] = box
    dst.write_bytes(bytes(data))
    return dst
