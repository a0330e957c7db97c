"""Tier 2: the emitted filter graph, compared with a reviewed copy.

Refresh on purpose only: CMFORGE_UPDATE_GOLDEN=1 pytest tests/golden, then read the diff."""

from __future__ import annotations

import os
import re
from pathlib import Path

import media
import pytest

from cmforge import load_recipe
from cmforge.compile import Stills, compile_timeline
from cmforge.compile.emit import filter_text, graph_text
from cmforge.compile.graph import Filter
from cmforge.media.probe import MediaInfo
from cmforge.timeline import resolve_timeline

HERE = Path(__file__).parent
RECIPE = """[output]
size = [180, 320]
fps = 30
duration = 6
[defaults]
transition = { type = "dissolve", duration = 0.5 }
[[scenes]]
type = "title"
text = "見出し"
background = ["#1d3557", "#457b9d"]
duration = 1.5
[[scenes]]
type = "clip"
src = "clip.mp4"
trim = [0.5, 3.0]
fit = "blur"
volume = 0.5
speed = 1.25
[[scenes]]
type = "image"
src = "pic.png"
motion = "zoom-in"
duration = 2.0
flex = true
transition = "cut"
[[scenes]]
type = "endslate"
logo = "logo.png"
text = "さくら"
duration = 1.5
[[captions]]
text = "字幕"
start = 1.0
end = 3.0
[[overlays]]
src = "logo.png"
end = 4.0
[music]
track = "music.wav"
fade_in = 0.5
"""


def compiled(folder: Path) -> str:
    media.still(folder / "pic.png", (320, 240))
    media.logo(folder / "logo.png")
    (folder / "clip.mp4").write_bytes(b"x")
    (folder / "music.wav").write_bytes(b"x")
    recipe = folder / "r.toml"
    recipe.write_text(RECIPE, encoding="utf-8")
    [r] = load_recipe(recipe)
    facts = {
        r.scenes[1].src: MediaInfo(r.scenes[1].src, "video", 640, 360, 29.97, 4.0, True, 2, 44100),
        r.scenes[2].src: MediaInfo(r.scenes[2].src, "image", 320, 240),
    }
    tl = resolve_timeline(r, facts)
    out = []
    for max_clips in (2, 0):  # grouped as a draft groups them; then one segment per scene
        cmd = compile_timeline(tl, Stills(folder / "stills", folder), max_clips=max_clips)
        out.append(f"## max_clips={max_clips}: {len(cmd.segments)} segment(s)")
        for seg in cmd.segments:
            out.append(f"# segment: frames {seg.start}..{seg.start + seg.frames}")
            out += [
                f"input {i}: {' '.join(x.options)} {Path(x.path).suffix}"
                for i, x in enumerate(seg.graph.inputs)
            ]
            out.append(graph_text(seg.graph, pretty=True))
        out.append("# audio")
        out.append(graph_text(cmd.audio, pretty=True))
    out.append("# encoder: " + " ".join(cmd.video_codec))
    text = ("\n".join(out) + "\n").replace(str(folder.resolve()), "<project>")
    return re.sub(r"-[0-9a-f]{20}\.png", "-<hash>.png", text)  # stills are named by content


def matches_golden(text: str, golden: Path) -> None:
    """Compare with the reviewed copy. CMFORGE_UPDATE_GOLDEN=1 writes it instead (on purpose
    only: read the diff before committing); a missing copy is a failure, never written here."""
    if os.environ.get("CMFORGE_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.is_file(), (
        f"no golden file {golden.name}: to write it on purpose, run "
        f"CMFORGE_UPDATE_GOLDEN=1 pytest tests/golden, then review and commit it"
    )
    assert text == golden.read_text(encoding="utf-8"), (
        f"the graph differs from {golden.name}; if the change is intended, refresh it with "
        f"CMFORGE_UPDATE_GOLDEN=1 pytest tests/golden and review the diff"
    )


def test_school_graph_matches_golden(tmp_path: Path) -> None:
    matches_golden(compiled(tmp_path), HERE / "school_graph.txt")


def test_a_missing_golden_file_fails_and_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CMFORGE_UPDATE_GOLDEN", raising=False)
    missing = tmp_path / "missing_graph.txt"
    with pytest.raises(AssertionError, match="CMFORGE_UPDATE_GOLDEN=1"):
        matches_golden("graph", missing)
    assert not missing.exists()
    reviewed = tmp_path / "reviewed_graph.txt"
    reviewed.write_text("graph\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="differs"):
        matches_golden("another graph\n", reviewed)
    matches_golden("graph\n", reviewed)


def test_values_are_escaped_in_one_place() -> None:
    f = Filter.of("drawbox", t="a:b,c[d]'e\\")
    # option level escapes \ ' :, then graph level escapes \ ' [ ] , ;
    assert filter_text(f) == r"drawbox=t=a\\:b\,c\[d\]\\\'e\\\\"
