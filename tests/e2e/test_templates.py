"""Every template renders (small), and `cmforge init` makes a project that renders."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import zxingcpp
from look import audio_rms, facts, frame_rgb, manifest_of

from cmforge import load_recipe, render
from cmforge.cli import main
from cmforge.templates import list_templates

NAMES = [name for name, _ in list_templates()]


def small(r):
    """The variant at 180 px on its short side (vertical 180x320, square 180x180, landscape
    320x180), so every format a template declares is rendered in its own shape."""
    w, h = r.output.width, r.output.height
    k = 180 / min(w, h)
    size = (round(w * k / 2) * 2, round(h * k / 2) * 2)
    return replace(r, output=replace(r.output, width=size[0], height=size[1]))


@pytest.mark.parametrize("name", NAMES)
def test_template_renders(name: str, tmp_path) -> None:
    assert main(["init", "--template", name, str(tmp_path / "p")]) == 0
    recipe = tmp_path / "p" / f"{name}.toml"
    assert main(["validate", str(recipe), "--strict"]) == 0, "no timing warnings"
    for r in load_recipe(recipe, sets=["output.fps=12"]):
        r = small(r)  # each variant in its own format's shape: 180 px on the short side
        out = render(r)
        f = facts(out)
        expected = round(r.output.duration * 12) if r.output.duration else f.frames
        assert f.frames == expected and (f.width, f.height) == (r.output.width, r.output.height)
        assert abs(f.audio_seconds - f.video_seconds) <= 1 / 12
        # the first half second moves: the hook starts on the first frame
        moved = np.abs(frame_rgb(out, 0) - frame_rgb(out, 6)).mean()
        assert moved > 3, f"frames at 0 s and 0.5 s differ by only {moved:.2f} on average"
        slate = r.scenes[-1]
        if getattr(slate, "qr", ""):  # the end slate's QR code scans, to its last frame
            last = frame_rgb(out, f.frames - 1).round().astype(np.uint8)
            assert [b.text for b in zxingcpp.read_barcodes(last)] == [slate.qr]
        assert audio_rms(out, 1.0, 3.0) > 0.01, "the music plays"
        manifest = manifest_of(out)
        assert manifest["warnings"] == []
        if manifest["music"]:
            assert manifest["music"]["license"] and manifest["music"]["attribution"]


def test_init_never_overwrites(tmp_path, capsys) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert main(["init", str(tmp_path)]) == 2  # an input problem, like a bad recipe
    assert "already exists" in capsys.readouterr().err
