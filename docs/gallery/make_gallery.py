"""Redraw docs/gallery/: each template rendered as a preview in every format, then the batch's
own storyboard (one row per format, a key frame from the middle of each scene) saved here with a
256-colour palette so it stays small.  Usage:  python docs/gallery/make_gallery.py [NAME ...]"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
TEMPLATES = ("school-ad", "campaign", "teacher", "trial")


def cmforge(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "cmforge.cli", *args], check=True)


def draw(name: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / name
        cmforge("init", "--template", name, str(project))
        cmforge(
            "render", str(project / f"{name}.toml"), "--preview", "--output", str(project / "out")
        )
        board = Image.open(project / "out" / "storyboard.preview.png").convert("RGB")
        out = HERE / f"{name}.png"
        board.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, optimize=True
        )
    print(f"{out.relative_to(HERE.parent.parent)}: {out.stat().st_size // 1024} KB", flush=True)
    return out


if __name__ == "__main__":
    for name in sys.argv[1:] or TEMPLATES:
        draw(name)
