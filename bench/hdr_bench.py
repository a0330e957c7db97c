"""HDR to SDR: candidate tone mappings measured on cmforge's rendered output.

    PYTHONPATH=src .venv/bin/python bench/hdr_bench.py [--full]

An SDR ColorChecker chart (tests/colour.py) is stored as a phone stores HDR (HEVC Main 10,
BT.2020, HLG or PQ, SDR white at 203 cd/m²), rendered by cmforge as a clip scene once per
candidate (cmforge.media.hdr.CHOICE swapped in), and the rendered frame is measured:
ΔE2000 of the in-gamut mid-tones (L* 20-90), white's L*, and how many distinct levels a
ramp of highlights above reference white (HLG 75 % -> 100 %) keeps. --full prints every patch.
Last, the cost: ffmpeg -benchmark of the chosen conversion on 30 frames of 1080x1920.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "src")]
os.environ["CMFORGE_CACHE"] = tempfile.mkdtemp(prefix="cmforge-hdr-bench-")

import colour  # noqa: E402
import look  # noqa: E402
import media  # noqa: E402
from recipes import output, render_one, scene, write  # noqa: E402

from cmforge.compile.colour import to_sdr  # noqa: E402
from cmforge.compile.emit import filter_text  # noqa: E402
from cmforge.media import hdr as light  # noqa: E402
from cmforge.media.ffmpeg import ffmpeg_binary  # noqa: E402
from cmforge.media.probe import probe  # noqa: E402

T = light.ToneMap
TAGS = "setparams=color_primaries=bt2020:color_trc=arib-std-b67:colorspace=bt2020nc:range=tv"
CANDIDATES: dict[str, light.ToneMap] = {
    "mobius 0.8, 203 (chosen)": light.CHOICE,
    "mobius 0.8, 203, desat 2": T("mobius", 0.8, 2.0),
    "mobius 0.6, 203": T("mobius", 0.6),
    "mobius 0.3 (default), 203": T("mobius", None),
    "clip, 203": T("clip"),
    "clip, 100": T("clip", reference_white=100.0),
    "reinhard, 203": T("reinhard", None),
    "reinhard, 100": T("reinhard", None, reference_white=100.0),
    "hable, 203": T("hable", None),
    "hable, 100": T("hable", None, reference_white=100.0),
}


def highlight_ramp(path: Path) -> Path:
    """HLG grey from 75 % (reference white) to 100 % (1000 cd/m²), left to right, 10-bit."""
    w, h = colour.SIZE
    y = np.round(64 + 876 * np.linspace(0.75, 1.0, w)).astype("<u2")[None, :].repeat(h, 0)
    uv = np.full((h // 2, w // 2), 512, "<u2")
    raw = path.with_suffix(".yuv")
    raw.write_bytes((y.tobytes() + uv.tobytes() * 2) * 4)
    media.ff(
        *("-f", "rawvideo", "-pix_fmt", "yuv420p10le", "-s", f"{w}x{h}", "-r", "10"),
        *("-i", str(raw), "-vf", TAGS, "-c:v", "libx265", "-preset", "ultrafast"),
        *("-x265-params", "log-level=error:lossless=1", str(path)),
    )
    return path


def render(folder: Path, clip: Path) -> Path:
    text = output(size=colour.SIZE, fps=10) + scene("clip", src=str(clip), duration=0.3)
    return render_one(write(folder, text))


def highlight_levels(video: Path) -> tuple[int, float]:
    """Distinct 8-bit grey levels across the ramp's middle row, and the row's brightest."""
    row = look.frame_rgb(video, 1)[colour.SIZE[1] // 2, :, 1]
    return len(np.unique(np.round(row))), float(row.max())


def scene_referred(clip: Path, work: Path) -> list:
    """HLG's scene-referred path (no OOTF: the camera's scene light, 75 % = SDR white) for
    comparison. zscale offers no switch for it, so it is written with geq on float RGB and run
    by ffmpeg directly (the same chart, the same measuring)."""
    a, b, c = 0.17883277, 0.28466892, 0.55991073  # BT.2100 HLG constants
    ref = (np.exp((0.75 - c) / a) + b) / 12  # scene light of reference white (75 %)

    def inverse_oetf(ch: str) -> str:
        v = f"{ch}(X\\,Y)"
        return f"if(lte({v}\\,0.5)\\,{v}*{v}/3\\,(exp(({v}-{c})/{a})+{b})/12)/{ref:.6f}"

    vf = (
        "zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=tv:t=arib-std-b67:p=bt2020,"
        f"format=gbrpf32le,geq=r='{inverse_oetf('r')}':g='{inverse_oetf('g')}'"
        f":b='{inverse_oetf('b')}',setparams=color_trc=linear,"
        "zscale=tin=linear:pin=bt2020:p=bt709:t=bt709:m=bt709:r=tv,format=yuv420p"
    )
    out = work / "scene-referred.mp4"
    media.ff("-i", str(clip), "-vf", vf, "-c:v", "libx264", "-qp", "0", "-frames:v", "2", str(out))
    return colour.measure(look.frame_rgb(out, 1))


def cost() -> str:
    """CPU seconds of the chosen conversion on 30 frames of 1080x1920 (HLG 10-bit in)."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "big.mp4"
        media.ff(
            *("-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30:duration=1"),
            *("-vf", f"format=yuv420p10le,{TAGS}", "-c:v", "libx265", "-preset", "ultrafast"),
            *("-x265-params", "log-level=error", str(src)),
        )
        chains = {
            "SDR path (scale to BT.709)": "scale=out_color_matrix=bt709:out_range=tv,"
            "format=yuv420p",
            "HDR conversion (chosen)": ",".join(
                filter_text(f)
                for f in to_sdr(probe(src).hdr)  # type: ignore[arg-type]
            ),
        }
        lines = []
        for name, vf in chains.items():
            out = subprocess.run(
                [ffmpeg_binary(), "-hide_banner", "-benchmark", "-i", str(src), "-vf", vf]
                + ["-f", "null", "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stderr
            utime = re.search(r"utime=([\d.]+)s", out)
            lines.append(f"  {name:28} {utime.group(1) if utime else '?'} s user CPU, 30 frames")
        return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="print every patch of every candidate")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hdr-bench-"))
    clips = {t: colour.hdr_clip(work / f"{t}.mp4", t) for t in ("hlg", "pq")}
    ramp = highlight_ramp(work / "ramp.mp4")
    print(
        f"{'candidate':28} {'src':4} {'mid dE max':>10} {'mean':>5} {'white L*':>8} "
        f"{'all max':>7} {'HLG highlight levels':>20}"
    )
    chosen: dict[str, list] = {}
    for i, (name, tm) in enumerate(CANDIDATES.items()):
        light.CHOICE = tm
        levels, top = highlight_levels(render(work / f"ramp-{i}", ramp))
        for t, clip in clips.items():
            t0 = time.time()
            rows = colour.measure(look.frame_rgb(render(work / f"{t}-{i}", clip), 1))
            mid = [r[3] for r in rows if colour.is_mid_tone(r[1])]
            (white,) = [r[4] for r in rows if r[0] == colour.WHITE]
            print(
                f"{name:28} {t:4} {max(mid):10.2f} {np.mean(mid):5.2f} {white:8.1f} "
                f"{max(r[3] for r in rows):7.2f} {levels:13d} (max {top:3.0f})"
                + (f"  [{time.time() - t0:.1f} s]" if args.full else "")
            )
            if tm is CANDIDATES["mobius 0.8, 203 (chosen)"] or args.full:
                chosen[f"{t}: {name}"] = rows
    light.CHOICE = CANDIDATES["mobius 0.8, 203 (chosen)"]
    rows = scene_referred(clips["hlg"], work)
    mid = [r[3] for r in rows if colour.is_mid_tone(r[1])]
    (white,) = [r[4] for r in rows if r[0] == colour.WHITE]
    print(
        f"{'HLG scene-referred (ffmpeg)':28} {'hlg':4} {max(mid):10.2f} {np.mean(mid):5.2f} "
        f"{white:8.1f} {max(r[3] for r in rows):7.2f}"
    )
    if args.full:
        chosen["hlg: scene-referred, no OOTF (ffmpeg directly)"] = rows
    for label, rows in chosen.items():
        print(f"\n{label}\n{colour.table(rows)}")
    print("\ncost\n" + cost())


if __name__ == "__main__":
    main()
