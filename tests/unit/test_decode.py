"""Files cut short (a truncated download or copy: the header promises the whole length, the end
is gone) are found before rendering: the end of the part the recipe uses must decode."""

from __future__ import annotations

from pathlib import Path

import media
import pytest

from cmforge.cli import main
from cmforge.media.decode import check_end


def cut(path: Path, keep: float) -> Path:
    """The file's first `keep` fraction of bytes, as `head -c` leaves it."""
    out = path.with_name("cut_" + path.name)
    data = path.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("decode")
    return media.video(
        folder / "clip.mp4", rate="15", dur=4.0, extra=["-g", "15", "-movflags", "+faststart"]
    )


def test_a_whole_clip_decodes_to_its_end(clip: Path) -> None:
    assert check_end(clip, "video", 4.0, 4.0) is None
    assert check_end(clip, "audio", 3.9, 4.0) is None


def test_a_clip_cut_short_says_how_much_of_it_decodes(clip: Path) -> None:
    short = cut(clip, 0.45)
    found = check_end(short, "video", 3.0, 4.0)
    assert found is not None and 0.5 < found.decodes < 2.9 and found.length == 4.0
    assert check_end(short, "video", found.decodes - 0.2, 4.0) is None, "the part before is fine"


@pytest.mark.parametrize(
    "name, extra",
    [
        ("longer_sound.mkv", []),  # the file's length is its sound's, a little past the video
        ("mpeg2.ts", ["-c:v", "mpeg2video", "-f", "mpegts"]),  # no index: seeks by guess
    ],
)
def test_whole_files_of_other_containers_are_not_taken_for_cut_ones(
    tmp_path: Path, name: str, extra: list[str]
) -> None:
    from cmforge.media.probe import probe

    path = media.video(tmp_path / name, rate="25", dur=2.0, vcodec=extra or None)
    info = probe(path)
    assert check_end(path, "video", info.duration, info.duration) is None
    assert check_end(cut(path, 0.5), "video", info.duration, info.duration) is not None


def _recipe(folder: Path, body: str) -> Path:
    path = folder / "r.toml"
    path.write_text("[output]\nsize = [180, 320]\nfps = 15\n" + body, encoding="utf-8")
    return path


def test_validate_finds_a_cut_clip_track_and_music(clip: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "m").mkdir()
    cut(clip, 0.45).rename(tmp_path / "m" / "clip.mp4")
    narration = media.tone(tmp_path / "narration.wav", dur=4.0)
    cut(narration, 0.3).rename(tmp_path / "m" / "narration.wav")
    music = media.ff(
        "-f", "lavfi", "-i", "sine=frequency=220:duration=6", "-c:a", "aac",
        "-movflags", "+faststart", str(tmp_path / "music.m4a"),
    )  # fmt: skip
    assert music is None
    cut(tmp_path / "music.m4a", 0.4).rename(tmp_path / "m" / "music.m4a")
    path = _recipe(
        tmp_path,
        '[[scenes]]\ntype = "clip"\nsrc = "m/clip.mp4"\nduration = 3.4\n'
        '[music]\ntrack = "m/music.m4a"\n'
        '[[audio]]\nsrc = "m/narration.wav"\nstart = 0.5\n',
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "3 problems" in err, err
    assert f"{path}:6: scenes[0].src: 'm/clip.mp4': only " in err
    assert "of 4.00 s decodes" in err and "the scene needs it up to 3.40 s" in err
    assert "audio[0].src: 'm/narration.wav': only 1." in err, err
    assert "the track needs it up to 2.90 s" in err  # the ad ends at 3.4 s
    assert "music.track: 'm/music.m4a': only" in err and "the music needs it up to 3.40 s" in err


def test_a_file_cut_after_the_part_used_is_fine(clip: Path, tmp_path: Path, capsys) -> None:
    cut(clip, 0.6).rename(tmp_path / "clip.mp4")
    path = _recipe(tmp_path, '[[scenes]]\ntype = "clip"\nsrc = "clip.mp4"\ntrim = [0, 1.0]\n')
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
