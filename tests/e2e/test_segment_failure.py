"""A render that fails inside FFmpeg says where: the segment's time range and frames, the
scene(s) it belongs to, and the files it reads with the keys that name them."""

from __future__ import annotations

from pathlib import Path

import media
import pytest
from recipes import load_one, output, scene, title, write

from cmforge import plan
from cmforge.errors import RenderError
from cmforge.render import render_plan


def test_a_segment_that_fails_names_its_scene_time_and_files(tmp_path: Path) -> None:
    (tmp_path / "clips").mkdir()
    clip = media.video(tmp_path / "clips" / "hall.mp4", size="180x320", rate="15", dur=2.0)
    media.still(tmp_path / "logo.png", (40, 40))
    text = output() + title("A", duration=1.0) + scene("clip", src="clips/hall.mp4", duration=2.0)
    text += '[[overlays]]\nsrc = "logo.png"\nposition = "top-right"\n'
    p = plan(load_one(write(tmp_path, text)))
    clip.write_bytes(b"\0" * 4096)  # the file is damaged after the checks, as a disk can do
    with pytest.raises(RenderError) as caught:
        render_plan(p)
    said = str(caught.value)
    assert "segment 2 of 2: 1.00-3.00 s (frames 15-44), scene scenes[1] (clip)" in said, said
    assert "scenes[1].src 'clips/hall.mp4'" in said, said
    assert "overlays[0].src 'logo.png'" in said, said
    assert "ffmpeg said:" in said  # FFmpeg's own words follow
    assert not p.output.exists()


def test_a_sound_that_fails_names_the_files_it_reads(tmp_path: Path) -> None:
    media.tone(tmp_path / "voice.wav", dur=1.0)
    music = media.tone(tmp_path / "music.wav", dur=3.0)
    text = output() + title("A", duration=2.0)
    text += '[music]\ntrack = "music.wav"\n[[audio]]\nsrc = "voice.wav"\n'
    p = plan(load_one(write(tmp_path, text)))
    music.write_bytes(b"\0" * 4096)  # damaged after the checks
    with pytest.raises(RenderError) as caught:
        render_plan(p)
    said = str(caught.value)
    assert "in the sound of the ad; its files: audio[0].src 'voice.wav', music.track" in said
    assert not p.output.exists()
