"""Audio libraries: search order, library.toml diagnostics, picking by mood, licences, credits."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path
from types import SimpleNamespace

import media
import numpy as np
import pytest
from recipes import write

from cmforge import RecipeError, load_recipe
from cmforge.assets import music
from cmforge.audio.credits import credits_text
from cmforge.audio.library import (
    Track,
    load_catalog,
    pick_by_mood,
    search_path,
    shipped_library,
    user_library,
)
from cmforge.cli.library import toml_string, track_block

SCENES = """[output]
size = [180, 320]
fps = 15
[[scenes]]
type = "title"
duration = 4.0
[[scenes]]
type = "title"
duration = 4.0
transition = { type = "fade", duration = 1.0 }
"""


@pytest.fixture(autouse=True)
def no_outside_libraries(tmp_path: Path, monkeypatch) -> None:
    """Neither the machine's own library nor CMFORGE_LIBRARY leaks into a test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CMFORGE_LIBRARY", raising=False)


def wav(path: Path, seconds: float = 0.5) -> Path:
    t = np.arange(int(8000 * seconds)) / 8000
    return media.wav(path, 0.3 * np.sin(2 * np.pi * 440 * t), 8000)


def library(folder: Path, tracks: list[dict], name: str = "library.toml") -> Path:
    """A library.toml in folder, with a small WAV for every track's file."""
    folder.mkdir(parents=True, exist_ok=True)
    blocks = []
    for t in tracks:
        t = {"file": f"{t['id']}.wav", "license": "CC0-1.0", **t}
        if not (folder / t["file"]).exists():
            wav(folder / t["file"])
        blocks.append(track_block(t))
    toml = folder / name
    toml.write_text("# test library\n\n" + "\n".join(blocks), encoding="utf-8")
    return toml


def recipe(folder: Path, music: str, extra: str = "", scenes: str = SCENES) -> Path:
    return write(folder, scenes + extra + "[music]\n" + music + "\n")


def problems(path: Path, **kw) -> list:
    with pytest.raises(RecipeError) as e:
        load_recipe(path, **kw)
    return e.value.problems


# search order


def test_each_level_shadows_the_later_ones(tmp_path: Path, monkeypatch) -> None:
    proj = tmp_path / "proj"
    levels = [
        ("paths", proj / "extra", ["a"]),
        ("library-folder", proj / "library", ["a", "b"]),
        ("beside", proj, ["a", "b", "c"]),
        ("env", tmp_path / "env", ["a", "b", "c", "d"]),
        ("user", user_library(), ["a", "b", "c", "d", "e", "bright-steps"]),
    ]
    for title, folder, ids in levels:
        library(folder, [{"id": i, "title": title} for i in ids])
    monkeypatch.setenv("CMFORGE_LIBRARY", str(tmp_path / "env"))
    path = recipe(proj, 'track = "a"', '[library]\npaths = ["extra"]\n')
    origins = [o for o, _ in search_path(proj, [proj / "extra"])]
    assert origins == [
        "[library] paths",
        "beside the recipe",
        "beside the recipe",
        "CMFORGE_LIBRARY",
        "user",
        "shipped",
    ]
    catalog = load_catalog(search_path(proj, [proj / "extra"]))
    got = {i: catalog.find(i).title for i in "abcde"}
    assert got == {"a": "paths", "b": "library-folder", "c": "beside", "d": "env", "e": "user"}
    assert catalog.find("bright-steps").origin == "user", "the user library shadows the samples"
    assert catalog.find("calm-morning").library == shipped_library() / "library.toml"
    assert [t.origin for t in catalog.copies("a")][:2] == ["[library] paths", "beside the recipe"]
    for track_id, title in got.items():
        path.write_text(path.read_text().replace('track = "a"', f'track = "{track_id}"'))
        [r] = load_recipe(path)
        assert r.music.info["title"] == title, track_id
        assert r.music.track == track_id and "named by id" in r.music.why
        path.write_text(path.read_text().replace(f'track = "{track_id}"', 'track = "a"'))


def test_library_paths_may_name_the_toml_and_must_exist(tmp_path: Path) -> None:
    library(tmp_path / "p" / "music", [{"id": "jingle"}], name="mine.toml")
    path = recipe(tmp_path / "p", 'track = "jingle"', '[library]\npaths = ["music/mine.toml"]\n')
    [r] = load_recipe(path)
    assert r.music.path == (tmp_path / "p" / "music" / "jingle.wav").resolve()
    path = recipe(tmp_path / "p", 'track = "bright-steps"', '[library]\npaths = ["m", "nope"]\n')
    (tmp_path / "p" / "m").mkdir()
    first, second = problems(path)
    assert first.key == "library.paths[0]" and "no library.toml" in first.message
    assert second.key == "library.paths[1]" and "no such folder" in second.message
    assert first.line == 12 and first.file == path


def test_cmforge_library_and_user_library_are_searched(tmp_path: Path, monkeypatch) -> None:
    library(tmp_path / "envlib", [{"id": "from-env"}])
    library(user_library(), [{"id": "from-user"}])
    monkeypatch.setenv("CMFORGE_LIBRARY", str(tmp_path / "envlib"))
    [r] = load_recipe(recipe(tmp_path / "p", 'track = "from-env"'))
    assert r.music.info["library"] == str((tmp_path / "envlib" / "library.toml").resolve())
    [r] = load_recipe(recipe(tmp_path / "p", 'track = "from-user"'))
    assert r.music.path.parent == user_library().resolve()
    assert user_library() == tmp_path / "xdg" / "cmforge" / "library"


# a malformed library.toml


def broken(tmp_path: Path, text: str) -> tuple[Path, list]:
    lib = tmp_path / "p" / "library"
    lib.mkdir(parents=True)
    wav(lib / "ok.wav")
    toml = lib / "library.toml"
    toml.write_text(text, encoding="utf-8")
    return toml, problems(recipe(tmp_path / "p", 'track = "bright-steps"'))


def test_library_syntax_error_has_file_and_line(tmp_path: Path) -> None:
    toml, [p] = broken(tmp_path, '# mine\n[[tracks]]\nid = "x"\nfile = "ok.wav\n')
    assert p.file == toml and p.line == 4 and "TOML syntax error" in p.message


def test_library_key_problems_all_at_once(tmp_path: Path) -> None:
    toml, found = broken(
        tmp_path,
        """[[tracks]]
id = "a"
file = "ok.wav"
licence = "CC0-1.0"

[[tracks]]
id = "a"
file = "ok.wav"

[[tracks]]
id = "c"
file = "gone.wav"
bpm = "fast"
moods = "happy"

[[tracks]]
title = "no id, no file"
""",
    )
    got = {(p.key, p.line): p for p in found}
    assert all(p.file == toml for p in found)
    assert "did you mean 'license'?" in got["tracks[0].licence", 4].hint
    assert "two tracks have the id 'a'" in got["tracks[1].id", 7].message
    assert "line 2" in got["tracks[1].id", 7].hint
    assert "no such file" in got["tracks[2].file", 12].message
    assert "expected a number" in got["tracks[2].bpm", 13].message
    assert "expected a list of strings" in got["tracks[2].moods", 14].message
    assert got["tracks[3].id", 16].message == "is required"
    assert got["tracks[3].file", 16].message == "is required"
    assert len(found) == 7


def test_library_unknown_top_level_key(tmp_path: Path) -> None:
    toml, [p] = broken(tmp_path, '[[track]]\nid = "a"\nfile = "ok.wav"\n')
    assert (p.file, p.key, p.line) == (toml, "track", 1)
    assert "'tracks'" in p.hint


def test_a_broken_library_does_not_matter_to_music_given_by_path(tmp_path: Path) -> None:
    (tmp_path / "p" / "library").mkdir(parents=True)
    (tmp_path / "p" / "library" / "library.toml").write_text("[[tracks]\n", encoding="utf-8")
    wav(tmp_path / "p" / "song.wav")
    [r] = load_recipe(recipe(tmp_path / "p", 'track = "song.wav"'))
    assert r.music.info["license_note"] == "licence not recorded (file given by path)"


# picking by mood


def track(tid: str, seconds: float, *moods: str, license: str = "CC0-1.0") -> Track:
    return Track(tid, Path(f"/nowhere/{tid}.wav"), license=license, moods=moods, duration=seconds)


def test_mood_picks_the_shortest_long_enough_match() -> None:
    tracks = [
        track("short", 5, "upbeat"),
        track("long", 60, "upbeat"),
        track("fits", 20, "upbeat"),
        track("calm", 12, "calm"),
    ]
    pick = pick_by_mood(tracks, ["upbeat"], need=10)
    assert pick.track.id == "fits"
    assert "shortest" in pick.why and "'long'" in pick.why
    assert pick_by_mood(tracks, ["upbeat"], need=10, start=12).track.id == "long"
    assert pick_by_mood(tracks, ["upbeat"], need=61).track is None


def test_more_moods_matched_beats_shorter() -> None:
    tracks = [track("one", 20, "upbeat"), track("two", 30, "upbeat", "bright")]
    assert pick_by_mood(tracks, ["upbeat", "bright"], need=10).track.id == "two"
    assert pick_by_mood(tracks, ["Upbeat "], need=10).track.id == "one", "case and space"


def test_mood_tie_break_is_by_id_whatever_the_order() -> None:
    tracks = [track(i, 20, "upbeat") for i in ("delta", "alpha", "charlie", "bravo")]
    for seed in range(5):
        random.Random(seed).shuffle(tracks)
        pick = pick_by_mood(tracks, ["upbeat"], need=10)
        assert pick.track.id == "alpha" and "first by id" in pick.why


def test_mood_never_picks_a_track_that_would_loop(tmp_path: Path) -> None:
    # the scenes make 4 + 4 - 1 (fade) = 7 s
    library(
        tmp_path / "p" / "library",
        [
            {"id": "almost", "moods": ["upbeat"], "duration": 6.9},
            {"id": "enough", "moods": ["upbeat"], "duration": 7.2},
            {"id": "longest", "moods": ["upbeat"], "duration": 100.0},
        ],
    )
    [r] = load_recipe(recipe(tmp_path / "p", 'mood = ["upbeat"]'))
    assert r.music.track == "enough" and r.music.info["title"] == ""
    assert "7.0 s ad" in r.music.why and str(tmp_path / "p" / "library") in r.music.why
    path = recipe(tmp_path / "p", 'mood = ["upbeat"]', "", SCENES.replace("4.0", "40.0", 1))
    [r] = load_recipe(path)
    assert r.music.track == "longest"
    path = recipe(tmp_path / "p", 'mood = ["upbeat"]\nstart = 95.0')
    [p] = problems(path)
    assert p.key == "music.mood" and p.line == 12 and p.file == path


def test_mood_without_a_fit_lists_near_misses(tmp_path: Path) -> None:
    library(
        tmp_path / "p" / "library",
        [
            {"id": "tiny", "moods": ["upbeat"], "duration": 3.0},
            {"id": "slow", "moods": ["calm", "warm"], "duration": 60.0},
        ],
    )
    path = recipe(tmp_path / "p", 'mood = ["upbeat"]', "", SCENES.replace("4.0", "40.0", 1))
    [p] = problems(path)
    assert p.key == "music.mood" and p.line == 12
    assert "tiny (3.0 s)" in p.message and "too short" in p.message
    assert "slow (60.0 s: calm, warm)" in p.message, "long enough, other moods"
    assert "known moods:" in p.message and "energetic" in p.message
    assert 'track = "..."' in p.hint and "loops" in p.hint


def test_track_and_mood_together_is_an_error(tmp_path: Path) -> None:
    [p] = problems(recipe(tmp_path / "p", 'track = "bright-steps"\nmood = ["upbeat"]'))
    assert p.key == "music.mood" and "not both" in p.message


# licences and credits


def test_unlicensed_library_track_is_refused_unless_allowed(tmp_path: Path) -> None:
    toml = library(
        tmp_path / "p" / "library",
        [{"id": "free", "license": "", "moods": ["x"], "duration": 10.0}],
    )
    path = recipe(tmp_path / "p", 'track = "free"')
    [p] = problems(path)
    assert p.key == "music.track" and str(toml) in p.message and "--allow-unlicensed" in p.hint
    [r] = load_recipe(path, allow_unlicensed=True)
    assert r.music.track == "free" and "allow-unlicensed" in r.music.info["license_note"]
    path = recipe(tmp_path / "p", 'mood = ["x"]')
    [p] = problems(path)
    assert p.key == "music.mood" and "without a licence: free" in p.message
    assert str(toml) in p.message
    [r] = load_recipe(path, allow_unlicensed=True)
    assert r.music.track == "free"


def test_credits_text(tmp_path: Path) -> None:
    library(
        tmp_path / "p" / "library",
        [
            {
                "id": "song",
                "title": "春の歌",
                "artist": "Ann",
                "license": "CC-BY-4.0",
                "attribution": '"春の歌" by Ann (CC BY 4.0)',
            }
        ],
    )
    [r] = load_recipe(recipe(tmp_path / "p", 'track = "song"'))
    assert (
        credits_text(r) == 'Music: 春の歌 by Ann\nLicense: CC-BY-4.0\n"春の歌" by Ann (CC BY 4.0)\n'
    )
    wav(tmp_path / "p" / "mine.wav")
    [r] = load_recipe(recipe(tmp_path / "p", 'track = "mine.wav"'))
    assert credits_text(r) == (
        "Music: mine.wav\nLicense: licence not recorded (file given by path)\n"
    )
    assert "file given by path" in r.music.why
    (tmp_path / "p" / "recipe.toml").write_text(SCENES, encoding="utf-8")
    [r] = load_recipe(tmp_path / "p" / "recipe.toml")
    assert credits_text(r) == ""


# writing library.toml


@pytest.mark.parametrize(
    "text",
    ['say "hi"', "C:\\music\\new", "春の歌 〜 さくら", "two\nlines\ttab", "bell\x07 del\x7f", "'"],
)
def test_toml_strings_round_trip(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_track_block_round_trips() -> None:
    values = {
        "id": 'a"b',
        "file": "x.wav",
        "moods": ["明るい", 'q"'],
        "bpm": 120,
        "loudness": -14.5,
    }
    assert tomllib.loads(track_block(values))["tracks"] == [values]


def test_the_ad_length_for_a_mood_pick_counts_clips_after_trim_and_speed(
    tmp_path: Path, monkeypatch
) -> None:
    """Without output.duration: titles by their duration, a clip by its probed source after
    trim and speed, a clip still to generate by its generated length, minus the overlaps."""
    text = SCENES + (
        '[[scenes]]\ntype = "clip"\nsrc = "c.mp4"\ntrim = [0.5, 9.0]\nspeed = 2.0\n'
        '[[scenes]]\ntype = "clip"\nsrc = "gone.mp4"\ngenerate = { prompt = "sea", length = 10 }\n'
    )
    (tmp_path / "c.mp4").write_bytes(b"x")
    [r] = load_recipe(write(tmp_path, text))
    monkeypatch.setattr(music, "probe", lambda path: SimpleNamespace(duration=3.0))
    assert music.ad_seconds(r.scenes, None) == 4.0 + 4.0 - 1.0 + (3.0 - 0.5) / 2.0 + 10.0
    assert music.ad_seconds(r.scenes, 15) == 15.0


def test_music_never_looked_up_is_a_problem_at_its_key_not_a_traceback(tmp_path: Path) -> None:
    """The recipe stage alone leaves the music's file to the assets stage's library search;
    planning such a recipe says so at music.track."""
    from cmforge import plan
    from cmforge.recipe import load_recipe as recipe_stage

    text = SCENES + '[music]\ntrack = "bright-steps"\n'
    [r] = recipe_stage(write(tmp_path, text))
    assert r.music is not None and r.music.path is None
    with pytest.raises(RecipeError) as err:
        plan(r)
    [p] = err.value.problems
    assert p.key == "music.track" and p.line == text.splitlines().index("[music]") + 2
    assert "cmforge.load_recipe" in p.hint
