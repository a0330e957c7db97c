"""Tier 1: what `--resume` decides, on tiny files and nothing rendered: a video with the
manifest a render writes stands in for a finished render, and the batch's executor only
records what it was asked to render. (Real renders resumed: tests/e2e/test_batch.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import media
import pytest
from recipes import load_one, output, scene, title, write

from cmforge import Recipe, __version__, plan
from cmforge.batch import Outcome, is_current, render_batch
from cmforge.media.ffmpeg import check_ffmpeg
from cmforge.media.probe import sha256
from cmforge.render.manifest import build_manifest, manifest_path, write_json_atomic

FRAMES = 10  # a 0.5 s title and a 0.5 s still at 10 fps


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 10-frame video, made once: what the render would have written."""
    path = tmp_path_factory.mktemp("video") / "video.mp4"
    return media.video(path, size="64x112", rate="10", dur=FRAMES / 10, audio=None)


def recipe_in(folder: Path, name: str = "recipe") -> Recipe:
    """A title and a still (pic.png); the variant is named after the file."""
    folder.mkdir(parents=True, exist_ok=True)
    media.still(folder / "pic.png", (64, 112))
    text = output(size=(64, 112), fps=10) + title("A", duration=0.5)
    text += scene("image", src="pic.png", duration=0.5)
    return load_one(write(folder, text, f"{name}.toml"))


def rendered(r: Recipe, video: Path) -> Path:
    """The video and manifest a render of r would leave (written the way a render does)."""
    p = plan(r)
    out = p.output
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(video.read_bytes())
    assert p.timeline.frames == FRAMES
    sound = {"delivered": {"bytes": out.stat().st_size, "sha256": sha256(out)}}
    ffmpeg = check_ffmpeg().version
    m = build_manifest(p.timeline, out, ffmpeg, p.shell(out), {}, p.assets.used, False, sound)
    write_json_atomic(manifest_path(out), m)
    return out


def edit_manifest(out: Path, **changes: object) -> None:
    path = manifest_path(out)
    m = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = m["output"] if key in ("frames", "sha256") else m
        target[key] = value
    path.write_text(json.dumps(m), encoding="utf-8")


def touch_later(path: Path) -> None:
    """A new modification time, as an editor saving the file gives it."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


@pytest.fixture
def done(tmp_path: Path, video: Path) -> tuple[Recipe, Path]:
    r = recipe_in(tmp_path)
    return r, rendered(r, video)


# ---------------------------------------------------------------- is_current


def test_a_video_as_the_render_left_it_is_up_to_date(done) -> None:
    r, out = done
    assert is_current(r, out) == (True, "up to date")


def test_no_video_yet(done) -> None:
    r, out = done
    out.unlink()
    assert is_current(r, out) == (False, "no video yet")


def test_a_changed_source_file(done) -> None:
    r, out = done
    pic = r.folder / "pic.png"
    media.still(pic, (64, 112), color=(40, 200, 40))
    touch_later(pic)
    assert is_current(r, out) == (False, "pic.png changed")


def test_a_changed_recipe_changes_the_command(done, tmp_path) -> None:
    r, out = done
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace('"A"', '"B"'), encoding="utf-8")
    assert is_current(load_one(recipe), out) == (False, "the ffmpeg command changed")


def test_a_missing_or_unreadable_manifest(done) -> None:
    r, out = done
    manifest_path(out).write_text("{ not json", encoding="utf-8")
    assert is_current(r, out) == (False, "the manifest does not read")
    manifest_path(out).unlink()
    assert is_current(r, out) == (False, "no manifest")


def test_made_by_another_cmforge_or_ffmpeg(done) -> None:
    r, out = done
    edit_manifest(out, cmforge="0.0.1")
    assert is_current(r, out) == (False, f"made by cmforge 0.0.1, this is {__version__}")
    edit_manifest(out, cmforge=__version__, ffmpeg="0.0-other")
    assert is_current(r, out) == (False, "made by FFmpeg 0.0-other")


def test_a_video_whose_bytes_changed(done) -> None:
    r, out = done
    data = bytearray(out.read_bytes())
    data[-1] ^= 0xFF  # one byte at the end: the header still claims every frame
    out.write_bytes(bytes(data))
    touch_later(out)
    current, why = is_current(r, out)
    assert not current and "not the file its manifest describes" in why


def test_a_video_that_does_not_open_or_has_other_frames(done) -> None:
    r, out = done
    edit_manifest(out, sha256=None)  # an older manifest, without the video's digest
    edit_manifest(out, frames=99)
    assert is_current(r, out) == (False, f"the video has {FRAMES} frames, its manifest says 99")
    out.write_bytes(b"not a video")
    assert is_current(r, out) == (False, "the video does not open")


# ---------------------------------------------------------------- the batch's decision


class Recording:
    """An executor that renders nothing: it notes what it was given and reports success."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def run(self, tasks, say, progress):  # noqa: ANN001, ANN201
        for task in tasks:
            self.sent.append(task.variant)
            yield Outcome(task.variant, output=task.plan.output if task.plan else None)


def batch_of_three(tmp_path: Path, video: Path) -> list[Recipe]:
    """Three one-variant projects, each as a render left it."""
    recipes = []
    for name in ("same", "changed", "deleted"):
        r = recipe_in(tmp_path / name, name)
        rendered(r, video)
        recipes.append(r)
    return recipes


def test_resume_skips_what_is_up_to_date_and_renders_the_rest(tmp_path, video) -> None:
    same, changed, deleted = batch_of_three(tmp_path, video)
    media.still(changed.folder / "pic.png", (64, 112), color=(40, 200, 40))
    touch_later(changed.folder / "pic.png")
    deleted.output.path.unlink()
    executor = Recording()
    result = render_batch([same, changed, deleted], resume=True, executor=executor, reports=False)
    assert executor.sent == ["changed", "deleted"]
    got = {v.variant: (v.status, v.reason) for v in result.variants}
    assert got == {
        "same": ("skipped", "up to date"),
        "changed": ("rendered", "pic.png changed"),
        "deleted": ("rendered", "no video yet"),
    }


def test_without_resume_everything_renders(tmp_path, video) -> None:
    recipes = batch_of_three(tmp_path, video)
    executor = Recording()
    result = render_batch(recipes, executor=executor, reports=False)
    assert len(executor.sent) == 3 and all(v.status == "rendered" for v in result.variants)
