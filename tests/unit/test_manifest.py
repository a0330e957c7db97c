"""Tier 1: the manifest beside every video, built from a resolved timeline on tiny files (no
render): where it is written, the scenes on the ad's clock, every source with its sha256 and
provenance, the music, the output and what the sound stage measured."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import media
import pytest
from recipes import load_one, output, scene, table, title, write

from cmforge import __version__
from cmforge.generate import GenerationResult
from cmforge.media.probe import MediaInfo
from cmforge.render.manifest import build_manifest, manifest_path, write_json_atomic
from cmforge.timeline import resolve_timeline

FADE = {"type": "fade", "duration": 0.2}


@pytest.fixture
def ad(tmp_path: Path):
    """A title, a clip (joined by a 0.2 s fade), a still and music, resolved at 10 fps."""
    media.still(tmp_path / "pic.png", (64, 112))
    (tmp_path / "clip.mp4").write_bytes(b"clip bytes")
    (tmp_path / "music.wav").write_bytes(b"music bytes")
    text = (
        output(size=(64, 112), fps=10)
        + table("vars", headline="見出し")
        + title("{{headline}}", duration=0.5, name="open")
        + scene("clip", src="clip.mp4", trim=[0.5, 1.5], transition=FADE)
        + scene("image", src="pic.png", duration=0.5)
        + table("music", track="music.wav")
    )
    r = load_one(write(tmp_path, text))
    clip, pic = r.scenes[1].src, r.scenes[2].src
    facts = {
        clip: MediaInfo(clip, "video", 64, 112, 10.0, 3.0, True, 2, 48000),
        pic: MediaInfo(pic, "image", 64, 112),
    }
    tl = resolve_timeline(r, facts)
    used = {clip: "scenes[1].src", pic: "scenes[2].src", r.music.path: "music.track"}
    return tl, used


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(tl, used, *, generated=None, preview=False, sound=None) -> dict:  # noqa: ANN001
    """build_manifest as a render calls it (the one place to change if its signature does)."""
    video = tl.recipe.output.path
    ffmpeg, command = "7.1-test", "ffmpeg -y ..."
    return build_manifest(tl, video, ffmpeg, command, generated or {}, used, preview, sound)


def test_the_manifest_is_named_after_its_video() -> None:
    assert manifest_path(Path("out/a.mp4")) == Path("out/a.manifest.json")
    assert manifest_path(Path("out/a.preview.mp4")) == Path("out/a.preview.manifest.json")


def test_what_made_the_video(ad) -> None:
    tl, used = ad
    m = manifest(tl, used)
    r = tl.recipe
    assert (m["cmforge"], m["ffmpeg"], m["ffmpeg_command"]) == (
        __version__,
        "7.1-test",
        "ffmpeg -y ...",
    )
    assert m["recipe"] == str(r.file) and m["variant"] == "recipe" and m["preview"] is False
    assert m["vars"]["headline"] == "見出し"
    assert m["output"] == {
        "path": str(r.output.path),
        "width": 64,
        "height": 112,
        "fps": "10/1",
        "frames": 18,  # 5 + 10 + 5 frames, less the 2 the fade overlaps
        "duration": 1.8,
        "platforms": [],
        "safe_area": [8, 17, 44, 55],  # no platform: the generic 9:16 safe area
    }


def test_scenes_on_the_ads_clock(ad) -> None:
    tl, used = ad
    title_row, clip_row, image_row = manifest(tl, used)["scenes"]
    assert title_row == {
        "index": 0,
        "type": "title",
        "name": "open",
        "start": 0.0,
        "end": 0.5,
        "frames": 5,
        "transition": {"type": "cut", "duration": 0.0},
        "source": None,
        "in": None,
        "out": None,
    }
    assert (clip_row["start"], clip_row["end"], clip_row["frames"]) == (0.3, 1.3, 10)
    assert clip_row["transition"] == {"type": "fade", "duration": 0.2}
    assert clip_row["source"] == str(tl.recipe.scenes[1].src)
    assert (clip_row["in"], clip_row["out"]) == (0.5, 1.5), "the part of the clip that plays"
    assert (image_row["start"], image_row["end"], image_row["in"]) == (1.3, 1.8, None)


def test_every_source_with_its_sha256_kind_and_provenance(ad) -> None:
    tl, used = ad
    clip = tl.recipe.scenes[1].src
    made = GenerationResult(clip, "local", {"prompt": "p"}, "task-1", 2.5, {"take": 2})
    sources = manifest(tl, used, generated={clip: made})["sources"]
    assert [s["key"] for s in sources] == ["music.track", "scenes[1].src", "scenes[2].src"]
    music, clip_row, pic = sources
    assert clip_row["sha256"] == sha(clip) and clip_row["kind"] == "video"
    assert clip_row["generated"] == {
        "provider": "local",
        "task_id": "task-1",
        "cost": 2.5,
        "request": {"prompt": "p"},
        "take": 2,
    }
    assert pic["kind"] == "image" and "generated" not in pic
    assert music["path"] == str(tl.recipe.music.path) and music["kind"] is None


def test_a_source_gone_since_is_recorded_without_a_digest(ad) -> None:
    tl, used = ad
    tl.recipe.scenes[1].src.unlink()
    [clip_row] = [s for s in manifest(tl, used)["sources"] if s["key"] == "scenes[1].src"]
    assert clip_row["sha256"] is None


def test_music_and_what_the_sound_stage_measured(ad) -> None:
    tl, used = ad
    sound = {
        "delivered": {"bytes": 1234, "sha256": "ab" * 32},
        "loudness": {"integrated_lufs": -14.1},
        "cache": {"segments": 3, "hits": 1, "folder": None},
    }
    m = manifest(tl, used, sound=sound, preview=True)
    assert m["music"]["track"] == "music.wav" and m["music"]["path"] == str(tl.recipe.music.path)
    assert "license_note" in m["music"], "the library's account of the track comes along"
    assert m["output"]["bytes"] == 1234 and m["output"]["sha256"] == "ab" * 32
    assert m["loudness"] == {"integrated_lufs": -14.1} and m["cache"]["hits"] == 1
    assert "delivered" not in m and m["preview"] is True


def test_no_music_no_music_entry(tmp_path) -> None:
    r = load_one(write(tmp_path, output(size=(64, 112), fps=10) + title("A")))
    m = manifest(resolve_timeline(r, {}), {})
    assert m["music"] is None and m["sources"] == []


def test_written_whole_and_readable_in_any_language(tmp_path) -> None:
    path = tmp_path / "out" / "a.manifest.json"
    path.parent.mkdir()
    write_json_atomic(path, {"text": "見出し"})
    text = path.read_text(encoding="utf-8")
    assert "見出し" in text and text.endswith("\n") and json.loads(text) == {"text": "見出し"}
    assert [p.name for p in path.parent.iterdir()] == ["a.manifest.json"], "no temporary file"
