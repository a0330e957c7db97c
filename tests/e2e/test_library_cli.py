"""`cmforge library list | show | add` and --allow-unlicensed, in a temporary home."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from cmforge.audio.library import user_library
from cmforge.cli import main
from cmforge.media.ffmpeg import check_ffmpeg

SCENES = """[output]
size = [180, 320]
fps = 15
[[scenes]]
type = "title"
duration = 2.0
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch) -> Path:
    """A temporary home and data folder: the user library starts empty."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.delenv("CMFORGE_LIBRARY", raising=False)
    return tmp_path / "home"


def sine(path: Path, seconds: float, freq: int = 440) -> Path:
    """A tone made with the project's own FFmpeg (lavfi), nothing downloaded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            check_ffmpeg().binary,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:sample_rate=48000:duration={seconds}",
            "-ac",
            "2",
            str(path),
        ],
        check=True,
    )
    return path


def add(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["library", "add", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_show_round_trip(tmp_path: Path, capsys) -> None:
    tone = sine(tmp_path / "in" / "tone.wav", 3.0)
    code, out, err = add(
        capsys,
        str(tone),
        "--id",
        "haru",
        "--title",
        '春の歌 "live"',
        "--artist",
        "Back\\slash",
        "--license",
        "CC-BY-4.0",
        "--attribution",
        '"春の歌" by Back\\slash, CC BY 4.0',
        "--mood",
        "Calm",
        "--mood",
        "spring",
        "--bpm",
        "90",
    )
    assert code == 0, err
    toml = user_library() / "library.toml"
    assert "added 'haru'" in out and str(toml) in out
    [track] = tomllib.loads(toml.read_text(encoding="utf-8"))["tracks"]
    assert track["title"] == '春の歌 "live"' and track["artist"] == "Back\\slash"
    assert track["attribution"] == '"春の歌" by Back\\slash, CC BY 4.0'
    assert track["moods"] == ["calm", "spring"] and track["bpm"] == 90
    assert abs(track["duration"] - 3.0) < 0.05
    assert -30 < track["loudness"] < -10, "measured once, stored"
    assert (user_library() / track["file"]).read_bytes() == tone.read_bytes(), "copied"

    assert main(["library", "list"]) == 0
    out = capsys.readouterr().out
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["id", "title", "artist"] and "license" in header
    haru = next(r for r in rows if r.startswith("haru"))
    assert "3.0 s" in haru and "calm, spring" in haru and "CC-BY-4.0" in haru
    assert haru.rstrip().endswith("user")
    assert any(r.startswith("bright-steps") and r.rstrip().endswith("shipped") for r in rows)

    assert main(["library", "show", "haru"]) == 0
    out = capsys.readouterr().out
    assert 'attribution: "春の歌" by Back\\slash, CC BY 4.0' in out
    assert f"file:        {user_library() / 'tone.wav'}" in out
    assert f"library:     user ({toml})" in out
    assert "loudness:" in out and "LUFS" in out and "3.00 s" in out


def test_add_keeps_comments_and_refuses_duplicates(tmp_path: Path, capsys) -> None:
    tone = sine(tmp_path / "tone.wav", 1.0)
    base = ["--title", "T", "--artist", "A", "--license", "CC0-1.0"]
    assert add(capsys, str(tone), "--id", "one", *base)[0] == 0
    toml = user_library() / "library.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "# my own note\n", encoding="utf-8")
    assert add(capsys, str(tone), "--id", "two", *base)[0] == 0
    text = toml.read_text(encoding="utf-8")
    assert "# my own note" in text and text.index("# my own note") < text.index('id = "two"')
    assert [t["file"] for t in tomllib.loads(text)["tracks"]] == ["tone.wav", "tone-2.wav"]

    code, out, err = add(capsys, str(tone), "--id", "two", *base)
    assert code == 2 and "already has a track 'two'" in err and f"{toml}:" in err
    assert toml.read_text(encoding="utf-8") == text, "nothing changed"
    assert not (user_library() / "tone-3.wav").exists()


def test_add_refuses_what_is_not_audio(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio at all", encoding="utf-8")
    code, _, err = add(
        capsys, str(notes), "--id", "x", "--title", "T", "--artist", "A", "--license", "L"
    )
    assert code == 2 and "not decodable audio" in err and "Traceback" not in err
    assert not (user_library() / "library.toml").exists()
    code, _, err = add(
        capsys,
        str(tmp_path / "nope.wav"),
        "--id",
        "x",
        "--title",
        "T",
        "--artist",
        "A",
        "--license",
        "L",
    )
    assert code == 2 and "no such file" in err
    with pytest.raises(SystemExit) as e:  # --license is required
        main(["library", "add", str(notes), "--id", "x", "--title", "T", "--artist", "A"])
    assert e.value.code == 2
    capsys.readouterr()


def test_list_filters_and_recipe_libraries(tmp_path: Path, capsys) -> None:
    proj = tmp_path / "proj"
    sine(proj / "tunes" / "short.wav", 2.0)
    sine(proj / "tunes" / "long.wav", 12.0)
    (proj / "tunes" / "library.toml").write_text(
        '[[tracks]]\nid = "short"\nfile = "short.wav"\nlicense = "CC0-1.0"\nmoods = ["happy"]\n'
        '[[tracks]]\nid = "long"\nfile = "long.wav"\nmoods = ["happy", "rainy"]\n'
        '[[tracks]]\nid = "bright-steps"\nfile = "short.wav"\nlicense = "mine"\n',
        encoding="utf-8",
    )
    recipe = proj / "ad.toml"
    recipe.write_text(SCENES + '[library]\npaths = ["tunes"]\n', encoding="utf-8")

    def ids(*args: str) -> list[str]:
        assert main(["library", "list", *args]) == 0
        return [r.split()[0] for r in capsys.readouterr().out.splitlines()[1:]]

    assert "short" not in ids(), "without --recipe only the environment's libraries"
    listed = ids("--recipe", str(recipe))
    assert {"short", "long", "calm-morning"} <= set(listed)
    assert listed.count("bright-steps") == 1, "a shadowed id is listed once"
    assert ids("--recipe", str(recipe), "--mood", "happy") == ["long", "short"]
    assert ids("--recipe", str(recipe), "--mood", "HAPPY", "--min-length", "10") == ["long"]
    assert ids("--recipe", str(recipe), "--min-length", "30") == ["calm-morning"]
    assert main(["library", "list", "--mood", "nothing-has-this"]) == 0
    assert capsys.readouterr().out.strip() == "no tracks match"

    assert main(["library", "show", "bright-steps", "--recipe", str(recipe)]) == 0
    out = capsys.readouterr().out
    assert "license:     mine" in out and "shadows:     shipped" in out
    assert main(["library", "show", "lnog", "--recipe", str(recipe)]) == 2
    assert "did you mean 'long'?" in capsys.readouterr().err

    # the unlicensed track: refused by validate, allowed with --allow-unlicensed
    recipe.write_text(
        SCENES + '[library]\npaths = ["tunes"]\n[music]\nmood = ["rainy"]\n',
        encoding="utf-8",
    )
    assert main(["validate", str(recipe)]) == 2
    err = capsys.readouterr().err
    assert "music.mood" in err and "without a licence: long" in err
    assert main(["validate", str(recipe), "--allow-unlicensed"]) == 0
    assert main(["plan", str(recipe), "--allow-unlicensed"]) == 0
    assert "music: long" in capsys.readouterr().out


def test_broken_library_is_reported_by_the_library_commands(capsys) -> None:
    user_library().mkdir(parents=True)
    (user_library() / "library.toml").write_text(
        '[[tracks]]\nid = "x"\nfile = "gone.wav"\ntempo = 100\n', encoding="utf-8"
    )
    assert main(["library", "list"]) == 2
    err = capsys.readouterr().err
    assert "library.toml:3: tracks[0].file: no such file" in err
    assert "library.toml:4: tracks[0].tempo: unknown key" in err


def test_ad_length_counts_probed_clips(tmp_path: Path, capsys) -> None:
    from media import video

    video(tmp_path / "clip.mp4", dur=6.0, audio=None)
    sine(tmp_path / "library" / "a.wav", 1.0)
    (tmp_path / "library" / "library.toml").write_text(
        '[[tracks]]\nid = "seven"\nfile = "a.wav"\nlicense = "L"\nmoods = ["m"]\nduration = 7.0\n'
        '[[tracks]]\nid = "nine"\nfile = "a.wav"\nlicense = "L"\nmoods = ["m"]\nduration = 9.0\n',
        encoding="utf-8",
    )
    recipe = tmp_path / "r.toml"
    recipe.write_text(
        SCENES
        + '[[scenes]]\ntype = "clip"\nsrc = "clip.mp4"\ntransition = "fade"\n'
        + '[music]\nmood = ["m"]\n',
        encoding="utf-8",
    )
    from cmforge import load_recipe

    [r] = load_recipe(recipe)  # 2 s + 6 s - 0.5 s fade = 7.5 s: seven is too short
    assert r.music.track == "nine" and "7.5 s ad" in r.music.why
