"""`cmforge export`: every template's timeline handed to an editor in every format, checked by
the editors' own tools: OTIO and FCP 7 XML read back by OpenTimelineIO and its FCP adapter (each
clip's range and the length in frames equal cmforge's plan), MLT rendered by `melt` and compared
with cmforge's render of the same variant (frame count, scene changes, a title's colour)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from look import delta_e2000, facts

from cmforge import load_recipe, render
from cmforge.cli import main
from cmforge.export import export_plan
from cmforge.pipeline import plan
from cmforge.templates import list_templates

otio = pytest.importorskip("opentimelineio", reason="the [export] extra is not installed")

NAMES = [name for name, _ in list_templates()]
MELT = shutil.which("melt")


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    """One project per template for the whole file: a clip a template generates is made once."""
    return {"root": tmp_path_factory.mktemp("projects")}


def _recipe(projects: dict, name: str, *sets: str):
    if name not in projects:
        assert main(["init", "--template", name, str(projects["root"] / name)]) == 0
        projects[name] = projects["root"] / name / f"{name}.toml"
    path = projects[name]
    return path, load_recipe(path, sets=["output.size=[144, 256]", *sets])[0]


def _visible(track) -> list[tuple[int, int]]:
    """Each clip's frames on the timeline, the dissolve handles included (an OTIO transition
    overlaps its neighbours: the outgoing clip plays on for its out_offset)."""
    items = list(track)
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, otio.schema.Clip):
            continue
        r = item.range_in_parent()
        start, frames = r.start_time.to_frames(), r.duration.to_frames()
        nxt = items[n + 1] if n + 1 < len(items) else None
        if isinstance(nxt, otio.schema.Transition):
            frames += nxt.out_offset.to_frames()
        out.append((start, frames))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_otio_and_fcp7_read_back_as_planned(name: str, tmp_path: Path, projects) -> None:
    _, r = _recipe(projects, name, "output.fps=24")
    render_plan = plan(r)
    if render_plan.generation:  # the clips a render would make first
        from cmforge.export import export_recipe

        export_recipe(r, "otio", tmp_path / "warm")
        render_plan = plan(r)
    tl = render_plan.timeline
    for fmt in ("otio", "fcp7"):
        done = export_plan(render_plan, fmt, tmp_path / fmt)
        back = otio.adapters.read_from_file(str(done.project))
        assert back.duration().to_frames() == tl.frames
        assert back.duration().rate == float(tl.fps)
        video = [t for t in back.tracks if t.kind == otio.schema.TrackKind.Video]
        scenes = video[0]
        assert _visible(scenes) == [(p.start, p.frames) for p in tl.scenes], fmt
        assert len([i for i in scenes if isinstance(i, otio.schema.Transition)]) == sum(
            1 for p in tl.scenes if p.transition_frames
        )
        for p, clip in zip(tl.scenes, scenes.find_clips()):
            if p.scene.decodes_video:  # the source's own in point, handles from its length
                assert clip.source_range.start_time.to_frames() == round(p.src_in * tl.fps)
                assert clip.available_range().duration.to_frames() >= p.frames
        layers = sorted(
            (
                c.range_in_parent().start_time.to_frames(),
                c.range_in_parent().end_time_exclusive().to_frames(),
            )
            for t in video[1:]
            for c in t.find_clips()
        )
        assert layers == sorted((t.start, t.end) for t in (*tl.captions, *tl.overlays))
        audio = [t for t in back.tracks if t.kind == otio.schema.TrackKind.Audio]
        assert len(audio) == (tl.recipe.music is not None) + len(tl.recipe.audio) + sum(
            1 for p in tl.scenes if p.scene.sound_volume() > 0 and p.source and p.source.has_audio
        )
        text = done.project.read_text(encoding="utf-8")
        if fmt == "fcp7":
            assert "<width>144</width>" in text and "<height>256</height>" in text
            assert "<timebase>24</timebase>" in text
            assert text.count("<alignment>start</alignment>") == sum(
                1 for p in tl.scenes if p.transition_frames
            )
        markers = [(m.marked_range.start_time.to_frames(), m.name) for m in back.tracks.markers]
        assert [m[0] for m in markers] == [p.start for p in tl.scenes], fmt
        for ref in (c.media_reference.target_url for c in back.find_clips()):
            assert not Path(ref).is_absolute()
            assert (done.project.parent / ref).is_file(), ref


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24").astype(np.float32) for f in c.decode(video=0)]


def _changes(frames: list[np.ndarray], threshold: float = 1.5) -> list[int]:
    """The first frame of each run of frames that change as a whole from the one before: the
    cuts and the starts of dissolves. A frame's change is the median over an 8x8 grid of the
    blocks' mean absolute difference (0-255), so a caption sliding in or a title popping (a
    few blocks) is not a scene change and a dissolve (every block) is. On the templates at
    12 fps a dissolve scores 2-39 per frame, everything else under 1.2. (The mean over the
    whole frame, used before, scored an animated caption like a dissolve's step.)"""

    def grid(f: np.ndarray, n: int = 8) -> np.ndarray:
        h, w, _ = f.shape
        return f[: h // n * n, : w // n * n].reshape(n, h // n, n, w // n, 3).mean(axis=(1, 3, 4))

    g = [grid(f) for f in frames]
    diff = [float(np.median(np.abs(b - a))) for a, b in zip(g, g[1:])]
    hits = [n + 1 for n, d in enumerate(diff) if d > threshold]
    return [h for n, h in enumerate(hits) if n == 0 or hits[n - 1] != h - 1]


@pytest.mark.skipif(MELT is None, reason="melt (Debian package `melt`) is not installed")
@pytest.mark.parametrize("name", NAMES)
def test_mlt_renders_in_melt_like_cmforge(name: str, tmp_path: Path, projects) -> None:
    _, r = _recipe(projects, name, "output.fps=12")
    ours = render(r)
    p = plan(r)
    done = export_plan(p, "mlt", tmp_path / "mlt")
    theirs = tmp_path / "melt.mp4"
    subprocess.run(
        [
            MELT,
            "-quiet",
            str(done.project),
            "-consumer",
            f"avformat:{theirs}",
            "vcodec=libx264",
            "preset=ultrafast",
            "crf=12",
            "acodec=aac",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    a, b = _frames(ours), _frames(theirs)
    assert len(b) == len(a) == p.timeline.frames == facts(theirs).frames
    cuts_a, cuts_b = _changes(a), _changes(b)
    assert len(cuts_a) == len(cuts_b), (cuts_a, cuts_b)
    assert all(abs(x - y) <= 1 for x, y in zip(cuts_a, cuts_b)), (cuts_a, cuts_b)
    assert cuts_a, "the scene changes are found"
    title = next(s for s in p.timeline.scenes if s.scene.type == "title")
    mid = title.start + title.frames // 2
    patch = (slice(4, 20), slice(4, 20))  # the card's background, away from the text
    ca, cb = a[mid][patch].mean(axis=(0, 1)), b[mid][patch].mean(axis=(0, 1))
    assert delta_e2000(ca, cb) <= 3, (ca, cb)


def test_bundle_moves_to_another_machine(tmp_path: Path, projects) -> None:
    path, _ = _recipe(projects, "school-ad")
    out = tmp_path / "handoff"
    args = ["export", str(path), "--variant", "a-results", "--set", "output.size=[144,256]"]
    assert (
        main([*args, "--set", "output.fps=24", "--to", "otio", "--output", str(out), "--bundle"])
        == 0
    )
    moved = tmp_path / "elsewhere"
    shutil.move(out, moved)
    back = otio.adapters.read_from_file(str(moved / "a-results.otio"))
    refs = [c.media_reference.target_url for c in back.find_clips()]
    # every file inside the folder: nothing points back at the recipe's folder
    assert refs and all(r.startswith("media/") and (moved / r).is_file() for r in refs)


def test_a_rate_fcp7_cannot_hold_is_explained_first(tmp_path: Path, projects, capsys) -> None:
    path, _ = _recipe(projects, "school-ad")
    args = ["export", str(path), "--variant", "a-results", "--set", "output.size=[144,256]"]
    assert (
        main([*args, "--set", "output.fps=12", "--to", "fcp7", "--output", str(tmp_path / "o")])
        == 2
    )
    err = capsys.readouterr().err
    assert "output.fps: FCP 7 XML cannot hold 12 fps" in err and "hint:" in err
    assert "Traceback" not in err and "generating" not in err  # before anything is made
    assert not (tmp_path / "o").exists()


def test_vertical_full_hd_at_29_97_is_explicit(tmp_path: Path) -> None:
    """1080x1920 at 30000/1001 fps, written as such by every format (no media rendered)."""
    import xml.etree.ElementTree as ET
    from fractions import Fraction

    from PIL import Image

    from cmforge.export import mlt
    from cmforge.export import otio as otio_export
    from cmforge.export.edit import Edit, Layer, VideoClip

    card, layer = tmp_path / "card.png", tmp_path / "layer.png"
    Image.new("RGB", (1080, 1920), (29, 53, 87)).save(card)
    Image.new("RGBA", (1080, 1920), (0, 0, 0, 0)).save(layer)
    edit = Edit("v", Fraction(30000, 1001), 1080, 1920, 90)
    edit.clips = [VideoClip("1 title", card, 0, 90, still=True, how="card")]
    edit.layers = [Layer("caption 1", layer, 10, 50, "captions")]
    edit.markers = [("1 title", 0, 90)]
    names = {card: "card.png", layer: "layer.png"}
    otio_export.write(edit, names, tmp_path / "v.xml", adapter="fcp_xml")
    text = (tmp_path / "v.xml").read_text(encoding="utf-8")
    assert "<width>1080</width>" in text and "<height>1920</height>" in text
    assert "<timebase>30</timebase>" in text and "<ntsc>TRUE</ntsc>" in text
    back = otio.adapters.read_from_file(str(tmp_path / "v.xml"))
    assert back.duration().to_frames() == 90
    mlt.write(edit, names, tmp_path / "v.mlt")
    profile = ET.parse(tmp_path / "v.mlt").getroot().find("profile")
    assert profile is not None
    got = {k: profile.get(k) for k in ("width", "height", "frame_rate_num", "frame_rate_den")}
    assert got == {
        "width": "1080",
        "height": "1920",
        "frame_rate_num": "30000",
        "frame_rate_den": "1001",
    }
